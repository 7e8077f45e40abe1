import { useMutation } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { session, useSession } from '../../app';
import { VerifyEmailDocument } from '../../gql/graphql';
import { problemsOf, Problems } from '../../ui';
import { AuthFrame } from './AuthFrame';

/** The emailed link: confirms the address, then the member goes on to their feed. */
export function VerifyEmailPage() {
  const intl = useIntl();
  const [params] = useSearchParams();
  const state = useSession();
  const [verify, { data, error, loading }] = useMutation(VerifyEmailDocument);
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    void verify({ variables: { token: params.get('token') ?? '' } })
      .then(({ data }) => {
        if (data?.verifyEmail) {
          session.update({ status: 'ACTIVE' });
          // A fresh token carries the new status.
          if (session.get().kind === 'signed-in') void session.refresh();
        }
      })
      .catch(() => undefined);
  }, [params, verify]);
  return (
    <AuthFrame
      title={intl.formatMessage({
        id: 'auth.verify.title',
        defaultMessage: 'Confirm your address',
        description: 'Page title',
      })}
    >
      {loading && (
        <p role="status">
          <FormattedMessage
            id="auth.verify.working"
            defaultMessage="Checking your link…"
            description="While verifying"
          />
        </p>
      )}
      {data?.verifyEmail && (
        <div role="status">
          <p className="mb-4 text-stone-800">
            <FormattedMessage
              id="auth.verify.done"
              defaultMessage="Your address is confirmed. Welcome!"
              description="Verified"
            />
          </p>
          <Link
            className="text-amber-800 underline"
            to={state.kind === 'signed-in' ? '/' : '/sign-in'}
          >
            {state.kind === 'signed-in' ? (
              <FormattedMessage
                id="auth.verify.toFeed"
                defaultMessage="Go to your feed"
                description="Link"
              />
            ) : (
              <FormattedMessage
                id="auth.verify.toSignIn"
                defaultMessage="Sign in"
                description="Link"
              />
            )}
          </Link>
        </div>
      )}
      {error && (
        <>
          <Problems problems={problemsOf(error)} />
          <Link className="text-amber-800 underline" to="/pending">
            <FormattedMessage
              id="auth.verify.again"
              defaultMessage="Send me a new link"
              description="Link"
            />
          </Link>
        </>
      )}
    </AuthFrame>
  );
}

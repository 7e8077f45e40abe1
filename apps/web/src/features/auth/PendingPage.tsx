import { useMutation } from '@apollo/client/react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Navigate } from 'react-router';
import { session, useSession } from '../../app';
import { ResendVerificationDocument } from '../../gql/graphql';
import { Button, problemsOf, Problems } from '../../ui';
import { AuthFrame } from './AuthFrame';

/** A PENDING account holds tokens but reads nothing until its address is confirmed. */
export function PendingPage() {
  const intl = useIntl();
  const state = useSession();
  const [resend, { data, loading, error }] = useMutation(ResendVerificationDocument);
  if (state.kind === 'signed-out') return <Navigate to="/sign-in" replace />;
  if (state.kind === 'signed-in' && state.user.status !== 'PENDING')
    return <Navigate to="/" replace />;
  return (
    <AuthFrame
      title={intl.formatMessage({
        id: 'auth.pending.title',
        defaultMessage: 'Check your inbox',
        description: 'Page title',
      })}
    >
      <p className="mb-4 text-stone-800">
        <FormattedMessage
          id="auth.pending.body"
          defaultMessage="We sent a link to your address. Open it to confirm it is yours; until then Ruche shows you nothing."
          description="PENDING account explanation"
        />
      </p>
      <Problems problems={problemsOf(error)} />
      {data?.resendVerificationEmail && (
        <p role="status" className="mb-4 text-sm text-green-800">
          <FormattedMessage
            id="auth.pending.sent"
            defaultMessage="A new link is on its way."
            description="Resent"
          />
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button busy={loading} onClick={() => void resend().catch(() => undefined)}>
          <FormattedMessage
            id="auth.pending.resend"
            defaultMessage="Send the link again"
            description="Button"
          />
        </Button>
        <Button variant="secondary" onClick={() => void session.signOut()}>
          <FormattedMessage id="shell.signOut" defaultMessage="Sign out" description="Menu item" />
        </Button>
      </div>
    </AuthFrame>
  );
}

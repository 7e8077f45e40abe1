import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../../app';
import { AcceptCharterDocument, CurrentCharterDocument } from '../../gql/graphql';
import { Button, problemsOf, Problems, Skeleton } from '../../ui';
import { AuthFrame } from '../auth/AuthFrame';
import { safeNext } from './next';

/**
 * The charter a member must accept before reading anything else (the API answers
 * CHARTER_REQUIRED until then); after accepting, back to the page they were on.
 */
export function CharterPage() {
  const intl = useIntl();
  const state = useSession();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { data, loading, error } = useQuery(CurrentCharterDocument, {
    skip: state.kind !== 'signed-in',
    fetchPolicy: 'network-only',
  });
  const [accept, accepting] = useMutation(AcceptCharterDocument);
  if (state.kind === 'signed-out') return <Navigate to="/sign-in" replace />;
  const charter = data?.charter;
  const done = async () => {
    // Whatever failed while the charter waited is read again.
    await client.resetStore().catch(() => undefined);
    await navigate(next, { replace: true });
  };
  return (
    <AuthFrame
      title={intl.formatMessage({
        id: 'charter.title',
        defaultMessage: 'Our usage charter',
        description: 'Page title',
      })}
    >
      <Problems problems={problemsOf(error ?? accepting.error)} />
      {loading || state.kind === 'loading' ? (
        <Skeleton rows={6} />
      ) : !charter || charter.viewerAcceptedAt ? (
        <>
          <p className="mb-4 text-stone-800">
            <FormattedMessage
              id="charter.nothingToAccept"
              defaultMessage="You have accepted the current charter."
              description="Nothing left to accept"
            />
          </p>
          <Button onClick={() => void done()}>
            <FormattedMessage
              id="charter.continue"
              defaultMessage="Continue"
              description="Button"
            />
          </Button>
        </>
      ) : (
        <>
          <p className="mb-4 text-sm text-stone-700">
            <FormattedMessage
              id="charter.intro"
              defaultMessage="Version {version}, published {date}. Read it and accept it to go on."
              description="Above the charter"
              values={{
                version: charter.version,
                date: intl.formatDate(charter.publishedAt, { dateStyle: 'long' }),
              }}
            />
          </p>
          <div
            lang={charter.locale}
            className="markdown mb-4 max-h-[50vh] overflow-y-auto rounded border border-stone-200 p-3 break-words text-stone-900"
            tabIndex={0}
            role="region"
            aria-label={intl.formatMessage({
              id: 'charter.textLabel',
              defaultMessage: 'The charter',
              description: 'Label of the scrollable charter text',
            })}
            // Rendered and sanitized by the server, like posts.
            dangerouslySetInnerHTML={{ __html: charter.bodyHtml }}
          />
          {charter.quietHours && (
            <p className="mb-4 text-sm text-stone-800">
              <FormattedMessage
                id="charter.quietHours"
                defaultMessage="Right to disconnect: from {start} to {end}, Ruche sends no email and no push."
                description="The network's quiet hours, shown with the charter"
                values={{ start: charter.quietHours.start, end: charter.quietHours.end }}
              />
            </p>
          )}
          <Button
            busy={accepting.loading}
            onClick={() =>
              void accept({ variables: { version: charter.version } }).then(done, () => undefined)
            }
          >
            <FormattedMessage
              id="charter.accept"
              defaultMessage="I have read it and I accept it"
              description="Button"
            />
          </Button>
        </>
      )}
    </AuthFrame>
  );
}

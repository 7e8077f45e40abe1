import { FormattedMessage } from 'react-intl';
import type { ApiProblem } from './errors';

/**
 * The API's answer when it is not about one of the form's fields: a wait for RATE_LIMITED, a
 * plain sentence for the network, the API's own message otherwise.
 */
export function Problems({ problems, fields = [] }: { problems: ApiProblem[]; fields?: string[] }) {
  const rest = problems.filter(
    (p) => !p.field || !fields.some((f) => p.field === f || p.field?.endsWith(`.${f}`)),
  );
  if (!rest.length) return null;
  return (
    <div
      role="alert"
      className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800"
    >
      {rest.map((p, i) => (
        <p key={i}>
          {p.code === 'RATE_LIMITED' ? (
            <FormattedMessage
              id="ui.rateLimited"
              defaultMessage="Too many attempts. Try again in {seconds, plural, one {# second} other {# seconds}}."
              description="An API rate limit, with the wait"
              values={{ seconds: p.retryAfter ?? 60 }}
            />
          ) : p.code === 'NETWORK' ? (
            <FormattedMessage
              id="ui.network"
              defaultMessage="Ruche cannot be reached. Check your connection and try again."
              description="The API did not answer"
            />
          ) : p.code === 'INTERNAL_SERVER_ERROR' ? (
            <FormattedMessage
              id="ui.internal"
              defaultMessage="Something went wrong on our side. Try again in a moment."
              description="A server error"
            />
          ) : (
            p.message
          )}
        </p>
      ))}
    </div>
  );
}

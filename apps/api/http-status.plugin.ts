import type { ApolloServerPlugin } from '@apollo/server';

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** How well one media range of an Accept header fits a type: its q, specificity and position. */
function fit(accept: string, type: string): { q: number; s: number; o: number } | null {
  const [main] = type.split('/');
  let best: { q: number; s: number; o: number } | null = null;
  accept.split(',').forEach((part, o) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const s = range === type ? 2 : range === `${main}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (s < 0) return;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) return;
    if (!best || s > best.s || (s === best.s && (q > best.q || (q === best.q && o < best.o))))
      best = { q, s, o };
  });
  return best;
}

/**
 * Whether Apollo answers this Accept header with `application/json` rather than
 * `application/graphql-response+json`: the same choice as its negotiator (higher q, then the more
 * specific range, then the earlier one; a tie goes to application/json, as does no header).
 */
export function answersPlainJson(accept: string | undefined | null): boolean {
  if (!accept) return true;
  const json = fit(accept, JSON_TYPE);
  if (!json || json.q <= 0) return false;
  const graphql = fit(accept, GRAPHQL_RESPONSE);
  if (!graphql || graphql.q <= 0) return true;
  if (json.q !== graphql.q) return json.q > graphql.q;
  if (json.s !== graphql.s) return json.s > graphql.s;
  return json.o <= graphql.o;
}

/**
 * GraphQL over HTTP: an `application/json` answer to a well-formed request is 200 even when the
 * document does not parse, does not validate, its variables do not fit or a limit refuses it (the
 * errors are in the body, as legacy clients expect); `application/graphql-response+json` keeps 400.
 * A malformed request (no query, a JSON body that is not an object) keeps 400 either way.
 */
export function httpStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (!answersPlainJson(request.http?.headers.get('accept'))) return {};
      return {
        async willSendResponse({ response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data !== undefined || !errors?.length) return;
          if (errors.some((e) => e.extensions?.code === 'BAD_REQUEST')) return;
          response.http.status = 200;
        },
      };
    },
  };
}

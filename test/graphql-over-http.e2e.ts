import { auditServer } from 'graphql-http';
import { Harness, codeOf, type GqlResult } from './support/harness.js';

/**
 * GraphQL over HTTP conformance, audited by graphql-http against the real server: no MUST and no
 * SHOULD may fail (MAY audits are reported as `notice` and are not required). Then the rule the
 * SHOULDs ask for, spelled out: the status of a request error follows the media type of the answer.
 */
let h: Harness;
beforeAll(async () => (h = await Harness.start()));
afterAll(() => h?.stop());

/** Audits allowed to fail, each with its reason. None. */
const ALLOWED = new Set<string>();

describe('graphql-http auditServer', () => {
  it('passes every MUST and SHOULD audit', async () => {
    const results = await auditServer({ url: `${h.url}/graphql` });
    expect(results.length).toBeGreaterThan(30);
    const failing = results
      .filter((r) => r.status !== 'ok' && r.status !== 'notice' && !ALLOWED.has(r.id))
      .map((r) => `${r.id} ${r.status}: ${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);
    expect(failing).toEqual([]);
  });
});

const post = (body: unknown, accept?: string) =>
  fetch(`${h.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const TOO_DEEP = `{ viewer { profile { ${'manager { profile { '.repeat(6)}jobTitle${' } }'.repeat(6)} } } }`;

describe('the status of a request error follows the media type of the answer', () => {
  it.each([
    ['a parse failure', { query: '{' }, 'GRAPHQL_PARSE_FAILED'],
    ['a validation failure', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a variable coercion failure',
      { query: 'query($id: ID!) { post(id: $id) { id } }', variables: { id: null } },
      'BAD_USER_INPUT',
    ],
    ['a query over the depth limit', { query: TOO_DEEP }, 'BAD_USER_INPUT'],
    [
      'a control character in an argument',
      { query: 'query($s: String) { group(slug: $s) { id } }', variables: { s: 'a\u0000' } },
      'BAD_USER_INPUT',
    ],
  ])('%s', async (_, body, code) => {
    for (const [accept, status, type] of [
      ['application/json', 200, 'application/json'],
      // What fetch() and curl send when told nothing.
      ['*/*', 200, 'application/json'],
      ['application/graphql-response+json', 400, 'application/graphql-response+json'],
      // Apollo Client's header: it prefers application/graphql-response+json.
      [
        'application/graphql-response+json,application/json;q=0.9',
        400,
        'application/graphql-response+json',
      ],
    ] as const) {
      const res = await post(body, accept);
      const answer = (await res.json()) as GqlResult;
      expect({ accept, status: res.status, type: res.headers.get('content-type') }).toEqual({
        accept,
        status,
        type: `${type}; charset=utf-8`,
      });
      expect(answer.data).toBeUndefined();
      expect(codeOf({ ...answer, status: res.status })).toBe(code);
    }
  });

  it('keeps 400 for a request that is not GraphQL at all, whatever the Accept', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      expect((await post('{"query": "{ __typename }"', accept)).status).toBe(400);
      expect((await post({ qeury: '{ __typename }' }, accept)).status).toBe(400);
    }
  });
});

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Harness } from './support/harness.js';
import { makeAdmin, type Person } from './support/builders.js';

let h: Harness;
let admin: Person;
beforeAll(async () => {
  h = await Harness.start();
  admin = await makeAdmin(h);
});
afterAll(() => h.stop());

/** One operation over graphql-ws on /graphql, as a browser would open it. */
async function overWs(
  query: string,
  authorization?: string,
): Promise<{ data?: unknown; errors?: unknown[] }> {
  const client = createClient({
    url: `${h.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      let result: { data?: unknown; errors?: unknown[] } = {};
      client.subscribe(
        { query },
        {
          next: (r) => (result = r as typeof result),
          error: reject,
          complete: () => resolve(result),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('graphql-ws on /graphql', () => {
  it('authenticates with connectionParams and answers operations', async () => {
    await expect(overWs('{ viewer { id } }', `Bearer ${admin.token}`)).resolves.toEqual({
      data: { viewer: { id: admin.id } },
    });
  });

  it('treats a connection without a token as signed out', async () => {
    await expect(overWs('{ viewer { id } }')).resolves.toEqual({ data: { viewer: null } });
    const refused = await overWs('{ users { totalCount } }');
    expect(refused.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
  });

  it('holds what arrives over the socket to the limits HTTP applies', async () => {
    const token = `Bearer ${admin.token}`;
    const codes = async (query: string) => {
      const errors = await overWs(query, token).then(
        (r) => r.errors ?? [],
        (e: unknown) => (Array.isArray(e) ? e : [e]),
      );
      return errors.map((e: any) => [e.extensions?.code, e.extensions?.field, e.message]);
    };
    // A control character in a text argument: BAD_USER_INPUT naming it, not a 500.
    expect(await codes('{ group(slug: "a\\u0000b") { id } }')).toEqual([
      ['BAD_USER_INPUT', 'slug', expect.stringMatching(/control characters/)],
    ]);
    // Too deep, and too costly.
    const deep = `{ group(slug: "x") { ${'parent { '.repeat(13)}id${' }'.repeat(13)} } }`;
    expect(await codes(deep)).toEqual([
      ['BAD_USER_INPUT', 'query', expect.stringMatching(/levels deep; the limit is 12/)],
    ]);
    const costly =
      '{ users(first: 100) { nodes { groups(first: 100) { nodes { members(first: 100) { nodes { user { id } } } } } } } }';
    expect(await codes(costly)).toEqual([
      ['BAD_USER_INPUT', 'query', expect.stringMatching(/costs \d+; the limit is/)],
    ]);
    // And the server keeps answering ordinary operations on the socket.
    await expect(overWs('{ viewer { id } }', token)).resolves.toEqual({
      data: { viewer: { id: admin.id } },
    });
  });
});

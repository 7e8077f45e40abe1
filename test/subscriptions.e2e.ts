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
});

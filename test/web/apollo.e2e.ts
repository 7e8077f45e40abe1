// The web app's Apollo client against the real API: subscriptions go through graphql-ws, which
// the client fetches (import()) on the first subscription only, with the viewer's token.
import { gql } from '@apollo/client';
import WebSocket from 'ws';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';

let h: Harness;
let zoe: Someone;
let outsider: Someone;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  [zoe, outsider] = await Promise.all([someone(h), someone(h)]);
  // What the browser gives the app: its address and a WebSocket.
  Object.assign(globalThis, {
    location: { protocol: 'http:', host: new URL(h.url).host },
    WebSocket,
  });
}, 60_000);
afterAll(() => h.stop());

describe("the web app's Apollo client", () => {
  it('delivers a subscription over graphql-ws, loaded on the first subscription', async () => {
    // The web app's own modules (a path tsc leaves to the web app's tsconfig).
    const app = '../../apps/web/src/app/';
    const { createApollo } = await import(`${app}apollo.js`);
    const { session } = await import(`${app}session.js`);
    session.accept({
      accessToken: zoe.token,
      expiresIn: 900,
      user: {
        id: zoe.id,
        handle: zoe.handle,
        displayName: 'Zoe',
        role: 'MEMBER',
        status: 'ACTIVE',
        profile: { locale: 'en', timezone: 'Europe/Paris' },
      },
    });
    const client = createApollo();
    const received: unknown[] = [];
    let arrived!: () => void;
    const got = new Promise<void>((resolve) => (arrived = resolve));
    const subscription = client
      .subscribe({
        query: gql`
          subscription WebTestNotification {
            notificationAdded {
              type
            }
          }
        `,
      })
      .subscribe({
        next: (r: { data: unknown }) => {
          received.push(r.data);
          arrived();
        },
        error: (e: unknown) => received.push(e),
      });
    try {
      // The socket opens once graphql-ws is loaded and connected: give it a moment.
      await new Promise((r) => setTimeout(r, 1000));
      await h.ok(`mutation($u: ID!) { follow(userId: $u) { id } }`, { u: zoe.id }, outsider.token);
      await Promise.race([
        got,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`nothing arrived: ${JSON.stringify(received)}`)),
            10_000,
          ),
        ),
      ]);
      expect(received).toEqual([
        { notificationAdded: { __typename: 'Notification', type: 'FOLLOW' } },
      ]);
    } finally {
      subscription.unsubscribe();
      client.stop();
      // The lazy socket closes once nothing listens; then the signed-out session.
      await new Promise((r) => setTimeout(r, 300));
      session.drop();
    }
  });
});

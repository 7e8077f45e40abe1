import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { TestPushService, throwawayCert } from './support/push-service.mjs';

let h: Harness;
let push: TestPushService;
let cert: ReturnType<typeof throwawayCert>;
let owner: Someone;

const REGISTER = `mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) }`;
const REMOVE = `mutation($e: String!) { removePushSubscription(endpoint: $e) }`;
const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id name } }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!) { inviteToGroup(groupId: $g, userIds: $u) { status } }`;

beforeAll(async () => {
  cert = throwawayCert();
  push = await new TestPushService().start(cert);
  // The process under test trusts this one CA for push endpoints, nothing global.
  h = await Harness.start({ worker: true, env: { PUSH_CA_FILE: cert.caFile } });
  owner = await someone(h, 'MEMBER', 'ACTIVE', 'Olive Owner');
});
afterAll(async () => {
  await h.stop();
  await push.stop();
  cert.dispose();
});

let n = 0;
async function invite(who: Someone): Promise<{ id: string; name: string }> {
  const { createGroup } = await h.ok(
    CREATE,
    { input: { name: `Push team ${++n}`, visibility: 'PRIVATE', joinPolicy: 'INVITE' } },
    owner.token,
  );
  await h.ok(INVITE, { g: createGroup.id, u: [who.id] }, owner.token);
  return createGroup as { id: string; name: string };
}

async function until<T>(
  what: () => Promise<T | undefined> | T | undefined,
  ms = 15000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Web Push', () => {
  it('refuses malformed subscriptions with the field', async () => {
    const who = await someone(h);
    const b = push.browser('/bad');
    for (const [input, field] of [
      [{ ...b.input, endpoint: 'http://127.0.0.1/x' }, 'endpoint'],
      [{ ...b.input, p256dh: 'AAAA' }, 'p256dh'],
      [{ ...b.input, auth: 'AAAA' }, 'auth'],
    ] as const) {
      const r = await h.gql(REGISTER, { input }, { token: who.token });
      expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', field]);
    }
  });

  it('sends a small encrypted payload the browser decrypts, retrying 503 and delivering once', async () => {
    const who = await someone(h, 'MEMBER', 'ACTIVE', 'Paul Push');
    const b = push.browser('/sub-retry');
    push.script.set('/sub-retry', [503]);
    await expect(h.ok(REGISTER, { input: b.input }, who.token)).resolves.toEqual({
      registerPushSubscription: true,
    });
    const g = await invite(who);
    const got = await until(() => push.received.find((r) => r.path === '/sub-retry'));
    expect(got.payload).toEqual({
      type: 'GROUP_INVITATION',
      title: `Olive Owner invites you to join ${g.name}`,
      link: `http://ruche.test/groups/${g.id}`,
    });
    expect(got.headers['content-encoding']).toBe('aes128gcm');
    expect(String(got.headers.authorization)).toMatch(/^vapid t=/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(push.hits.filter((p) => p === '/sub-retry')).toEqual(['/sub-retry', '/sub-retry']);
    expect(push.received.filter((r) => r.path === '/sub-retry')).toHaveLength(1);
  });

  it('removes a subscription whose endpoint answers 410, without retrying', async () => {
    const who = await someone(h);
    const b = push.browser('/sub-gone');
    push.script.set('/sub-gone', [410]);
    await h.ok(REGISTER, { input: b.input }, who.token);
    await invite(who);
    await until(async () =>
      (await h.db.query('SELECT 1 FROM push_subscriptions WHERE endpoint = $1', [b.endpoint]))
        .rowCount === 0
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(push.hits.filter((p) => p === '/sub-gone')).toHaveLength(1);
  });

  it('removePushSubscription removes only the viewer’s own endpoint', async () => {
    const [a, other] = [await someone(h), await someone(h)];
    const b = push.browser('/sub-removed');
    await h.ok(REGISTER, { input: b.input }, a.token);
    expect(await h.ok(REMOVE, { e: b.endpoint }, other.token)).toEqual({
      removePushSubscription: false,
    });
    expect(await h.ok(REMOVE, { e: b.endpoint }, a.token)).toEqual({
      removePushSubscription: true,
    });
  });
});

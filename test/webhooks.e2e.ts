import { createHmac } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { throwawayCert } from './support/push-service.mjs';
import { until } from './support/workers.js';

// Outgoing webhooks against a real HTTPS receiver on 127.0.0.1 (a throwaway certificate the worker
// trusts through WEBHOOKS_CA_FILE; 127.0.0.1/32 allowed through WEBHOOKS_ALLOWED_NETWORKS only).
interface Hit {
  path: string;
  headers: Record<string, string>;
  body: string;
}
const cert = throwawayCert();
const hits: Hit[] = [];
const flakyIds = new Map<string, number>();
const receiver = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const hit = {
      path: req.url ?? '',
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    hits.push(hit);
    let status = 200;
    if (hit.path === '/down') status = 500;
    if (hit.path === '/flaky') {
      const id = hit.headers['webhook-id'];
      const n = (flakyIds.get(id) ?? 0) + 1;
      flakyIds.set(id, n);
      status = n <= 2 ? 500 : 200;
    }
    res.writeHead(status).end();
  });
});

let h: Harness;
let admin: Someone, manager: Someone, member: Someone;
let base: string;

const CREATE = `mutation($url: String!, $events: [WebhookEvent!]!, $g: ID) {
  createWebhook(url: $url, events: $events, groupId: $g) { secret webhook { id url events active consecutiveFailures group { id } } } }`;
const LIST = `query($g: ID) { webhooks(groupId: $g) { id active consecutiveFailures } }`;
const DELETE = `mutation($id: ID!) { deleteWebhook(id: $id) }`;
const POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`;

/** Standard Webhooks, checked here from the spec, not with the code under test. */
function verify(secret: string, hit: Hit): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${hit.headers['webhook-id']}.${hit.headers['webhook-timestamp']}.${hit.body}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  return hit.headers['webhook-signature'] === `v1,${expected}`;
}

const post = async (by: Someone, body: string, audience: Record<string, unknown>) =>
  (await h.ok(POST, { input: { body, audience } }, by.token)).createPost.id as string;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  h = await Harness.start({
    worker: true,
    env: {
      WEBHOOKS_CA_FILE: cert.caFile,
      WEBHOOKS_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_MAX_FAILURES: '3',
    },
  });
  [admin, manager, member] = await Promise.all([
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Manon Manager'),
    someone(h, 'MEMBER', 'ACTIVE', 'Marc Member'),
  ]);
}, 60000);
afterAll(async () => {
  await h.stop();
  await new Promise((r) => receiver.close(r));
  cert.dispose();
});

describe('outgoing webhooks', () => {
  let secret: string;

  it('refuses private and loopback addresses outside the allowed network, http, members network-wide', async () => {
    for (const url of [
      'https://10.0.0.1/x',
      'https://127.0.0.2/x',
      'https://[::1]/x',
      'https://192.168.1.10/',
    ]) {
      const r = await h.gql(CREATE, { url, events: ['POST_CREATED'] }, { token: admin.token });
      expect([url, codeOf(r), fieldOf(r)]).toEqual([url, 'BAD_USER_INPUT', 'url']);
    }
    const plain = await h.gql(
      CREATE,
      { url: 'http://example.com/x', events: ['POST_CREATED'] },
      { token: admin.token },
    );
    expect([codeOf(plain), fieldOf(plain)]).toEqual(['BAD_USER_INPUT', 'url']);
    const none = await h.gql(CREATE, { url: `${base}/ok`, events: [] }, { token: admin.token });
    expect([codeOf(none), fieldOf(none)]).toEqual(['BAD_USER_INPUT', 'events']);
    const byMember = await h.gql(
      CREATE,
      { url: `${base}/ok`, events: ['POST_CREATED'] },
      { token: member.token },
    );
    expect(codeOf(byMember)).toBe('FORBIDDEN');
  });

  it('reaches the receiver with a valid Standard Webhooks signature', async () => {
    const { createWebhook } = await h.ok(
      CREATE,
      { url: `${base}/ok`, events: ['POST_CREATED'] },
      admin.token,
    );
    secret = createWebhook.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(createWebhook.webhook).toMatchObject({
      active: true,
      group: null,
      events: ['POST_CREATED'],
    });
    const id = await post(member, 'Hello **network**', { kind: 'NETWORK' });
    await until(
      'the delivery',
      () => hits.some((x) => x.path === '/ok' && x.body.includes(id)),
      20000,
    );
    const hit = hits.find((x) => x.path === '/ok' && x.body.includes(id))!;
    expect(verify(secret, hit)).toBe(true);
    expect(verify(`whsec_${Buffer.alloc(32).toString('base64')}`, hit)).toBe(false);
    expect(Math.abs(Number(hit.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    const payload = JSON.parse(hit.body);
    expect(payload).toMatchObject({
      type: 'post.created',
      data: { postId: id, post: { id, body: 'Hello **network**', authorId: member.id } },
    });
  });

  it('never carries what its owner may not read: a post in a SECRET group the admin is not in is not sent', async () => {
    const { createGroup } = await h.ok(
      CREATE_GROUP,
      { input: { name: 'Hidden', visibility: 'SECRET', joinPolicy: 'INVITE' } },
      member.token,
    );
    const hidden = await post(member, 'secret plans', { kind: 'GROUP', groupId: createGroup.id });
    const after = await post(member, 'after the secret one', { kind: 'NETWORK' });
    await until(
      'the later delivery',
      () => hits.some((x) => x.path === '/ok' && x.body.includes(after)),
      20000,
    );
    // Both were dispatched in order; the hidden one is skipped, not sent.
    await until('the hidden delivery settled', async () => {
      const { rows } = await h.db.query(
        `SELECT d.status FROM webhook_deliveries d JOIN activities a ON a.id = d.activity_id WHERE a.post_id = $1`,
        [hidden],
      );
      return rows[0]?.status === 'SKIPPED';
    });
    expect(hits.filter((x) => x.body.includes(hidden) || x.body.includes('secret plans'))).toEqual(
      [],
    );
    expect(hits.filter((x) => x.body.includes(createGroup.id))).toEqual([]);
  });

  it('a group manager subscribes their group; retried while the receiver fails (500 twice, then 200)', async () => {
    const { createGroup } = await h.ok(
      CREATE_GROUP,
      { input: { name: 'Builds', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
      manager.token,
    );
    const g = createGroup.id;
    const denied = await h.gql(
      CREATE,
      { url: `${base}/flaky`, events: ['POST_CREATED'], g },
      { token: member.token },
    );
    expect(codeOf(denied)).toBe('FORBIDDEN');
    const { createWebhook } = await h.ok(
      CREATE,
      { url: `${base}/flaky`, events: ['POST_CREATED', 'MEMBER_JOINED'], g },
      manager.token,
    );
    expect(createWebhook.webhook.group).toEqual({ id: g });
    const id = await post(manager, 'flaky build', { kind: 'GROUP', groupId: g });
    await until(
      'three attempts',
      () => hits.filter((x) => x.path === '/flaky' && x.body.includes(id)).length >= 3,
      30000,
    );
    const attempts = hits.filter((x) => x.path === '/flaky' && x.body.includes(id));
    // The same webhook-id every time (receivers deduplicate with it), each one signed.
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(attempts.every((a) => verify(createWebhook.secret, a))).toBe(true);
    await until('delivered', async () => {
      const { rows } = await h.db.query(
        `SELECT status, attempts FROM webhook_deliveries WHERE id = $1`,
        [attempts[0].headers['webhook-id']],
      );
      return rows[0]?.status === 'DELIVERED' && rows[0].attempts === 3;
    });
    const { webhooks } = await h.ok(LIST, { g }, manager.token);
    expect(webhooks).toEqual([
      { id: createWebhook.webhook.id, active: true, consecutiveFailures: 0 },
    ]);
    // Only events of this group: a NETWORK post is not sent there.
    expect(hits.filter((x) => x.path === '/flaky').every((x) => x.body.includes(g))).toBe(true);
    expect(
      codeOf(await h.gql(DELETE, { id: createWebhook.webhook.id }, { token: member.token })),
    ).toBe('FORBIDDEN');
    expect(
      (await h.ok(DELETE, { id: createWebhook.webhook.id }, manager.token)).deleteWebhook,
    ).toBe(true);
  });

  it('is disabled after repeated failures, and its owner is emailed', async () => {
    const { createWebhook } = await h.ok(
      CREATE,
      { url: `${base}/down`, events: ['POST_CREATED'] },
      admin.token,
    );
    await post(member, 'nobody listens', { kind: 'NETWORK' });
    await until(
      'disabled',
      async () => {
        const { rows } = await h.db.query('SELECT active FROM webhooks WHERE id = $1', [
          createWebhook.webhook.id,
        ]);
        return rows[0].active === false;
      },
      30000,
    );
    expect(hits.filter((x) => x.path === '/down').length).toBe(3);
    const { rows } = await h.db.query('SELECT email FROM users WHERE id = $1', [admin.id]);
    const mail = await h.smtp.waitFor(
      rows[0].email,
      (m) => /disabled/.test(m.subject ?? ''),
      20000,
    );
    expect(mail.text).toContain(`${base}/down`);
    const { webhooks } = await h.ok(LIST, {}, admin.token);
    expect(webhooks.find((w: { id: string }) => w.id === createWebhook.webhook.id)).toMatchObject({
      active: false,
      consecutiveFailures: 3,
    });
    // Disabled: the next event sends nothing more.
    const next = await post(member, 'still nobody', { kind: 'NETWORK' });
    await until(
      'the /ok delivery of the next post',
      () => hits.some((x) => x.path === '/ok' && x.body.includes(next)),
      20000,
    );
    expect(hits.filter((x) => x.path === '/down').length).toBe(3);
  });
});

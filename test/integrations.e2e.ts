import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { until } from './support/workers.js';

// Incoming integrations: a bot posting into its one group through createPost's path.
let h: Harness;
let owner: Someone, member: Someone, outsider: Someone, admin: Someone, plain: Someone;
let groupId: string;

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!, $r: GroupRole) { inviteToGroup(groupId: $g, userIds: $u, role: $r) { status } }`;
const RESPOND = `mutation($g: ID!) { respondToGroupInvitation(groupId: $g, accept: true) { status } }`;
const CREATE = `mutation($g: ID!, $n: String!) { createIntegration(groupId: $g, name: $n) {
  url integration { id name revoked group { id } bot { id handle displayName isBot } } } }`;
const ROTATE = `mutation($id: ID!) { rotateIntegrationSecret(id: $id) { url integration { id revoked } } }`;
const REVOKE = `mutation($id: ID!) { revokeIntegration(id: $id) }`;
const LIST = `query($g: ID!) { integrations(groupId: $g) { id name revoked lastUsedAt calls { status ip size at } } }`;
const FEED = `query($id: ID) { group(id: $id) { membersCount feed(first: 50) { nodes { id body bodyHtml author { id isBot displayName } } } } }`;
const DIRECTORY = `query($q: String) { users(query: $q, first: 50) { nodes { id } } }`;
const SEARCH = `query($q: String!) { search(query: $q, kinds: [USER], first: 20) { nodes { __typename ... on User { id } } } }`;

/** Calls an integration's URL as a tool would (the URL names PUBLIC_URL; the test's API is elsewhere). */
async function hook(url: string, body: unknown, type = 'application/json') {
  const path = new URL(url).pathname;
  const res = await fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

beforeAll(async () => {
  h = await Harness.start({ worker: true, env: { INTEGRATION_CALLS_PER_MINUTE: '6' } });
  [owner, member, outsider, admin, plain] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Olga Owner'),
    someone(h, 'MEMBER', 'ACTIVE', 'Mehdi Member'),
    someone(h, 'MEMBER', 'ACTIVE', 'Oscar Outsider'),
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Paula Plain'),
  ]);
  const { createGroup } = await h.ok(
    CREATE_GROUP,
    { input: { name: 'Ops', visibility: 'PRIVATE', joinPolicy: 'INVITE' } },
    owner.token,
  );
  groupId = createGroup.id;
  for (const who of [member, plain]) {
    await h.ok(INVITE, { g: groupId, u: [who.id] }, owner.token);
    await h.ok(RESPOND, { g: groupId }, who.token);
  }
}, 60000);
afterAll(() => h.stop());

describe('incoming integrations', () => {
  let url: string;
  let integrationId: string;
  let botId: string;

  it('only a manager of the group creates one; the bot is shown as a bot', async () => {
    const byMember = await h.gql(CREATE, { g: groupId, n: 'CI' }, { token: member.token });
    expect(codeOf(byMember)).toBe('FORBIDDEN');
    // A PRIVATE group is listed to the outsider: refused; a group that does not exist for them: its field.
    const byOutsider = await h.gql(CREATE, { g: groupId, n: 'CI' }, { token: outsider.token });
    expect(codeOf(byOutsider)).toBe('FORBIDDEN');
    const nowhere = await h.gql(
      CREATE,
      { g: '00000000-0000-4000-8000-000000000000', n: 'CI' },
      { token: owner.token },
    );
    expect([codeOf(nowhere), fieldOf(nowhere)]).toEqual(['BAD_USER_INPUT', 'groupId']);
    const blank = await h.gql(CREATE, { g: groupId, n: '  ' }, { token: owner.token });
    expect([codeOf(blank), fieldOf(blank)]).toEqual(['BAD_USER_INPUT', 'name']);

    const { createIntegration } = await h.ok(CREATE, { g: groupId, n: 'CI builds' }, owner.token);
    url = createIntegration.url;
    integrationId = createIntegration.integration.id;
    botId = createIntegration.integration.bot.id;
    expect(url).toMatch(/^http:\/\/ruche\.test\/hooks\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{43}$/);
    expect(createIntegration.integration).toMatchObject({
      name: 'CI builds',
      revoked: false,
      group: { id: groupId },
      bot: { displayName: 'CI builds', isBot: true },
    });
    // The secret is kept hashed: the URL's secret is nowhere in the database.
    const secret = url.split('/').pop()!;
    const { rows } = await h.db.query('SELECT secret_hash FROM integrations WHERE id = $1', [
      integrationId,
    ]);
    expect(rows[0].secret_hash).not.toContain(secret);
    expect(codeOf(await h.gql(LIST, { g: groupId }, { token: member.token }))).toBe('FORBIDDEN');
  });

  it('posts in its group through createPost: in the feed of members, sanitized, notified', async () => {
    const res = await hook(url, {
      text: 'Build **green** <script>alert(1)</script> @mehdi.member',
    });
    expect(res).toMatchObject({ status: 200, body: { ok: true, postId: expect.any(String) } });
    const slack = await hook(url, {
      text: 'fallback',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Deploy* done: <https://x.test|notes>' },
        },
      ],
    });
    expect(slack.status).toBe(200);

    const feed = (await h.ok(FEED, { id: groupId }, member.token)).group;
    const bodies = feed.feed.nodes.map((p: { body: string }) => p.body);
    expect(bodies).toEqual([
      '**Deploy** done: [notes](https://x.test)',
      expect.stringContaining('Build **green**'),
    ]);
    const first = feed.feed.nodes[1];
    expect(first.author).toEqual({ id: botId, isBot: true, displayName: 'CI builds' });
    expect(first.bodyHtml).toContain('<strong>green</strong>');
    expect(first.bodyHtml).not.toContain('<script');
    // Not counted as a member: the owner and two members.
    expect(feed.membersCount).toBe(3);
    // Not readable outside the group (PRIVATE): the outsider sees no feed.
    const outside = await h.gql(FEED, { id: groupId }, { token: outsider.token });
    expect(outside.data?.group?.feed?.nodes ?? []).toEqual([]);
    // The normal pipeline ran: members get the group's notification from the bot.
    await until('the GROUP_POST notification', async () => {
      const { rows } = await h.db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE actor_id = $1 AND recipient_id = $2`,
        [botId, plain.id],
      );
      return rows[0].n >= 1;
    });
  });

  it('the bot is never a person: not in the directory, not in search, cannot sign in, reads nothing', async () => {
    const dir = await h.ok(DIRECTORY, { q: 'CI' }, admin.token);
    expect(dir.users.nodes.map((u: { id: string }) => u.id)).not.toContain(botId);
    const all = await h.ok(DIRECTORY, {}, member.token);
    expect(all.users.nodes.map((u: { id: string }) => u.id)).not.toContain(botId);
    const found = await h.ok(SEARCH, { q: 'CI builds' }, member.token);
    expect(found.search.nodes.map((u: { id: string }) => u.id)).not.toContain(botId);
    const { rows } = await h.db.query(
      'SELECT status, is_bot, password_hash, email FROM users WHERE id = $1',
      [botId],
    );
    expect(rows[0]).toMatchObject({ status: 'DEACTIVATED', is_bot: true, password_hash: null });
    const signIn = await h.gql(
      `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`,
      { e: rows[0].email, p: 'anything at all, really' },
    );
    expect(codeOf(signIn)).toBe('UNAUTHENTICATED');
    // An admin cannot turn it into a person.
    const back = await h.gql(
      `mutation($u: ID!) { reactivateUser(userId: $u) { id } }`,
      { u: botId },
      {
        token: admin.token,
      },
    );
    expect([codeOf(back), fieldOf(back)]).toEqual(['BAD_USER_INPUT', 'userId']);
  });

  it('clear errors: content type, bad JSON, missing text, size; never a 500', async () => {
    expect(await hook(url, 'text=hi', 'application/x-www-form-urlencoded')).toMatchObject({
      status: 415,
      body: { code: 'BAD_USER_INPUT', field: 'content-type' },
    });
    expect(await hook(url, '{"text": ', 'application/json')).toMatchObject({
      status: 400,
      body: { field: 'body' },
    });
    expect(await hook(url, { blocks: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'blocks' },
    });
    expect(await hook(url, { text: 'x'.repeat(70 * 1024) })).toMatchObject({
      status: 413,
      body: { field: 'body' },
    });
  });

  it('every call is recorded (time, status, ip, size; not the body) and listed to managers', async () => {
    const { integrations } = await h.ok(LIST, { g: groupId }, owner.token);
    const mine = integrations.find((i: { id: string }) => i.id === integrationId);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(mine.calls.map((c: { status: number }) => c.status)).toEqual([
      413, 400, 400, 415, 200, 200,
    ]);
    expect(mine.calls[0]).toMatchObject({ ip: expect.stringContaining('127.0.0.1') });
    expect(mine.calls[0].size).toBeGreaterThan(70 * 1024);
    const { rows } = await h.db.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'integration_calls'",
    );
    expect(rows.map((r: { column_name: string }) => r.column_name).sort()).toEqual([
      'created_at',
      'id',
      'integration_id',
      'ip',
      'size',
      'status',
    ]);
  });

  it('is rate limited per integration, with Retry-After', async () => {
    // 6 a minute: six calls above were counted, so this one is refused.
    const res = await hook(url, { text: 'one too many' });
    expect(res.status).toBe(429);
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('a rotated-away secret and a revoked integration are refused', async () => {
    const { createIntegration } = await h.ok(CREATE, { g: groupId, n: 'Tickets' }, owner.token);
    const old = createIntegration.url;
    const id = createIntegration.integration.id;
    expect((await hook(old, { text: 'before rotation' })).status).toBe(200);
    const { rotateIntegrationSecret } = await h.ok(ROTATE, { id }, owner.token);
    expect(rotateIntegrationSecret.url).not.toBe(old);
    expect(await hook(old, { text: 'old secret' })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect((await hook(rotateIntegrationSecret.url, { text: 'new secret' })).status).toBe(200);
    // Managers only.
    expect(codeOf(await h.gql(REVOKE, { id }, { token: member.token }))).toBe('FORBIDDEN');
    expect(codeOf(await h.gql(REVOKE, { id }, { token: outsider.token }))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await h.gql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }, { token: owner.token }),
      ),
    ).toBe('NOT_FOUND');
    expect((await h.ok(REVOKE, { id }, owner.token)).revokeIntegration).toBe(true);
    expect((await hook(rotateIntegrationSecret.url, { text: 'revoked' })).status).toBe(404);
    const bodies = (await h.ok(FEED, { id: groupId }, member.token)).group.feed.nodes.map(
      (p: { body: string }) => p.body,
    );
    expect(bodies).toContain('new secret');
    expect(bodies).not.toContain('old secret');
    expect(bodies).not.toContain('revoked');
    // A made-up id or secret: the same 404.
    expect((await hook(`http://x/hooks/${id}/nope`, { text: 'x' })).status).toBe(404);
    expect((await hook('http://x/hooks/not-a-uuid/nope', { text: 'x' })).status).toBe(404);
  });
});

describe('outgoing webhooks by default (no WEBHOOKS_ALLOWED_NETWORKS)', () => {
  const CREATE_WEBHOOK = `mutation($url: String!) { createWebhook(url: $url, events: [POST_CREATED]) { secret } }`;

  it.each([
    'https://127.0.0.1/hook',
    'https://127.0.0.1:8443/hook',
    'https://10.0.0.1/hook',
    'https://10.200.3.4/hook',
    'https://localhost/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://169.254.169.254/latest/meta-data',
  ])('refuses %s (BAD_USER_INPUT on url)', async (url) => {
    const r = await h.gql(CREATE_WEBHOOK, { url }, { token: admin.token });
    expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', 'url']);
    const { rows } = await h.db.query('SELECT count(*)::int AS n FROM webhooks');
    expect(rows[0].n).toBe(0);
  });
});

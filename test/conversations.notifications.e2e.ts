import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Clock } from '@ruche/notifications';
import { Harness } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { TestPushService, throwawayCert } from './support/push-service.mjs';
import { until } from './support/workers.js';

/**
 * Messages through the notification pipeline, with the real worker, SMTP server and a Web Push
 * endpoint: in the app, by email and push; someone removed from a conversation is told nothing of
 * what is written after; a muted conversation stays quiet; quiet hours delay email and push to the
 * window's end while the app has it at once.
 */
let h: Harness;
let push: TestPushService;
let cert: ReturnType<typeof throwawayCert>;
let a: Someone, b: Someone, c: Someone;
const clients: Client[] = [];
const emails = new Map<string, string>();

beforeAll(async () => {
  cert = throwawayCert();
  push = await new TestPushService().start(cert);
  h = await Harness.start({ worker: true, env: { PUSH_CA_FILE: cert.caFile } });
  [a, b, c] = [await someone(h), await someone(h), await someone(h)];
  for (const p of [a, b, c]) await browser(p);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await h.stop();
  await push.stop();
  cert.dispose();
});

async function browser(p: Someone): Promise<void> {
  const { rows } = await h.db.query('SELECT email FROM users WHERE id = $1', [p.id]);
  emails.set(p.id, (rows[0] as { email: string }).email);
  await h.ok(
    `mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) }`,
    { input: push.browser(`/browser/${p.id}`).input },
    p.token,
  );
}

const mailsOf = (p: Someone) => h.smtp.to(emails.get(p.id)!);
const pushesOf = (p: Someone) => push.received.filter((r) => r.path === `/browser/${p.id}`);
const linkOf = (id: string) => `/messages/${id}`;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inApp(p: Someone): Promise<{ type: string; actor: { id: string } | null }[]> {
  const r = await h.ok(`{ notifications(first: 50) { nodes { type actor { id } } } }`, {}, p.token);
  return (r.notifications.nodes as { type: string; actor: { id: string } | null }[]).filter(
    (n) => n.type === 'MESSAGE',
  );
}

async function send(from: Someone, conversationId: string, body: string): Promise<string> {
  const r = await h.ok(
    `mutation($c: ID!, $b: String!) { sendMessage(conversationId: $c, body: $b) { id } }`,
    { c: conversationId, b: body },
    from.token,
  );
  return r.sendMessage.id as string;
}

it('a removed person gets no notification, email, push or live notification of what follows', async () => {
  const live: unknown[] = [];
  const client = createClient({
    url: `${h.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${c.token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const ready = new Promise<void>((r) => client.on('connected', () => r()));
  client.subscribe(
    { query: 'subscription { notificationAdded { id type } }' },
    { next: (m) => live.push(m), error: () => undefined, complete: () => undefined },
  );
  await ready;
  await settle(300);

  const started = await h.ok(
    `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "première nouvelle") { id lastMessage { id } } }`,
    { p: [b.id, c.id] },
    a.token,
  );
  const id = started.startConversation.id as string;
  const first = started.startConversation.lastMessage.id as string;
  await until('C is told of the first message by email and push', () =>
    Promise.resolve(mailsOf(c).length === 1 && pushesOf(c).length === 1),
  );
  expect(mailsOf(c)[0].text).toContain(linkOf(first));
  expect(mailsOf(c)[0].text).toMatch(/sent you a message|vous a envoyé un message/);
  expect(JSON.stringify(pushesOf(c)[0].payload)).toContain(linkOf(first));
  expect(await inApp(c)).toEqual([{ type: 'MESSAGE', actor: { id: a.id } }]);
  expect(live).toHaveLength(1);

  await h.ok(
    `mutation($c: ID!, $u: ID!) { removeParticipant(conversationId: $c, userId: $u) { id } }`,
    { c: id, u: c.id },
    a.token,
  );
  const after = await send(a, id, 'secret after the removal');
  // B is told (the control: the pipeline ran for this message).
  await until('B is told of the second message', () =>
    Promise.resolve(
      mailsOf(b).some((m) => (m.text ?? '').includes(linkOf(after))) &&
        pushesOf(b).some((p) => JSON.stringify(p.payload).includes(linkOf(after))),
    ),
  );
  await settle(1500);
  expect(mailsOf(c)).toHaveLength(1);
  expect(pushesOf(c)).toHaveLength(1);
  expect(await inApp(c)).toHaveLength(1);
  expect(live).toHaveLength(1);
  const { rows } = await h.db.query(
    `SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1 AND message_id = $2`,
    [c.id, after],
  );
  expect(rows[0]).toEqual({ n: 0 });
  // No email or push carries a message's words.
  expect(JSON.stringify([...mailsOf(b), ...pushesOf(b).map((p) => p.payload)])).not.toContain(
    'secret',
  );

  // Muted: B hears nothing more of this conversation, but reads it.
  await h.ok(
    `mutation($c: ID!) { muteConversation(conversationId: $c, muted: true) { muted } }`,
    { c: id },
    b.token,
  );
  const mailsB = mailsOf(b).length;
  const quiet = await send(a, id, 'while muted');
  await settle(2500);
  expect(mailsOf(b)).toHaveLength(mailsB);
  expect(pushesOf(b).some((p) => JSON.stringify(p.payload).includes(linkOf(quiet)))).toBe(false);
}, 40_000);

it('during quiet hours: in the app at once, by email and push at the window’s end', async () => {
  const dora = await someone(h, 'MEMBER', 'ACTIVE', 'Dora Nuit');
  await browser(dora);
  await h.ok(
    `mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { emailDigest } }`,
    {
      input: {
        quietHours: {
          start: '22:00',
          end: '07:00',
          days: [1, 2, 3, 4, 5, 6, 7],
          timezone: 'Europe/Paris',
        },
      },
    },
    dora.token,
  );
  const clock = h.worker!.get(Clock);
  const apiClock = h.api.get(Clock);
  // 06:59:40 in Paris (CET): the window ends in twenty seconds.
  clock.set(new Date('2026-01-15T05:59:40Z'));
  apiClock.set(new Date('2026-01-15T05:59:40Z'));
  try {
    // Before writing, the sender sees that Dora is in quiet hours, and until when.
    const one = await h.ok(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "bonjour") { id participants { id quietHoursUntil } } }`,
      { p: [b.id, dora.id] },
      a.token,
    );
    const seen = await h.ok(
      `query($id: ID!) { conversation(id: $id) { participants { id quietHoursUntil } } }`,
      { id: one.startConversation.id },
      a.token,
    );
    expect(seen.conversation.participants).toContainEqual({
      id: dora.id,
      quietHoursUntil: '2026-01-15T06:00:00.000Z',
    });
    expect(seen.conversation.participants).toContainEqual({ id: b.id, quietHoursUntil: null });
    const started = await h.ok(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "tôt le matin") { lastMessage { id } } }`,
      { p: [dora.id] },
      a.token,
    );
    const mid = started.startConversation.lastMessage.id as string;
    await until('in the app at once', async () => (await inApp(dora)).length === 2);
    const { rows } = await h.db.query(
      `SELECT d.channel, d.due_at, d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.message_id = $1 AND d.user_id = $2 ORDER BY d.channel`,
      [mid, dora.id],
    );
    expect(rows.map((r: { channel: string }) => r.channel)).toEqual(['EMAIL', 'PUSH']);
    for (const r of rows as { due_at: Date; status: string }[]) {
      expect(r.due_at.toISOString()).toBe('2026-01-15T06:00:00.000Z');
      expect(r.status).toBe('PENDING');
    }
    expect(mailsOf(dora)).toHaveLength(0);
    expect(pushesOf(dora)).toHaveLength(0);
    const mail = await h.smtp.waitFor(
      emails.get(dora.id)!,
      (m) => (m.text ?? '').includes(linkOf(mid)),
      45_000,
    );
    expect(mail).toBeTruthy();
    // Both messages waited for the end: one push (a summary of the two, as the pipeline batches).
    await until('the push at the window’s end', () => Promise.resolve(pushesOf(dora).length >= 1));
    // Not before the end: the clock read at least the window's end when they left.
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-01-15T06:00:00Z'));
  } finally {
    clock.reset();
    apiClock.reset();
  }
}, 70_000);

import { Harness } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { freePort, PrivateRedis } from './support/redis.js';
import { killWorkers, startWorker, stopWorker, until } from './support/workers.js';

/**
 * Faults of the notification pipeline with real worker processes (`node dist/apps/worker/main.js`)
 * and a Redis of this file's own: a worker killed with SIGKILL while emails are in flight, Redis
 * unreachable for a while, Redis restarted empty (it keeps nothing on disk). Every notification
 * must be delivered exactly once by email.
 */
let h: Harness;
let admin: Someone;
let redis: PrivateRedis;

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  h = await Harness.start({ env: { REDIS_URL: redis.url } });
  admin = await someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin');
  for (let i = 0; i < 4; i++)
    await Promise.all(
      Array.from({ length: 10 }, (_, j) => someone(h, 'MEMBER', 'ACTIVE', `Reader ${i * 10 + j}`)),
    );
}, 60000);
afterAll(async () => {
  await killWorkers();
  await h.stop();
  await redis.stop();
});

/** The addresses a NETWORK announcement reaches: every ACTIVE non-guest but its author. */
async function readers(): Promise<string[]> {
  const rows = (
    await h.db.query(
      `SELECT email FROM users WHERE status = 'ACTIVE' AND role <> 'GUEST' AND id <> $1`,
      [admin.id],
    )
  ).rows as { email: string }[];
  return rows.map((r) => r.email.toLowerCase());
}

async function announce(body: string): Promise<string> {
  return (
    await h.ok<{ createPost: { id: string } }>(
      CREATE_POST,
      { input: { body, audience: { kind: 'NETWORK' }, isAnnouncement: true } },
      admin.token,
    )
  ).createPost.id;
}

const statuses = async (postId: string): Promise<Record<string, number>> => {
  const rows = (
    await h.db.query(
      `SELECT d.status, count(*)::int AS n FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
      WHERE n.post_id = $1 AND d.channel = 'EMAIL' GROUP BY d.status`,
      [postId],
    )
  ).rows as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
};

/** Every reader got exactly one email (the announcement), and no one else any. */
async function expectExactlyOnce(emails: string[]): Promise<void> {
  await until(
    'every reader has the announcement',
    () => emails.every((e) => h.smtp.to(e).length >= 1),
    30000,
  );
  // Let anything duplicated arrive before counting.
  await new Promise((r) => setTimeout(r, 2500));
  for (const e of emails) expect({ e, n: h.smtp.to(e).length }).toEqual({ e, n: 1 });
  expect(h.smtp.mails).toHaveLength(emails.length);
  expect(h.smtp.mails.every((m) => /published an announcement/.test(m.subject ?? ''))).toBe(true);
}

/**
 * Announces with one worker while the SMTP server accepts ten mails, then holds the next ones
 * unanswered; kills that worker (SIGKILL) with sends in flight (none past the server's 250) and
 * others waiting, then runs `meanwhile` (more of the outage).
 */
async function announceAndKillMidway(body: string, meanwhile = async () => {}): Promise<string> {
  h.smtp.holdAfter = 10;
  const first = startWorker(h);
  const postId = await announce(body);
  await until(
    'ten mails accepted and others held',
    () => h.smtp.mails.length === 10 && h.smtp.held > 0,
  );
  await new Promise((r) => setTimeout(r, 500));
  await stopWorker(first, 'SIGKILL');
  await meanwhile();
  // The held sends die with their worker: wait until the server has seen every connection close
  // (slow under load) so none of them is accepted, then stop holding.
  await until('held sends dropped with their connections', () => h.smtp.held === 0, 20000);
  h.smtp.release();
  return postId;
}

/** A new worker delivers the rest: every reader has the announcement once, every delivery SENT. */
async function newWorkerDeliversTheRest(emails: string[], postId: string): Promise<void> {
  const second = startWorker(h);
  try {
    await expectExactlyOnce(emails);
    expect(await statuses(postId)).toEqual({ SENT: 40 });
  } finally {
    await stopWorker(second, 'SIGTERM');
  }
}

describe('faults', () => {
  it('a worker killed (SIGKILL) while emails are in flight: another worker delivers every one exactly once', async () => {
    const emails = await readers();
    expect(emails.length).toBe(40);
    const postId = await announceAndKillMidway('All hands at noon');
    expect(await statuses(postId)).toEqual({ SENT: 10, PENDING: 30 });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.smtp.mails).toHaveLength(10);
    // Redis kept the job: the next worker takes it over once its lock has expired.
    await newWorkerDeliversTheRest(emails, postId);
  }, 90000);

  it('Redis unreachable for a while: the outbox keeps the jobs, nothing is lost, nothing sent twice', async () => {
    h.smtp.mails.length = 0;
    const emails = await readers();
    // A port where nothing listens: the worker starts, its relay cannot reach Redis.
    const closed = await freePort();
    const blind = startWorker(h, { REDIS_URL: `redis://127.0.0.1:${closed}` });
    const postId = await announce('Redis is away');
    await new Promise((r) => setTimeout(r, 3000));
    // The write committed; its job waits in the outbox; nothing was notified or sent.
    const outbox = (
      await h.db.query(`SELECT count(*)::int AS n FROM outbox WHERE queue = 'notify'`)
    ).rows[0] as { n: number };
    expect(outbox.n).toBe(1);
    expect(
      (
        await h.db.query('SELECT count(*)::int AS n FROM notifications WHERE post_id = $1', [
          postId,
        ])
      ).rows[0],
    ).toEqual({ n: 0 });
    expect(h.smtp.mails).toEqual([]);
    await stopWorker(blind, 'SIGKILL');

    // Redis is back (the right address): the next worker relays the outbox and delivers.
    const seeing = startWorker(h);
    try {
      await expectExactlyOnce(emails);
      expect((await h.db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]).toEqual({ n: 0 });
      expect(await statuses(postId)).toEqual({ SENT: 40 });
    } finally {
      await stopWorker(seeing, 'SIGTERM');
    }
  }, 90000);

  it('Redis restarted empty, the worker killed with it, while emails wait: each reader gets one', async () => {
    h.smtp.mails.length = 0;
    const emails = await readers();
    // The machine goes down: the worker dies, Redis comes back holding no job.
    const postId = await announceAndKillMidway('The machine reboots', () => redis.restart());
    expect(await statuses(postId)).toEqual({ SENT: 10, PENDING: 30 });
    // The next worker finds Redis emptied and enqueues the pending deliveries again.
    await newWorkerDeliversTheRest(emails, postId);
  }, 90000);

  it('a job handed to Redis before it came back empty is handed again, and a worker lives through a restart', async () => {
    h.smtp.mails.length = 0;
    const emails = await readers();
    const outbox = async () =>
      ((await h.db.query('SELECT count(*)::int AS n FROM outbox')).rows[0] as { n: number }).n;
    // No worker runs: the announcement's notify job waits in the outbox. Then what the relay does
    // when it hands a job to BullMQ, and Redis loses it.
    await announce('Handed over, then lost');
    await h.db.query(`UPDATE outbox SET relayed_at = now() WHERE queue = 'notify'`);
    await redis.restart();

    const worker = startWorker(h);
    try {
      await expectExactlyOnce(emails);
      await until('the outbox emptied as its jobs finished', async () => (await outbox()) === 0);

      // The same worker, Redis restarted under it: the next announcement arrives too, once.
      h.smtp.mails.length = 0;
      await redis.restart();
      await announce('After the restart');
      await expectExactlyOnce(emails);
    } finally {
      await stopWorker(worker, 'SIGTERM');
    }
  }, 90000);
});

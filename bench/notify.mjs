#!/usr/bin/env node
// Notifications end to end with real worker processes: how long until the last in-app row exists,
// and how many emails and pushes per second leave, with 1 and 2 worker processes.
//
//   npm run build && flock /tmp/ruche-bench.lock node bench/notify.mjs > notify.json
//
// (flock: two benchmarks never share the machine.) Prints one JSON document on stdout, progress on
// stderr. It creates the database ruche_bench_notify (dropped first, dropped again at the end),
// migrates it with the real `ruche migrate` and inserts RECIPIENTS + 1 synthetic ACTIVE people (one
// in 97 a GUEST, one in 500 an ADMIN, so the worker's access check runs per role), each ACTIVE
// non-guest holding one push subscription to a local HTTPS Web Push endpoint (the tests' own,
// test/support/push-service.mjs) and taking announcements by IN_APP, EMAIL and PUSH. Emails go to a
// local SMTP server (smtp-server, counting only).
//
// Scenarios, each as content emits it (an outbox row for the `notify` job, relayed by the worker):
// - follow: a FOLLOW from person 0 to everyone, one worker inside this process, in-app only: the
//   notify job alone (guests see no one: the access re-check keeps them out, checked too);
// - then for each worker count in WORKERS, with that many `node dist/apps/worker/main.js`:
//   - warmUp: 100 mentions, reported but not a figure (a running installation's workers are warm);
//   - mention500: a post by person 0 mentioning 500 people (MENTION: IN_APP, EMAIL and PUSH by
//     default), waited for until every email and push arrived;
//   - announcement: an announcement to the network (`audience: 'NETWORK'`: every ACTIVE
//     non-guest but the author, RECIPIENTS - guests - 1 people), waited for likewise.
//   For each: ms until the last in-app row, emails and pushes per second (from the first one
//   received to the last, over the same span of time: both channels leave together), ms until the
//   last of each, the deliveries by status, and the CPU time each process spent during it (workers,
//   PostgreSQL backends of this database, this process's SMTP and push sinks) per message.
//
// Environment: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL,
// RECIPIENTS (default 10000), WORKERS (default "1,2"), DELIVERY_WAIT_MS (the longest wait for a
// scenario's emails and pushes, default 300000; rates are measured over what arrived), KEEP=1 to
// keep the database, WORKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": node options of
// the worker processes).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { DELIVERY_COUNTS } from '../dist/libs/notifications/delivery.metrics.js';
import { FakeBrowser, TestPushService, throwawayCert } from '../test/support/push-service.mjs';
import { explain } from './support.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB = 'ruche_bench_notify';
const N = Number(process.env.RECIPIENTS ?? 10_000);
const MENTIONED = 500;
const WAIT_MS = Number(process.env.DELIVERY_WAIT_MS ?? 300_000);
const PREFIX = `bench-notify-${process.pid}`;
const workerArgs = (process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  return url.toString();
})();
const log = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function dropKeys(prefix) {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/** CPU time (user + system, ms) a process has spent, from /proc; null where there is none. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** A reading of the CPU spent so far by the workers, this database's backends and this process. */
async function cpuReading(db, workers) {
  const backends = (
    await db.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [DB])
  ).rows.map((r) => r.pid);
  const usage = process.cpuUsage();
  return {
    workers: new Map(workers.map((w) => [w.pid, cpuMsOf(w.pid) ?? 0])),
    backends: new Map(backends.map((pid) => [pid, cpuMsOf(pid) ?? 0])),
    sinks: (usage.user + usage.system) / 1000,
  };
}

/** CPU ms spent between two readings (backends that appeared in between count from zero). */
function cpuSpent(before, after, messages) {
  const sum = (a, b) => [...b].reduce((t, [pid, ms]) => t + ms - (a.get(pid) ?? 0), 0);
  const spent = {
    workers: Math.round(sum(before.workers, after.workers)),
    postgres: Math.round(sum(before.backends, after.backends)),
    sinks: Math.round(after.sinks - before.sinks),
  };
  const per = (ms) => (messages ? Math.round((ms * 100) / messages) / 100 : null);
  return {
    ms: spent,
    msPerMessage: {
      workers: per(spent.workers),
      postgres: per(spent.postgres),
      sinks: per(spent.sinks),
      total: per(spent.workers + spent.postgres + spent.sinks),
    },
  };
}

const rate = (times) =>
  times.length > 1
    ? Math.round(((times.length - 1) * 1000) / (times[times.length - 1] - times[0]))
    : null;

async function main() {
  if (!existsSync(new URL('../dist/apps/worker/worker.js', import.meta.url)))
    throw new Error('run `npm run build` first');
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const cert = throwawayCert();
  const push = await new TestPushService().start(cert);
  const mails = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => (mails.push(Date.now()), callback()));
    },
  });
  await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: PREFIX,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    PUBLIC_URL: 'http://ruche.bench',
    SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`,
    PUSH_CA_FILE: cert.caFile,
  };
  const migrated = spawnSync(process.execPath, ['bin/ruche.js', 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (migrated.status !== 0)
    throw new Error(`ruche migrate failed:\n${migrated.stderr}${migrated.stdout}`);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const result = {
    command: 'npm run build && flock /tmp/ruche-bench.lock node bench/notify.mjs',
    machine: { cpus: cpus().length, loadAverageAtStart: loadavg().map((l) => +l.toFixed(2)) },
    recipients: N,
  };
  try {
    const people = await seed(db, push);
    log(`seeded ${N + 1} people`);
    result.follow = await follow(db, env, people);
    log(`follow: ${JSON.stringify(result.follow)}`);
    result.runs = [];
    for (const workers of (process.env.WORKERS ?? '1,2').split(',').map(Number)) {
      result.runs.push(await run(db, env, people, push, mails, workers));
    }
    // What a /metrics scrape asks PostgreSQL, over every delivery the runs made.
    const { medianMs, indexes, seqScans } = await explain(db, DELIVERY_COUNTS, [], 5);
    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM notification_deliveries')).rows;
    result.metricsScrape = { deliveries: n, medianMs, indexes, seqScans };
    log(`metrics scrape: ${JSON.stringify(result.metricsScrape)}`);
  } finally {
    await db.end();
    await dropKeys(PREFIX);
    if (!process.env.KEEP) await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    smtp.close();
    await push.stop();
    cert.dispose();
  }
  console.log(JSON.stringify(result, null, 2));
}

/** The people, their push subscriptions and their taste for announcements by every channel. */
async function seed(db, push) {
  await db.query('ALTER TABLE users ALTER COLUMN search_vector DROP NOT NULL');
  await db.query(
    `INSERT INTO users (email, handle, display_name, role, status, sort_name, search_text)
     SELECT 'p' || g || '@acme.test', 'p' || g, 'Person ' || g,
            CASE WHEN g > 0 AND g % 500 = 0 THEN 'ADMIN' WHEN g > 0 AND g % 97 = 0 THEN 'GUEST' ELSE 'MEMBER' END,
            'ACTIVE', 'person ' || g, 'person ' || g
       FROM generate_series(0, $1::int) AS g`,
    [N],
  );
  const all = (await db.query(`SELECT id, role FROM users WHERE handle <> 'p0' ORDER BY handle`))
    .rows;
  const actor = (await db.query(`SELECT id FROM users WHERE handle = 'p0'`)).rows[0].id;
  const readers = all.filter((r) => r.role !== 'GUEST').map((r) => r.id);
  await db.query(
    `INSERT INTO notification_preferences (user_id, settings) SELECT u, '{"ANNOUNCEMENT": ["IN_APP", "EMAIL", "PUSH"]}'::jsonb FROM unnest($1::uuid[]) AS u`,
    [readers],
  );
  // Each with a key pair and auth secret of its own, as browsers make them; the endpoint only counts.
  const keys = readers.map((u) => new FakeBrowser(`${push.url}/push/${u}`).input);
  await db.query(
    `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) SELECT u, e, k, a FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(u, e, k, a)`,
    [readers, keys.map((k) => k.endpoint), keys.map((k) => k.p256dh), keys.map((k) => k.auth)],
  );
  return { actor, all, readers };
}

async function emit(db, payload) {
  await db.query(
    `WITH added AS (INSERT INTO outbox (queue, payload) VALUES ('notify', $1) RETURNING id) SELECT pg_notify('ruche_outbox', '') FROM added`,
    [JSON.stringify(payload)],
  );
}

/** FOLLOW to everyone with one worker in this process: the notify job alone (no email, no push). */
async function follow(db, baseEnv, { actor, all }) {
  const { loadConfig } = await import('../dist/libs/config/index.js');
  const { createWorker } = await import('../dist/apps/worker/worker.js');
  const env = { ...baseEnv, REDIS_PREFIX: `${PREFIX}-follow` };
  const worker = await createWorker(loadConfig(env));
  try {
    const guests = all.filter((r) => r.role === 'GUEST').length;
    const expected = all.length - guests;
    const started = Date.now();
    await emit(db, { type: 'FOLLOW', actorId: actor, recipientIds: all.map((r) => r.id) });
    let count = 0;
    while (count < expected) {
      count = (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE type = 'FOLLOW'`))
        .rows[0].n;
      if (Date.now() - started > 120_000)
        throw new Error(`only ${count} of ${expected} rows after 120 s`);
      if (count < expected) await sleep(20);
    }
    const elapsedMs = Date.now() - started;
    await sleep(500);
    const final = (
      await db.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE u.role = 'GUEST')::int AS guests FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE n.type = 'FOLLOW'`,
      )
    ).rows[0];
    return {
      recipients: all.length,
      guestsExcluded: guests,
      rows: final.n,
      guestRows: final.guests,
      msUntilLastRow: elapsedMs,
    };
  } finally {
    await worker.close();
    await dropKeys(env.REDIS_PREFIX);
  }
}

/** Both scenarios with `workers` worker processes. */
async function run(db, baseEnv, people, push, mails, workers) {
  await db.query('TRUNCATE notifications, notification_deliveries, outbox CASCADE');
  const env = { ...baseEnv, REDIS_PREFIX: `${PREFIX}-w${workers}` };
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, [...workerArgs, 'dist/apps/worker/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  try {
    await sleep(4000); // the workers boot
    const post = async (announcement) =>
      (
        await db.query(
          `INSERT INTO posts (author_id, wall_owner_id, audience, body, body_html, is_announcement) VALUES ($1, $1, 'NETWORK', 'Bench', '<p>Bench</p>', $2) RETURNING id`,
          [people.actor, announcement],
        )
      ).rows[0].id;
    const mention = async (recipientIds) => {
      const postId = await post(false);
      return scenario(db, children, push, mails, postId, recipientIds.length, {
        type: 'MENTION',
        actorId: people.actor,
        postId,
        recipientIds,
      });
    };
    // A running installation's workers are warm: 100 mentions first (other readers), not counted,
    // so the 500 mentions measure sending rather than the processes' first seconds (JIT, pools).
    const warmUp = await mention(people.readers.filter((_, i) => i % 20 === 10).slice(0, 100));
    log(`${workers} worker(s), warm-up (100 mentions): ${JSON.stringify(warmUp)}`);
    // Every 20th reader: spread over the roles and the id order.
    const mention500 = await mention(
      people.readers.filter((_, i) => i % 20 === 0).slice(0, MENTIONED),
    );
    log(`${workers} worker(s), mention500: ${JSON.stringify(mention500)}`);
    const announcementPost = await post(true);
    const announcement = await scenario(
      db,
      children,
      push,
      mails,
      announcementPost,
      people.readers.length,
      {
        type: 'ANNOUNCEMENT',
        actorId: people.actor,
        postId: announcementPost,
        audience: 'NETWORK',
      },
    );
    log(`${workers} worker(s), announcement: ${JSON.stringify(announcement)}`);
    return { workers, warmUp, mention500, announcement };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
    await dropKeys(env.REDIS_PREFIX);
  }
}

/** One event to `expected` people: waits for their rows, then for their emails and pushes. */
async function scenario(db, children, push, mails, postId, expected, payload) {
  const mailsBefore = mails.length;
  const pushesBefore = push.received.length;
  const before = await cpuReading(db, children);
  const started = Date.now();
  await emit(db, payload);
  let inAppMs = null;
  const deadline = started + WAIT_MS;
  const arrived = () => ({
    mails: mails.slice(mailsBefore),
    pushes: push.received.slice(pushesBefore).map((r) => r.at),
  });
  while (Date.now() < deadline) {
    if (inAppMs === null) {
      const rows = (
        await db.query('SELECT count(*)::int AS n FROM notifications WHERE post_id = $1', [postId])
      ).rows[0].n;
      if (rows >= expected) inAppMs = Date.now() - started;
    }
    const now = arrived();
    if (inAppMs !== null && now.mails.length >= expected && now.pushes.length >= expected) break;
    await sleep(20);
  }
  const { mails: m, pushes: p } = arrived();
  const after = await cpuReading(db, children);
  await sleep(500); // the last commits after the sinks' answers
  const deliveries = (
    await db.query(
      `SELECT d.channel, d.status, count(*)::int AS n FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.post_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [postId],
    )
  ).rows;
  return {
    recipients: expected,
    msUntilLastInAppRow: inAppMs,
    emails: m.length,
    emailsPerSecond: rate(m),
    msUntilLastEmail: m.length ? m[m.length - 1] - started : null,
    pushes: p.length,
    pushesPerSecond: rate(p),
    msUntilLastPush: p.length ? p[p.length - 1] - started : null,
    deliveries: Object.fromEntries(deliveries.map((d) => [`${d.channel} ${d.status}`, d.n])),
    cpu: cpuSpent(before, after, m.length + p.length),
  };
}

main().then(
  () => process.exit(0),
  (error) => {
    log(error.stack ?? String(error));
    process.exit(1);
  },
);

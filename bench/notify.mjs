#!/usr/bin/env node
// Fan-out of one notification event to many recipients: how long until the last in-app row exists?
//
//   npm run build && node bench/notify.mjs
//
// Creates the database ruche_bench_notify (dropped first, dropped again at the end), migrates it with
// the real `ruche migrate`, inserts RECIPIENTS + 1 synthetic ACTIVE members (one in 97 a GUEST, one
// in 500 an ADMIN, so the worker's access check runs per role), starts one real worker (BullMQ,
// outbox relay, notify job) under its own Redis prefix, writes one outbox row for a `notify` job
// (FOLLOW from person 0 to everyone else, as NotifyService.emit does) and measures the time from that
// commit until RECIPIENTS - guests rows exist (guests share no group with the actor: they see no one,
// so the access re-check keeps them out — that is checked too). Prints a JSON summary.
//
//
// Then an ANNOUNCEMENT to the whole network (every ACTIVE non-guest: RECIPIENTS - guests), as
// content emits it (`audience: 'NETWORK'`, the worker walks the users in chunks), with every
// recipient choosing IN_APP + EMAIL + PUSH and holding one push subscription, delivered into a local
// SMTP server (smtp-server) and a local HTTPS Web Push endpoint (answers 201), with 1 then 2 real
// worker processes (`node dist/apps/worker/main.js`): time until the last in-app row, and emails
// and pushes per second (from the first one received to the last).
//
// Environment: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL,
// RECIPIENTS (default 10000), WORKERS (default "1,2"), DELIVERY_WAIT_MS (how long to wait for the
// emails and pushes, default 600000: rates are measured over what arrived), KEEP=1 to keep the database.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB = 'ruche_bench_notify';
const N = Number(process.env.RECIPIENTS ?? 10_000);
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  return url.toString();
})();
const log = (line) => process.stderr.write(`${line}\n`);

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  if (!existsSync(new URL('../dist/apps/worker/worker.js', import.meta.url)))
    throw new Error('run `npm run build` first');
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: `bench-notify-${process.pid}`,
    LOG_LEVEL: 'warn',
    SMTP_URL: 'smtp://127.0.0.1:1',
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
  let worker;
  try {
    await db.query('ALTER TABLE users ALTER COLUMN search_vector DROP NOT NULL');
    await db.query(
      `INSERT INTO users (email, handle, display_name, role, status, sort_name, search_text)
       SELECT 'p' || g || '@acme.test', 'p' || g, 'Person ' || g,
              CASE WHEN g > 0 AND g % 500 = 0 THEN 'ADMIN' WHEN g > 0 AND g % 97 = 0 THEN 'GUEST' ELSE 'MEMBER' END,
              'ACTIVE', 'person ' || g, 'person ' || g
         FROM generate_series(0, $1::int) AS g`,
      [N],
    );
    const ids = (await db.query(`SELECT id, role FROM users WHERE handle <> 'p0' ORDER BY handle`))
      .rows;
    const actor = (await db.query(`SELECT id FROM users WHERE handle = 'p0'`)).rows[0].id;
    const guests = ids.filter((r) => r.role === 'GUEST').length;
    const expected = ids.length - guests;

    const { loadConfig } = await import('../dist/libs/config/index.js');
    const { createWorker } = await import('../dist/apps/worker/worker.js');
    worker = await createWorker(loadConfig({ ...env, NODE_ENV: 'production' }));

    const started = Date.now();
    await db.query(
      `WITH added AS (INSERT INTO outbox (queue, payload) VALUES ('notify', $1) RETURNING id) SELECT pg_notify('ruche_outbox', '') FROM added`,
      [JSON.stringify({ type: 'FOLLOW', actorId: actor, recipientIds: ids.map((r) => r.id) })],
    );
    let count = 0;
    while (count < expected) {
      count = (await db.query('SELECT count(*)::int AS n FROM notifications')).rows[0].n;
      if (Date.now() - started > 120_000)
        throw new Error(`only ${count} of ${expected} rows after 120 s`);
      if (count < expected) await new Promise((r) => setTimeout(r, 20));
    }
    const elapsedMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 500));
    const final = (
      await db.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE u.role = 'GUEST')::int AS guests FROM notifications n JOIN users u ON u.id = n.recipient_id`,
      )
    ).rows[0];
    console.log(
      JSON.stringify(
        {
          follow: {
            recipients: ids.length,
            guestsExcluded: guests,
            rows: final.n,
            guestRows: final.guests,
            msUntilLastRow: elapsedMs,
          },
        },
        null,
        2,
      ),
    );
    await worker.close();
    worker = undefined;
    for (const w of (process.env.WORKERS ?? '1,2').split(',').map(Number)) {
      console.log(
        JSON.stringify({ announcement: await announce(db, env, actor, expected, w) }, null, 2),
      );
    }
  } finally {
    await worker?.close();
    await db.end();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${env.REDIS_PREFIX}:*`,
        'COUNT',
        1000,
      );
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    if (!process.env.KEEP) await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    smtp?.close();
    push?.close();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  }
}

let tls;
let smtp;
let push;
const counts = { mails: [], pushes: [] };

/** The local SMTP server and HTTPS push endpoint, started once; they note when each message came. */
async function sinks() {
  if (smtp) return;
  const dir = mkdtempSync(join(tmpdir(), 'ruche-bench-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  tls = {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    caFile: join(dir, 'cert.pem'),
    dir,
  };
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => (counts.mails.push(Date.now()), callback()));
    },
  });
  await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
  push = https.createServer(tls, (req, res) => {
    req.resume();
    req.on('end', () => {
      counts.pushes.push(Date.now());
      res.writeHead(201).end();
    });
  });
  await new Promise((r) => push.listen(0, '127.0.0.1', r));
}

const rate = (times) =>
  times.length > 1
    ? Math.round(((times.length - 1) * 1000) / (times[times.length - 1] - times[0]))
    : null;

/** One announcement to the network with `workers` worker processes. */
async function announce(db, baseEnv, actor, expected, workers) {
  await sinks();
  const pushUrl = `https://127.0.0.1:${push.address().port}`;
  await db.query(
    'TRUNCATE notifications, notification_deliveries, outbox, push_subscriptions, notification_preferences CASCADE',
  );
  const users = (
    await db.query(
      `SELECT id FROM users WHERE status = 'ACTIVE' AND role <> 'GUEST' AND id <> $1`,
      [actor],
    )
  ).rows.map((r) => r.id);
  await db.query(
    `INSERT INTO notification_preferences (user_id, settings) SELECT u, '{"ANNOUNCEMENT": ["IN_APP", "EMAIL", "PUSH"]}'::jsonb FROM unnest($1::uuid[]) AS u`,
    [users],
  );
  const keys = users.map(() => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    return {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    };
  });
  await db.query(
    `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) SELECT u, $2 || '/push/' || u, k, a FROM unnest($1::uuid[], $3::text[], $4::text[]) AS x(u, k, a)`,
    [users, pushUrl, keys.map((k) => k.p256dh), keys.map((k) => k.auth)],
  );
  const post = (
    await db.query(
      `INSERT INTO posts (author_id, wall_owner_id, audience, body, body_html, is_announcement) VALUES ($1, $1, 'NETWORK', 'Bench', '<p>Bench</p>', true) RETURNING id`,
      [actor],
    )
  ).rows[0].id;
  counts.mails = [];
  counts.pushes = [];
  const env = {
    ...baseEnv,
    NODE_ENV: 'production',
    PUBLIC_URL: 'http://ruche.bench',
    REDIS_PREFIX: `${baseEnv.REDIS_PREFIX}-w${workers}`,
    SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`,
    PUSH_CA_FILE: tls.caFile,
  };
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, ['dist/apps/worker/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  try {
    await new Promise((r) => setTimeout(r, 4000)); // the workers boot
    const started = Date.now();
    await db.query(
      `WITH added AS (INSERT INTO outbox (queue, payload) VALUES ('notify', $1) RETURNING id) SELECT pg_notify('ruche_outbox', '') FROM added`,
      [JSON.stringify({ type: 'ANNOUNCEMENT', actorId: actor, postId: post, audience: 'NETWORK' })],
    );
    let rows = 0;
    let inAppMs = null;
    const deadline = started + Number(process.env.DELIVERY_WAIT_MS ?? 600_000);
    while (
      Date.now() < deadline &&
      (inAppMs === null || counts.mails.length < expected || counts.pushes.length < expected)
    ) {
      if (inAppMs === null) {
        rows = (
          await db.query('SELECT count(*)::int AS n FROM notifications WHERE post_id = $1', [post])
        ).rows[0].n;
        if (rows >= expected) inAppMs = Date.now() - started;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const failed = (
      await db.query(
        `SELECT channel, status, count(*)::int AS n FROM notification_deliveries GROUP BY 1, 2 ORDER BY 1, 2`,
      )
    ).rows;
    return {
      workers,
      recipients: expected,
      msUntilLastInAppRow: inAppMs,
      emails: counts.mails.length,
      emailsPerSecond: rate(counts.mails),
      msUntilLastEmail: counts.mails.length
        ? counts.mails[counts.mails.length - 1] - started
        : null,
      pushes: counts.pushes.length,
      pushesPerSecond: rate(counts.pushes),
      msUntilLastPush: counts.pushes.length
        ? counts.pushes[counts.pushes.length - 1] - started
        : null,
      deliveries: failed,
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
    );
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(
        cursor,
        'MATCH',
        `${env.REDIS_PREFIX}:*`,
        'COUNT',
        1000,
      );
      if (found.length) await redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(error.stack ?? String(error));
    process.exit(1);
  },
);

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
// Environment: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL,
// RECIPIENTS (default 10000), KEEP=1 to keep the database.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

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
  if (!existsSync(new URL('../dist/apps/worker/worker.js', import.meta.url))) throw new Error('run `npm run build` first');
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const env = { DATABASE_URL: dbUrl, REDIS_URL, REDIS_PREFIX: `bench-notify-${process.pid}`, LOG_LEVEL: 'warn', SMTP_URL: 'smtp://127.0.0.1:1' };
  const migrated = spawnSync(process.execPath, ['bin/ruche.js', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (migrated.status !== 0) throw new Error(`ruche migrate failed:\n${migrated.stderr}${migrated.stdout}`);
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
    const ids = (await db.query(`SELECT id, role FROM users WHERE handle <> 'p0' ORDER BY handle`)).rows;
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
      if (Date.now() - started > 120_000) throw new Error(`only ${count} of ${expected} rows after 120 s`);
      if (count < expected) await new Promise((r) => setTimeout(r, 20));
    }
    const elapsedMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 500));
    const final = (await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE u.role = 'GUEST')::int AS guests FROM notifications n JOIN users u ON u.id = n.recipient_id`,
    )).rows[0];
    console.log(JSON.stringify({ recipients: ids.length, guestsExcluded: guests, rows: final.n, guestRows: final.guests, msUntilLastRow: elapsedMs }, null, 2));
  } finally {
    await worker?.close();
    await db.end();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    if (!process.env.KEEP) await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(error.stack ?? String(error));
    process.exit(1);
  },
);

#!/usr/bin/env node
// The home feed under load: homeFeed p50 / p99 and requests per second at 1 and 16 connections,
// against the real API process (`node bin/ruche.js api`), beside the raw-driver floor of the same
// page (ioredis + pg, no Nest, no GraphQL).
//
//   npm run build && node bench/feed.mjs
//
// Creates the database ruche_bench_feed (dropped first, and at the end unless KEEP=1), migrates it
// with `ruche migrate`, fills it with the synthetic company of bench/content-explain.mjs (USERS,
// POSTS: default 10,000 and 1,000,000) plus one POSTED activity per post (and a few NETWORK
// announcements, merged at read time), gives one MEMBER a password, starts the API, signs in,
// warms the member's timeline (the first read rebuilds it), then runs autocannon for DURATION
// seconds (default 10) per connection count. Prints JSON.
//
// Needs autocannon: `npm i -D autocannon` (or AUTOCANNON=/path/to/node_modules/autocannon).
// Environment: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL
// (default redis://127.0.0.1:6379), PORT (default 3917), DURATION, USERS, POSTS, KEEP.
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FILL } from './content-explain.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_URL =
  process.env.PG_ADMIN_URL ??
  process.env.TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB = 'ruche_bench_feed';
const PORT = Number(process.env.PORT ?? 3917);
const DURATION = Number(process.env.DURATION ?? 10);
const PASSWORD = 'Bench-Feed-Password-42';
const log = (line) => process.stderr.write(`${line}\n`);
const dbUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  return url.toString();
})();

const autocannon = await (async () => {
  if (process.env.AUTOCANNON) return createRequire(import.meta.url)(process.env.AUTOCANNON);
  try {
    return (await import('autocannon')).default;
  } catch {
    throw new Error(
      'autocannon is not installed: npm i -D autocannon (or set AUTOCANNON to its directory)',
    );
  }
})();

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const ACTIVITIES = [
  `UPDATE posts SET is_announcement = true WHERE id IN (SELECT id FROM posts WHERE audience = 'NETWORK' AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50 OFFSET 100)`,
  `INSERT INTO activities (verb, actor_id, post_id, group_id, broadcast, created_at)
   SELECT 'POSTED', author_id, id, group_id, audience = 'NETWORK' AND is_announcement, created_at FROM posts`,
];

/** Twenty items fully hydrated: author, group, reactions, counts, viewer flags. */
const QUERY = `query { homeFeed(first: 20) { edges { cursor node { id verb createdAt
  actor { id displayName } group { id name }
  post { id bodyHtml createdAt commentsCount viewerCanEdit viewerCanDelete viewerCanComment
         author { id displayName } group { id name } reactions { emoji count viewerReacted } }
  comment { id } } } pageInfo { hasNextPage endCursor } } }`;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function gql(token, query, variables = {}) {
  const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function load(token, connections) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${PORT}/graphql`,
        method: 'POST',
        connections,
        duration: DURATION,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUERY }),
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
  });
}

/** The same page straight from Redis and PostgreSQL: the timeline window, then the rows and their objects. */
async function floor(db, redis, key, member, runs = 300) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const ids = await redis.zrevrange(key, 0, 61);
    await db.query(
      `SELECT a.id, a.verb, a.created_at, u.display_name, p.body_html, p.created_at AS p_at, g.name,
              (SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL) AS comments,
              (SELECT json_agg(r) FROM (SELECT emoji, count(*) FROM reactions WHERE subject_id = p.id GROUP BY emoji) r) AS reactions
         FROM activities a JOIN users u ON u.id = a.actor_id LEFT JOIN posts p ON p.id = a.post_id LEFT JOIN groups g ON g.id = a.group_id
        WHERE a.id = ANY($1::uuid[]) OR (a.broadcast AND a.created_at > now() - interval '30 days') OR a.actor_id = $2
        ORDER BY a.created_at DESC, a.id DESC LIMIT 21`,
      [ids, member],
    );
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: pct(times, 50), p99: pct(times, 99) };
}

async function main() {
  log(`feed bench: database ${DB}`);
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    REDIS_URL,
    REDIS_PREFIX: DB,
    LOG_LEVEL: 'warn',
    PORT: String(PORT),
    START_WORKER: 'false',
    RATE_SIGNIN_PER_IP: '100000',
  };
  const db = new pg.Client({ connectionString: dbUrl, options: '-c jit=off' });
  const redis = new Redis(REDIS_URL);
  let api;
  try {
    const migrated = spawnSync(process.execPath, ['bin/ruche.js', 'migrate'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    if (migrated.status !== 0)
      throw new Error(`ruche migrate failed:\n${migrated.stderr}${migrated.stdout}`);
    await db.connect();
    let t = Date.now();
    for (const sql of [...FILL, ...ACTIVITIES]) await db.query(sql);
    await db.query('VACUUM ANALYZE');
    log(`filled and analyzed in ${Date.now() - t} ms`);
    const data = (
      await db.query(`SELECT (SELECT count(*)::int FROM posts) AS posts, (SELECT count(*)::int FROM activities) AS activities,
      (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM follows) AS follows, (SELECT count(*)::int FROM group_memberships) AS memberships`)
    ).rows[0];

    const { hashPassword } = await import('../dist/libs/identity/crypto.js');
    const member = (
      await db.query(
        `SELECT id, email FROM users WHERE role = 'MEMBER' AND status = 'ACTIVE' ORDER BY handle LIMIT 1 OFFSET (SELECT count(*) / 3 FROM users)`,
      )
    ).rows[0];
    await db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [
      member.id,
      await hashPassword(PASSWORD),
    ]);

    // Its own process group: `ruche api` runs the API as a child, and both must stop at the end.
    api = spawn(process.execPath, ['bin/ruche.js', 'api'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
    for (let i = 0; ; i++) {
      if (
        await fetch(`http://127.0.0.1:${PORT}/health/live`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error('the API did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { signIn } = await gql(
      null,
      `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`,
      { e: member.email, p: PASSWORD },
    );
    const token = signIn.accessToken;
    const key = `${DB}:tl:${member.id}`;
    await redis.del(key);
    t = process.hrtime.bigint();
    const first = await gql(token, QUERY);
    const coldMs = Number(process.hrtime.bigint() - t) / 1e6;
    const timeline = await redis.zcard(key);
    log(
      `cold first page: ${first.homeFeed.edges.length} items in ${coldMs.toFixed(1)} ms; timeline holds ${timeline}`,
    );
    for (let i = 0; i < 200; i++) await gql(token, QUERY); // warm up

    const results = {};
    for (const connections of [1, 16]) {
      const r = await load(token, connections);
      results[`c${connections}`] = {
        p50: r.latency.p50,
        p99: r.latency.p99,
        requestsPerSec: r.requests.average,
        errors: r.errors + r.non2xx,
        timeouts: r.timeouts,
      };
      log(`${connections} connection(s): ${JSON.stringify(results[`c${connections}`])}`);
    }
    const raw = await floor(db, redis, key, member.id);
    console.log(
      JSON.stringify(
        {
          data,
          coldFirstPageMs: Number(coldMs.toFixed(1)),
          timeline,
          homeFeed: results,
          rawFloor: raw,
          ratioP50: Number((results.c1.p50 / raw.p50).toFixed(2)),
        },
        null,
        2,
      ),
    );
  } finally {
    if (api?.pid) process.kill(-api.pid, 'SIGTERM');
    redis.disconnect();
    await db.end().catch(() => undefined);
    if (process.env.KEEP !== '1') await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  }
}

main().catch((e) => {
  log(`feed bench: ${e.stack ?? e}`);
  process.exitCode = 1;
});

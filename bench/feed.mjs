#!/usr/bin/env node
// The activity feed under load, against the real processes of `ruche start` (API + worker):
//
//   npm run build && node bench/feed.mjs
//
// 1. Builds the synthetic company of bench/support.mjs (default 10,000 people, 200 nested groups,
//    ~150 follows and ~8 groups each, 1,000,000 posts with comments and reactions) in the database
//    ruche_bench_feed, unless REUSE=1 finds it filled already (then it is kept).
// 2. Gives VIEWERS (32) active members a password and signs them in; every load below rotates
//    them over the connections, so the figures are not one cached timeline.
// 3. Measures: the cold first page (timeline dropped); homeFeed (20 items fully hydrated) at 1
//    and 16 connections; the raw-driver floor of the same page (ioredis + pg, no Nest, no
//    GraphQL); companyFeed, a group feed and a wall at 16 connections; homeFeed p50 with and
//    without the NETWORK announcements merged at read time; a post by someone with 2,000
//    followers until it is in every reader's timeline (ms, ROUNDS times); createPost at
//    POST_RATE/s while homeFeed runs at 16 connections, then that every fan-out ran; the API's
//    resident memory during the whole run.
// Prints one JSON object on stdout (progress on stderr).
//
// Environment: USERS, GROUP_COUNT, POSTS (the company's size; the large profile is USERS=50000
// GROUP_COUNT=2000 POSTS=5000000 BENCH_DB=ruche_bench_feed_large), DURATION (seconds per load, default
// 10), POST_RATE (default 300), VIEWERS, ROUNDS (default 5), PORT (default 3917), BENCH_DB, REUSE=1
// (keep and reuse a filled database), KEEP=1 (keep it at the end); PG_ADMIN_URL, REDIS_URL.
import 'reflect-metadata';
import { Redis } from 'ioredis';
import {
  REDIS_URL,
  connect,
  databaseExists,
  dbUrl,
  dropDatabase,
  figures,
  fillCompany,
  freshDatabase,
  gql,
  log,
  median,
  pct,
  requireBuild,
  rssMb,
  startRuche,
} from './support.mjs';
import {
  COMPANY,
  CREATE,
  GROUP,
  HOME,
  WALL,
  loadAs,
  pickViewers,
  signIn,
} from './feed-operations.mjs';

const DB = process.env.BENCH_DB ?? 'ruche_bench_feed';
const SIZE = {
  users: Number(process.env.USERS ?? 10_000),
  groups: Number(process.env.GROUP_COUNT ?? 200),
  posts: Number(process.env.POSTS ?? 1_000_000),
};
const PORT = Number(process.env.PORT ?? 3917);
const DURATION = Number(process.env.DURATION ?? 10);
const POST_RATE = Number(process.env.POST_RATE ?? 300);
const VIEWERS = Number(process.env.VIEWERS ?? 32);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REUSE = process.env.REUSE === '1';
const FANOUT_MAX = 2000;

/** `query` as `viewers` at `connections` connections for DURATION seconds. */
const load = (url, viewers, connections, query, variables = () => ({}), extra = {}) =>
  loadAs(url, viewers, connections, query, variables, { duration: DURATION, ...extra });

/** The same page straight from Redis and PostgreSQL: the timeline window, then the rows and their objects. */
async function floor(db, redis, viewers, runs = 300) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const v = viewers[i % viewers.length];
    const t = process.hrtime.bigint();
    const ids = await redis.zrevrange(`${DB}:tl:${v.id}`, 0, 61);
    await db.query(
      `SELECT a.id, a.verb, a.created_at, u.display_name, p.body_html, p.created_at AS p_at, g.name, pa.display_name AS author,
              (SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL) AS comments,
              (SELECT json_agg(r) FROM (SELECT emoji, count(*), bool_or(user_id = $2) AS mine FROM reactions WHERE subject_id = p.id GROUP BY emoji) r) AS reactions
         FROM activities a JOIN users u ON u.id = a.actor_id LEFT JOIN posts p ON p.id = a.post_id
         LEFT JOIN users pa ON pa.id = p.author_id LEFT JOIN groups g ON g.id = a.group_id
        WHERE a.id = ANY($1::uuid[]) OR (a.broadcast AND a.created_at > now() - interval '30 days') OR a.actor_id = $2
        ORDER BY a.created_at DESC, a.id DESC LIMIT 21`,
      [ids, v.id],
    );
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: Number(pct(times, 50).toFixed(2)), p99: Number(pct(times, 99).toFixed(2)) };
}

/** A post by someone with 2,000 followers (all with a timeline): ms until every reader has it. */
async function fanoutLatency(url, db, redis, author) {
  const readers = (
    await db.query(
      `SELECT u.id FROM follows f JOIN users u ON u.id = f.follower_id
        WHERE f.followee_id = $1 AND u.status = 'ACTIVE' AND u.role <> 'GUEST'`,
      [author.id],
    )
  ).rows.map((r) => `${DB}:tl:${r.id}`);
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const pipe = redis.pipeline();
    for (const k of readers) pipe.zadd(k, 0, '-').expire(k, 3600);
    await pipe.exec();
    const t = Date.now();
    const { createPost } = await gql(url, author.token, CREATE, {
      input: { body: `fan-out round ${round}`, audience: { kind: 'NETWORK' } },
    });
    const [{ id: activityId }] = (
      await db.query(`SELECT id FROM activities WHERE post_id = $1`, [createPost.id])
    ).rows;
    for (;;) {
      const p = redis.pipeline();
      for (const k of readers) p.zscore(k, activityId);
      const res = await p.exec();
      if (res.every(([, s]) => s !== null)) break;
      if (Date.now() - t > 30000) throw new Error('fan-out did not reach every reader in 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(Date.now() - t);
  }
  return { readers: readers.length, ms: times, p50: median(times), max: Math.max(...times) };
}

async function main() {
  requireBuild();
  const reuse = REUSE && (await databaseExists(DB));
  if (!reuse) await freshDatabase(DB);
  const db = await connect(DB);
  const redis = new Redis(REDIS_URL);
  let ruche;
  const memory = [];
  let sampler;
  try {
    const data = reuse
      ? (await db.query(`SELECT (SELECT count(*)::int FROM posts) AS posts`)).rows[0]
      : await fillCompany(db, { ...SIZE, fanoutMax: FANOUT_MAX });
    if (!data.posts) throw new Error(`${DB} is empty: run without REUSE=1`);
    await redis.eval(
      `for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end`,
      0,
      `${DB}:*`,
    );
    // A person with exactly FANOUT_MAX - 1 followers (the audience, author included, is copied).
    const fan = (
      await db.query(
        `SELECT id, email FROM users WHERE role = 'MEMBER' AND status = 'ACTIVE' ORDER BY md5(handle) DESC LIMIT 1`,
      )
    ).rows[0];
    await db.query(`DELETE FROM follows WHERE followee_id = $1`, [fan.id]);
    await db.query(
      `INSERT INTO follows (follower_id, followee_id) SELECT id, $1 FROM users WHERE id <> $1 ORDER BY handle LIMIT $2`,
      [fan.id, FANOUT_MAX - 1],
    );
    const picked = await pickViewers(db, VIEWERS, fan.id);
    const member = picked[0];
    const group = (
      await db.query(
        `SELECT g.id FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = $1 AND m.status = 'ACTIVE' ORDER BY g.slug LIMIT 1`,
        [member.id],
      )
    ).rows[0];

    ruche = await startRuche('start', {
      DATABASE_URL: dbUrl(DB),
      REDIS_URL,
      REDIS_PREFIX: DB,
      PORT: String(PORT),
      START_WORKER: 'true',
      FEED_FANOUT_MAX: String(FANOUT_MAX),
      RATE_SIGNIN_PER_IP: '100000',
    });
    sampler = setInterval(() => memory.push(rssMb(ruche.pid, '/api/main.js')), 1000);
    const viewers = await signIn(ruche.url, db, picked);
    const [author] = await signIn(ruche.url, db, [fan]);

    // Cold first pages: nobody has read their feed since the timelines were dropped.
    const cold = [];
    for (const v of viewers.slice(0, 10)) {
      const t = process.hrtime.bigint();
      const { homeFeed } = await gql(ruche.url, v.token, HOME);
      cold.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (homeFeed.edges.length === 0) throw new Error('a cold first page was empty');
    }
    log(`cold first pages: median ${median(cold).toFixed(1)} ms`);
    for (const v of viewers) await gql(ruche.url, v.token, HOME);
    for (let i = 0; i < 200; i++) await gql(ruche.url, viewers[i % viewers.length].token, HOME);

    const results = {};
    const run = async (name, ...args) => {
      const r = figures(await load(ruche.url, ...args));
      results[name] = r;
      log(`${name}: ${JSON.stringify(r)}`);
      return r;
    };
    await run('homeFeed.c1', viewers, 1, HOME);
    await run('homeFeed.c16', viewers, 16, HOME);
    const raw = await floor(db, redis, viewers);
    log(`floor: ${JSON.stringify(raw)}`);
    await run('companyFeed.c16', viewers, 16, COMPANY);
    await run('groupFeed.c16', viewers, 16, GROUP, () => ({ id: group.id }));
    await run('wall.c16', viewers, 16, WALL, (v) => ({ id: v.id }));

    // The announcements merged at read time: the same load without them.
    const announced = (
      await db.query(
        `UPDATE activities SET broadcast = false WHERE broadcast AND post_id IN (SELECT id FROM posts WHERE is_announcement) RETURNING id`,
      )
    ).rows.map((r) => r.id);
    const without = await run('homeFeed.c1.withoutAnnouncements', viewers, 1, HOME);
    await db.query(`UPDATE activities SET broadcast = true WHERE id = ANY($1::uuid[])`, [
      announced,
    ]);

    const fanout = await fanoutLatency(ruche.url, db, redis, author);
    log(`fan-out to ${fanout.readers}: ${JSON.stringify(fanout.ms)} ms`);

    // createPost at POST_RATE/s by the viewers while homeFeed runs at 16 connections.
    const before = (await db.query(`SELECT count(*)::int AS n FROM posts`)).rows[0].n;
    let n = 0;
    const [reads, writes] = await Promise.all([
      load(ruche.url, viewers, 16, HOME),
      load(
        ruche.url,
        viewers,
        8,
        CREATE,
        () => ({ input: { body: `load post ${++n}`, audience: { kind: 'NETWORK' } } }),
        { overallRate: POST_RATE },
      ),
    ]);
    results['homeFeed.c16.whileWriting'] = figures(reads);
    results['createPost.whileReading'] = figures(writes);
    log(`while writing: ${JSON.stringify(figures(reads))} / ${JSON.stringify(figures(writes))}`);
    const created = (await db.query(`SELECT count(*)::int AS n FROM posts`)).rows[0].n - before;
    const t = Date.now();
    let pending;
    for (;;) {
      pending = (
        await db.query(
          `SELECT count(*)::int AS n FROM outbox`, // rows the relay has not moved yet
        )
      ).rows[0].n;
      const waiting = await redis.llen(`${DB}:bull:fanout:wait`);
      const active = await redis.llen(`${DB}:bull:fanout:active`);
      if (pending + waiting + active === 0) break;
      if (Date.now() - t > 60000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const failed = await redis.zcard(`${DB}:bull:fanout:failed`);
    const drainMs = Date.now() - t;
    clearInterval(sampler);

    console.log(
      JSON.stringify(
        {
          database: DB,
          data,
          coldFirstPageMs: { median: Number(median(cold).toFixed(1)), max: Math.max(...cold) },
          ...results,
          rawFloor: raw,
          ratioP50: Number((results['homeFeed.c1'].p50 / raw.p50).toFixed(2)),
          announcementsAddP50Ms: results['homeFeed.c1'].p50 - without.p50,
          fanout2000: fanout,
          postsCreatedUnderLoad: created,
          fanoutBacklogAfterLoad: { pending, drainMs, failedJobs: failed },
          apiRssMb: { first: memory[0], max: Math.max(...memory), last: memory.at(-1) },
        },
        null,
        2,
      ),
    );
  } finally {
    clearInterval(sampler);
    await ruche?.stop();
    redis.disconnect();
    await db.end().catch(() => undefined);
    if (!REUSE && process.env.KEEP !== '1') await dropDatabase(DB);
  }
}

main().catch((e) => {
  log(`feed bench: ${e.stack ?? e}`);
  process.exitCode = 1;
});

#!/usr/bin/env node
// The content page queries on 1,000,000 posts by ~10,000 people: are they index-driven, and how fast?
//
//   npm run build && node bench/content-explain.mjs
//
// Creates the database ruche_bench_content (dropped first if it exists, dropped again at the end),
// migrates it with the real `ruche migrate`, fills users (10,000), groups (500), memberships (~5 per
// person), follows (20 per person) and posts (1,000,000 of every audience and place) with
// INSERT ... SELECT over generate_series, ANALYZEs, then runs EXPLAIN (ANALYZE, BUFFERS) on the very
// SQL PostsService issues: the SQL is rendered by the built PostsService.pageQuery (dist/), the
// access predicate of @ruche/access included, for a wall, the company feed and a group feed (first
// pages and keyset cursors), as a MEMBER and as a GUEST. Prints each plan, then a JSON summary:
// median execution time of RUNS runs, the indexes used, and a verdict.
//
// Environment: PG_ADMIN_URL (or TEST_PG_URL; default postgres://postgres@127.0.0.1:5432/postgres),
// REDIS_URL (the migrate command checks Redis is there), POSTS (default 1000000), USERS (default
// 10000), RUNS (default 5), KEEP=1 to keep the database afterwards.
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_URL =
  process.env.PG_ADMIN_URL ??
  process.env.TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'ruche_bench_content';
const POSTS = Number(process.env.POSTS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 10_000);
const GROUPS = 500;
const RUNS = Number(process.env.RUNS ?? 5);
const SLOW_MS = 20;

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

// --- synthetic company --------------------------------------------------------------------------

/** The synthetic company, as SQL (bench/feed.mjs fills its database with it too). */
export const FILL = [
  `SELECT setseed(0.42)`,
  // People: 1 in 97 a guest, 1 in 500 an admin, 3% suspended.
  `INSERT INTO users (email, handle, display_name, role, status, email_verified_at, sort_name, search_text, search_vector, created_at)
   SELECT 'p' || g || '@acme.test', 'p' || g, 'Person ' || g,
          CASE WHEN g % 500 = 0 THEN 'ADMIN' WHEN g % 97 = 0 THEN 'GUEST' ELSE 'MEMBER' END,
          CASE WHEN g % 33 = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END, now(),
          'person ' || g, 'person p' || g, to_tsvector('simple', 'person p' || g), now() - interval '3 years'
     FROM generate_series(1, ${USERS}) AS g`,
  `CREATE TABLE bench_users AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM users`,
  `CREATE UNIQUE INDEX ON bench_users (n)`,
  // Groups: top-level, 40% PUBLIC, 50% PRIVATE, 10% SECRET; ten sub-groups of the first ones.
  `INSERT INTO groups (slug, name, sort_name, visibility, join_policy, path, permissions)
   SELECT 'team-' || g, 'Team ' || g, 'team ' || g,
          CASE WHEN g % 10 < 4 THEN 'PUBLIC' WHEN g % 10 < 9 THEN 'PRIVATE' ELSE 'SECRET' END, 'OPEN', '{}', '{}'
     FROM generate_series(1, ${GROUPS}) AS g`,
  `CREATE TABLE bench_groups AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM groups`,
  `CREATE UNIQUE INDEX ON bench_groups (n)`,
  `INSERT INTO group_memberships (group_id, user_id, role, status)
   SELECT DISTINCT bg.id, bu.id, 'MEMBER', 'ACTIVE'
     FROM bench_users bu CROSS JOIN generate_series(0, 4) AS k
     JOIN bench_groups bg ON bg.n = 1 + ((bu.n * 31 + k * 97) % ${GROUPS})`,
  `INSERT INTO follows (follower_id, followee_id)
   SELECT DISTINCT a.id, b.id
     FROM bench_users a CROSS JOIN generate_series(1, 20) AS k
     JOIN bench_users b ON b.n = 1 + ((a.n + k * 37) % ${USERS})
    WHERE a.id <> b.id`,
  // Posts: 40% NETWORK (5% of them on a colleague's wall), 15% FOLLOWERS, 5% PRIVATE, 30% GROUP,
  // 10% CUSTOM; one a minute backwards from now; ~1% deleted; 5 pinned company posts; 1 in 89 tagged.
  `INSERT INTO posts (author_id, wall_owner_id, group_id, audience, audience_user_ids, audience_group_ids, body, body_html,
                      hashtags, is_announcement, pinned, created_at, deleted_at)
   SELECT a.id,
          CASE WHEN x.audience = 'GROUP' THEN NULL WHEN x.r BETWEEN 35 AND 39 THEN w.id ELSE a.id END,
          CASE WHEN x.audience = 'GROUP' THEN gr.id END,
          x.audience,
          CASE WHEN x.audience = 'CUSTOM' THEN ARRAY[w.id] ELSE '{}' END,
          CASE WHEN x.audience = 'CUSTOM' THEN ARRAY[gr.id] ELSE '{}' END,
          'Post number ' || x.g, '<p>Post number ' || x.g || '</p>',
          CASE WHEN x.g % 89 = 0 THEN '{lancement}'::text[] ELSE '{}' END,
          x.pinned, x.pinned,
          now() - (${POSTS} - x.g) * interval '1 minute',
          CASE WHEN (x.g / 100) % 97 = 0 THEN now() END
     FROM (SELECT g, g % 100 AS r,
                  CASE WHEN g % 100 < 40 THEN 'NETWORK' WHEN g % 100 < 55 THEN 'FOLLOWERS' WHEN g % 100 < 60 THEN 'PRIVATE'
                       WHEN g % 100 < 90 THEN 'GROUP' ELSE 'CUSTOM' END AS audience,
                  (g % 100 < 40 AND g % 200000 = 0) AS pinned
             FROM generate_series(1::bigint, ${POSTS}) AS g) x
     JOIN bench_users a ON a.n = 1 + ((x.g * 7919) % ${USERS})
     JOIN bench_users w ON w.n = 1 + ((x.g * 31) % ${USERS})
     JOIN bench_groups gr ON gr.n = 1 + ((x.g / 100 + x.g * 13) % ${GROUPS})`,
  `DROP TABLE bench_users, bench_groups`,
];

// --- the service's SQL --------------------------------------------------------------------------

/** Renders PostsService.pageQuery (the built one) against this database: the SQL the API sends. */
async function pageQueries() {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import('../dist/libs/database/data-source.js');
  const { PostEntity } = await import('../dist/libs/content/entities/post.entity.js');
  const { PostsService } = await import('../dist/libs/content/posts.service.js');
  const ds = new DataSource({ ...dataSourceOptions(dbUrl, [PostEntity]), migrations: [] });
  await ds.initialize();
  // pageQuery needs only the data source.
  const service = new PostsService(ds, null, null);
  const cursor = (values) => Buffer.from(JSON.stringify(values)).toString('base64url');
  return {
    render: (viewer, place, args = {}) => {
      const [sql, params] = service.pageQuery(viewer, place, args).getQueryAndParameters();
      return { sql, params };
    },
    cursor,
    close: () => ds.destroy(),
  };
}

function walk(plan, visit) {
  visit(plan);
  for (const child of plan.Plans ?? []) walk(child, visit);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --- run ----------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(new URL('../dist/libs/content/posts.service.js', import.meta.url)))
    throw new Error('run `npm run build` first');
  log(`content-explain: database ${DB}, ${USERS} users, ${POSTS} posts, ${RUNS} runs per query`);
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}"`);
  // The application's sessions run with jit=off (libs/database/data-source.ts): so do these.
  const db = new pg.Client({ connectionString: dbUrl, options: '-c jit=off' });
  let q;
  try {
    const migrated = spawnSync(process.execPath, ['bin/ruche.js', 'migrate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    if (migrated.status !== 0)
      throw new Error(`ruche migrate failed:\n${migrated.stderr}${migrated.stdout}`);
    await db.connect();
    let t = Date.now();
    for (const sql of FILL) await db.query(sql);
    log(`filled in ${Date.now() - t} ms`);
    t = Date.now();
    await db.query('VACUUM ANALYZE');
    log(`VACUUM ANALYZE in ${Date.now() - t} ms`);

    const stats = (
      await db.query(`SELECT (SELECT count(*)::int FROM posts) AS posts,
                             (SELECT count(*)::int FROM posts WHERE audience = 'NETWORK' AND deleted_at IS NULL) AS company,
                             (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM follows) AS follows,
                             (SELECT count(*)::int FROM group_memberships) AS memberships,
                             pg_size_pretty(pg_relation_size('posts')) AS heap,
                             pg_size_pretty(pg_relation_size('posts_wall_created_idx')) AS wall_idx,
                             pg_size_pretty(pg_relation_size('posts_company_idx')) AS company_idx,
                             pg_size_pretty(pg_relation_size('posts_group_created_idx')) AS group_idx`)
    ).rows[0];
    console.log(`# data\n${JSON.stringify(stats)}\n`);

    // A MEMBER with groups; the wall of someone with many posts; one of the member's PRIVATE groups;
    // a PRIVATE group the member is not in; a GUEST.
    const member = (
      await db.query(
        `SELECT u.id FROM users u WHERE role = 'MEMBER' AND status = 'ACTIVE' ORDER BY handle LIMIT 1 OFFSET ${Math.floor(USERS / 3)}`,
      )
    ).rows[0].id;
    const guest = (
      await db.query(`SELECT id FROM users WHERE role = 'GUEST' AND status = 'ACTIVE' LIMIT 1`)
    ).rows[0].id;
    const wallOwner = (
      await db.query(
        `SELECT wall_owner_id AS id, count(*) FROM posts WHERE wall_owner_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
      )
    ).rows[0].id;
    const myGroup = (
      await db.query(
        `SELECT g.id FROM groups g JOIN group_memberships m ON m.group_id = g.id AND m.user_id = $1 WHERE g.visibility = 'PRIVATE' LIMIT 1`,
        [member],
      )
    ).rows[0].id;
    const otherGroup = (
      await db.query(
        `SELECT g.id FROM groups g WHERE g.visibility = 'PRIVATE' AND NOT EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = g.id AND m.user_id = $1) LIMIT 1`,
        [member],
      )
    ).rows[0].id;
    const wallMid = (
      await db.query(
        `SELECT created_at, id FROM posts WHERE wall_owner_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET (SELECT count(*) / 2 FROM posts WHERE wall_owner_id = $1) LIMIT 1`,
        [wallOwner],
      )
    ).rows[0];
    const companyMid = (
      await db.query(
        `SELECT pinned, created_at, id FROM posts WHERE audience = 'NETWORK' AND deleted_at IS NULL ORDER BY pinned DESC, created_at DESC, id DESC OFFSET (SELECT count(*) / 4 FROM posts WHERE audience = 'NETWORK') LIMIT 1`,
      )
    ).rows[0];
    const groupMid = (
      await db.query(
        `SELECT pinned, created_at, id FROM posts WHERE group_id = $1 AND deleted_at IS NULL ORDER BY pinned DESC, created_at DESC, id DESC OFFSET (SELECT count(*) / 2 FROM posts WHERE group_id = $1) LIMIT 1`,
        [myGroup],
      )
    ).rows[0];

    q = await pageQueries();
    const asMember = { id: member, sessionId: 'bench', role: 'MEMBER', status: 'ACTIVE' };
    const asGuest = { id: guest, sessionId: 'bench', role: 'GUEST', status: 'ACTIVE' };
    const cases = [
      {
        name: 'wall, first page (member)',
        ...q.render(asMember, { wallOwnerId: wallOwner }),
        wants: ['posts_wall_created_idx'],
      },
      {
        name: 'wall, keyset cursor (member)',
        ...q.render(
          asMember,
          { wallOwnerId: wallOwner },
          { after: q.cursor([wallMid.created_at.toISOString(), wallMid.id]) },
        ),
        wants: ['posts_wall_created_idx'],
      },
      {
        name: 'wall, first page (guest)',
        ...q.render(asGuest, { wallOwnerId: wallOwner }),
        wants: ['posts_wall_created_idx'],
      },
      {
        name: 'company feed, first page (member)',
        ...q.render(asMember, { company: true }),
        wants: ['posts_company_idx'],
      },
      {
        name: 'company feed, keyset cursor deep (member)',
        ...q.render(
          asMember,
          { company: true },
          {
            after: q.cursor([
              companyMid.pinned ? 1 : 0,
              companyMid.created_at.toISOString(),
              companyMid.id,
            ]),
          },
        ),
        wants: ['posts_company_idx'],
      },
      {
        name: 'company feed, first page (guest)',
        ...q.render(asGuest, { company: true }),
        wants: ['posts_wall_created_idx', 'posts_author_created_idx', 'posts_company_idx'],
      },
      {
        name: 'group feed, first page (member of the PRIVATE group)',
        ...q.render(asMember, { groupId: myGroup }),
        wants: ['posts_group_created_idx'],
      },
      {
        name: 'group feed, keyset cursor (member)',
        ...q.render(
          asMember,
          { groupId: myGroup },
          {
            after: q.cursor([
              groupMid.pinned ? 1 : 0,
              groupMid.created_at.toISOString(),
              groupMid.id,
            ]),
          },
        ),
        wants: ['posts_group_created_idx'],
      },
      {
        name: 'group feed of a PRIVATE group the viewer is not in (reads nothing)',
        ...q.render(asMember, { groupId: otherGroup }),
        wants: ['posts_group_created_idx'],
      },
      {
        name: 'postsByHashtag "lancement" (member)',
        ...q.render(asMember, { hashtag: 'lancement' }),
        wants: ['posts_hashtags_idx'],
      },
    ];

    const summary = [];
    for (const c of cases) {
      await db.query(c.sql, c.params); // warm the cache: the median is of a warm page
      const text = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      const times = [];
      let plan;
      for (let i = 0; i < RUNS; i++) {
        const [result] = (
          await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${c.sql}`, c.params)
        ).rows[0]['QUERY PLAN'];
        times.push(result['Execution Time']);
        plan = result.Plan;
      }
      const indexes = new Set();
      let seqScan = false;
      walk(plan, (node) => {
        if (node['Index Name']) indexes.add(node['Index Name']);
        if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'posts') seqScan = true;
      });
      const ms = Math.round(median(times) * 1000) / 1000;
      const usesIndex = c.wants.some((name) => indexes.has(name));
      const verdict = !usesIndex || seqScan ? 'NO INDEX' : ms > SLOW_MS ? 'SLOW' : 'ok';
      console.log(`## ${c.name}  [${verdict}, median ${ms} ms]\n${text}\n`);
      summary.push({
        query: c.name,
        medianMs: ms,
        runsMs: times.map((x) => Math.round(x * 1000) / 1000),
        rows: plan['Actual Rows'],
        indexes: [...indexes],
        seqScan,
        verdict,
      });
    }
    const flagged = summary.filter((r) => r.verdict !== 'ok').map((r) => r.query);
    console.log('# summary');
    console.log(
      JSON.stringify(
        {
          posts: POSTS,
          users: USERS,
          runs: RUNS,
          slowMs: SLOW_MS,
          postgres: (await db.query('SHOW server_version')).rows[0].server_version,
          results: summary,
          flagged,
        },
        null,
        2,
      ),
    );
  } finally {
    await q?.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    if (process.env.KEEP !== '1') await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    log(`content-explain: ${e.stack ?? e}`);
    process.exitCode = 1;
  });
}

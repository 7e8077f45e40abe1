#!/usr/bin/env node
// The content page queries on 1,000,000 posts by ~10,000 people: are they index-driven, and how fast?
//
//   npm run build && node bench/content-explain.mjs
//
// Creates the database ruche_bench_content (dropped first if it exists, dropped again at the end),
// migrates it with the real `ruche migrate`, fills it with the synthetic company of bench/support.mjs
// (10,000 people, 200 nested groups, ~8 memberships and ~150 follows each, 1,000,000 posts of every
// audience and place, comments, reactions, activities), ANALYZEs, then runs EXPLAIN (ANALYZE, BUFFERS) on the very
// SQL PostsService issues: the SQL is rendered by the built PostsService.pageQuery (dist/), the
// access predicate of @ruche/access included, for a wall, the company feed and a group feed (first
// pages and keyset cursors), as a MEMBER and as a GUEST. Prints each plan, then a JSON summary:
// median execution time of RUNS runs, the indexes used, and a verdict.
//
// Environment: PG_ADMIN_URL (or TEST_PG_URL; default postgres://postgres@127.0.0.1:5432/postgres),
// REDIS_URL (the migrate command checks Redis is there), POSTS (default 1000000), USERS (default
// 10000), RUNS (default 5), KEEP=1 to keep the database afterwards.
import 'reflect-metadata';
import {
  connect,
  dbUrl,
  dropDatabase,
  explain,
  fillCompany,
  freshDatabase,
  log,
  requireBuild,
} from './support.mjs';

const DB = 'ruche_bench_content';
const POSTS = Number(process.env.POSTS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 5);
const SLOW_MS = 20;

// --- the service's SQL --------------------------------------------------------------------------

/** Renders PostsService.pageQuery (the built one) against this database: the SQL the API sends. */
async function pageQueries() {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import('../dist/libs/database/data-source.js');
  const { PostEntity } = await import('../dist/libs/content/entities/post.entity.js');
  const { PostsService } = await import('../dist/libs/content/posts.service.js');
  const ds = new DataSource({ ...dataSourceOptions(dbUrl(DB), [PostEntity]), migrations: [] });
  await ds.initialize();
  const { HotReads } = await import('../dist/libs/database/hot-reads.js');
  const hot = await HotReads.over(ds, 1);
  // pageQuery needs only the hot reads' statements.
  const service = new PostsService(ds, null, null, null, null, null, hot);
  const cursor = (values) => Buffer.from(JSON.stringify(values)).toString('base64url');
  return {
    render: (viewer, place, args = {}) => {
      return service.pageQuery(viewer, place, args);
    },
    cursor,
    close: () => hot.close().then(() => ds.destroy()),
  };
}

// --- run ----------------------------------------------------------------------------------------

async function main() {
  requireBuild('dist/libs/content/posts.service.js');
  log(`content-explain: database ${DB}, ${USERS} users, ${POSTS} posts, ${RUNS} runs per query`);
  await freshDatabase(DB);
  const db = await connect(DB);
  let q;
  try {
    await fillCompany(db, { users: USERS, posts: POSTS });

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
      const e = await explain(db, c.sql, c.params, RUNS);
      const indexes = new Set(e.indexes);
      const seqScan = e.seqScans.includes('posts');
      const ms = e.medianMs;
      const text = e.text;
      const usesIndex = c.wants.some((name) => indexes.has(name));
      const verdict = !usesIndex || seqScan ? 'NO INDEX' : ms > SLOW_MS ? 'SLOW' : 'ok';
      console.log(`## ${c.name}  [${verdict}, median ${ms} ms]\n${text}\n`);
      summary.push({
        query: c.name,
        medianMs: ms,
        runsMs: e.runsMs,
        rows: e.rows,
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
    if (process.env.KEEP !== '1') await dropDatabase(DB);
  }
}

main().catch((e) => {
  log(`content-explain: ${e.stack ?? e}`);
  process.exitCode = 1;
});

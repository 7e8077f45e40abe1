#!/usr/bin/env node
// Search at 1,000,000 posts: the SQL SearchService sends (EXPLAIN ANALYZE, BUFFERS, raw time as the
// floor) and the real GraphQL `search` over HTTP under autocannon, 1 and 8 connections.
//
//   npm run build && node bench/search.mjs
//
// Creates ruche_bench_search (dropped first, and at the end unless KEEP=1), migrates it with the
// real `ruche migrate`, fills it like bench/content-explain.mjs (10,000 people, 500 groups, follows,
// memberships, 1,000,000 posts of every audience) with bodies of 6 to 20 French and English words
// drawn from a skewed vocabulary (a few words are very common, most are rare), plus COMMENTS
// comments, builds the search indexes after the fill, ANALYZEs, then starts `node bin/ruche.js api`
// on it (PORT, LOG_LEVEL=warn) and measures `search(query: QUERY)` as a signed-in member.
//
// Environment: PG_ADMIN_URL (or TEST_PG_URL), REDIS_URL, POSTS (1000000), USERS (10000), COMMENTS
// (200000), QUERY ("atelier grenoble"), BENCH_DB (ruche_bench_search), WORDS (5000), DURATION seconds per run (10), PORT (3917), KEEP=1.
import argon2 from 'argon2';
import {
  cannon,
  connect,
  dbUrl,
  dropDatabase,
  freshDatabase,
  log,
  median,
  requireBuild,
  startRuche,
} from './support.mjs';

const DB = process.env.BENCH_DB ?? 'ruche_bench_search';
const POSTS = Number(process.env.POSTS ?? 1_000_000);
const USERS = Number(process.env.USERS ?? 10_000);
const COMMENTS = Number(process.env.COMMENTS ?? 200_000);
const GROUPS = 500;
const QUERY = process.env.QUERY ?? 'atelier grenoble';
const DURATION = Number(process.env.DURATION ?? 10);
const PORT = Number(process.env.PORT ?? 3917);
const PASSWORD = 'Bench-Search-Password-42';

// Common words first: index k is drawn with probability falling like a power law.
const VOCAB =
  `réunion bureau projet équipe client entreprise lyon paris semaine demain merci nouveau
  meeting office project team customer launch planning budget rapport café formation sécurité
  offices projets clients réunions équipes bureaux présentation atelier objectifs résultats
  marketing ventes recrutement stratégie produit service qualité innovation partenaire contrat
  deadline roadmap release sprint feedback review design données analyse serveur migration
  grenoble marseille bordeaux lille nantes toulouse strasbourg rennes nice montpellier
  l'entreprise d'équipe l'équipe aujourd'hui événement félicitations anniversaire déménagement
  hiring onboarding workshop quarterly revenue growth support ticket incident outage dashboard
  conférence webinaire séminaire assemblée comité direction conseil juridique comptabilité
  facture paiement commande livraison stock fournisseur achat logistique transport entrepôt`
    .split(/\s+/)
    .filter(Boolean);
// A long tail of rarer words (names, codes, topics: "mot1234") after the common ones, as real text
// has: a real word is common, a two-word query matches a few hundred posts in a million.
const TOTAL_WORDS = Number(process.env.WORDS ?? 5000);
const WORD_ARRAY = `ARRAY[${VOCAB.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]`;
const words = (n) =>
  `(SELECT string_agg(CASE WHEN r.i <= ${VOCAB.length} THEN (${WORD_ARRAY})[r.i] ELSE 'mot' || r.i END, ' ')
      FROM generate_series(1, ${n}) AS k, LATERAL (SELECT 1 + floor(power(random(), 2.2) * ${TOTAL_WORDS})::int AS i WHERE k > 0) r)`;

const FILL = [
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
          x.body, x.body,
          CASE WHEN x.g % 89 = 0 THEN '{lancement}'::text[] ELSE '{}' END,
          x.pinned, x.pinned,
          now() - (${POSTS} - x.g) * interval '1 minute',
          CASE WHEN (x.g / 100) % 97 = 0 THEN now() END
     FROM (SELECT g, g % 100 AS r,
                  CASE WHEN g % 100 < 40 THEN 'NETWORK' WHEN g % 100 < 55 THEN 'FOLLOWERS' WHEN g % 100 < 60 THEN 'PRIVATE'
                       WHEN g % 100 < 90 THEN 'GROUP' ELSE 'CUSTOM' END AS audience,
                  (g % 100 < 40 AND g % 200000 = 0) AS pinned,
                  ${words('6 + (g % 15)')} AS body
             FROM generate_series(1::bigint, ${POSTS}) AS g) x
     JOIN bench_users a ON a.n = 1 + ((x.g * 7919) % ${USERS})
     JOIN bench_users w ON w.n = 1 + ((x.g * 31) % ${USERS})
     JOIN bench_groups gr ON gr.n = 1 + ((x.g / 100 + x.g * 13) % ${GROUPS})`,
  `INSERT INTO comments (post_id, author_id, body, body_html, created_at)
   SELECT p.id, p.author_id, x.body, x.body, p.created_at + interval '1 minute'
     FROM posts p
     CROSS JOIN LATERAL (SELECT ${words('4 + (hashtext(p.id::text) & 7)')} AS body) x
    WHERE random() < ${COMMENTS / POSTS}`,
  `DROP TABLE bench_users, bench_groups`,
];

// The search indexes are built after the fill (one sort, not a million inserts), as the migrations define them;
// search_vector is a generated column, so PostgreSQL fills it with each inserted row.
const INDEXES = [
  `CREATE INDEX "posts_search_idx" ON "posts" USING gin ("search_vector")`,
  `CREATE INDEX "comments_search_idx" ON "comments" USING gin ("search_vector")`,
];

/** The statement SearchService.pageQuery (the built one) sends for this viewer and query. */
async function renderer() {
  const { DataSource } = await import('typeorm');
  const { dataSourceOptions } = await import('../dist/libs/database/data-source.js');
  const { SearchService } = await import('../dist/libs/search/search.service.js');
  const ds = new DataSource({ ...dataSourceOptions(dbUrl(DB), []), migrations: [] });
  await ds.initialize();
  const service = new SearchService(ds, null, null, null);
  return { render: (viewer, args) => service.pageQuery(viewer, args), close: () => ds.destroy() };
}

async function main() {
  requireBuild('dist/libs/search/search.service.js');
  log(
    `search bench: database ${DB}, ${USERS} users, ${POSTS} posts, ~${COMMENTS} comments, query "${QUERY}"`,
  );
  await freshDatabase(DB);
  const db = await connect(DB);
  let r;
  let ruche;
  try {
    await db.query(`DROP INDEX posts_search_idx, comments_search_idx`);
    let t = Date.now();
    for (const sql of FILL) await db.query(sql);
    log(`filled in ${Date.now() - t} ms`);
    t = Date.now();
    await db.query(`SET maintenance_work_mem = '512MB'`);
    for (const sql of INDEXES) await db.query(sql);
    log(`search indexes in ${Date.now() - t} ms`);
    await db.query('VACUUM ANALYZE');

    const member = (
      await db.query(
        `SELECT id, email FROM users WHERE role = 'MEMBER' AND status = 'ACTIVE' ORDER BY handle LIMIT 1 OFFSET ${Math.floor(USERS / 3)}`,
      )
    ).rows[0];
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
      member.id,
      await argon2.hash(PASSWORD, { type: argon2.argon2id }),
    ]);
    const [w1, w2] = QUERY.split(/\s+/);
    const stats = (
      await db.query(
        `SELECT (SELECT count(*)::int FROM posts) AS posts, (SELECT count(*)::int FROM comments) AS comments,
                (SELECT count(*)::int FROM posts WHERE search_vector @@ (to_tsquery('ruche_fr', $1) || to_tsquery('ruche_en', $1))) AS "postsWithFirstWord",
                (SELECT count(*)::int FROM posts WHERE search_vector @@ ((to_tsquery('ruche_fr', $1) || to_tsquery('ruche_en', $1)) && (to_tsquery('ruche_fr', $2) || to_tsquery('ruche_en', $2)))) AS "postsWithBothWords",
                pg_size_pretty(pg_relation_size('posts_search_idx')) AS "postsSearchIdx", pg_size_pretty(pg_relation_size('comments_search_idx')) AS "commentsSearchIdx"`,
        [w1, w2 ?? w1],
      )
    ).rows[0];
    console.log(`# data\n${JSON.stringify(stats)}\n`);

    // The SQL floor: the very statement the service sends, run on one warm session.
    r = await renderer();
    const viewer = { id: member.id, sessionId: 'bench', role: 'MEMBER', status: 'ACTIVE' };
    const sqlTimes = {};
    for (const q of [QUERY, `${QUERY} `, w1]) {
      const page = await r.render(viewer, { query: q, first: 20 });
      await db.query(page.sql, page.values);
      const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${page.sql}`, page.values)).rows
        .map((x) => x['QUERY PLAN'])
        .join('\n');
      const times = [];
      for (let i = 0; i < 20; i++) {
        const t0 = process.hrtime.bigint();
        await db.query(page.sql, page.values);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      sqlTimes[q] = {
        medianMs: Math.round(median(times) * 100) / 100,
        maxMs: Math.round(Math.max(...times) * 100) / 100,
      };
      console.log(
        `## "${q}" (the last word ${q.endsWith(' ') ? 'complete' : 'as a prefix'}): SQL median ${sqlTimes[q].medianMs} ms\n${page.sql}\n-- ${JSON.stringify(page.values)}\n${plan}\n`,
      );
    }

    // The real API on this database.
    ruche = await startRuche('api', {
      DATABASE_URL: dbUrl(DB),
      PORT: String(PORT),
      REDIS_PREFIX: DB,
    });
    const url = ruche.url;
    const gql = async (query, variables, token) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    };
    const signIn = await gql(
      `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`,
      { e: member.email, p: PASSWORD },
    );
    const token = signIn.data?.signIn?.accessToken;
    if (!token) throw new Error(`sign-in failed: ${JSON.stringify(signIn)}`);
    const SEARCH = `query($q: String!) { search(query: $q, first: 20) { nodes { __typename ... on Post { id body author { displayName } } ... on User { id displayName } ... on Group { id name } } pageInfo { hasNextPage endCursor } } }`;
    const probe = await gql(SEARCH, { q: QUERY }, token);
    if (probe.errors) throw new Error(`search failed: ${JSON.stringify(probe.errors)}`);
    log(`search "${QUERY}": ${probe.data.search.nodes.length} hits on the first page`);
    const body = JSON.stringify({ query: SEARCH, variables: { q: QUERY } });
    const http = {};
    for (const connections of [1, 8]) {
      await cannon({
        url: `${url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        connections,
        duration: 2,
      });
      const res = await cannon({
        url: `${url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        connections,
        duration: DURATION,
      });
      http[`${connections} connection${connections > 1 ? 's' : ''}`] = {
        p50Ms: res.latency.p50,
        p99Ms: res.latency.p99,
        maxMs: res.latency.max,
        requestsPerSecond: res.requests.average,
        requests: res.requests.total,
        non2xx: res.non2xx,
        errors: res.errors,
      };
    }
    // The floor of the HTTP stack (auth, GraphQL, one loader): the signed-in `viewer`, one connection.
    const floor = await cannon({
      url: `${url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { id displayName } }' }),
      connections: 1,
      duration: DURATION,
    });
    http['viewer query, 1 connection (HTTP floor)'] = {
      p50Ms: floor.latency.p50,
      p99Ms: floor.latency.p99,
      requestsPerSecond: floor.requests.average,
      non2xx: floor.non2xx,
    };
    console.log('# summary');
    console.log(
      JSON.stringify(
        {
          posts: POSTS,
          users: USERS,
          comments: stats.comments,
          query: QUERY,
          durationSeconds: DURATION,
          sql: sqlTimes,
          http,
          targetP99Ms: 50,
        },
        null,
        2,
      ),
    );
  } finally {
    await ruche?.stop();
    await r?.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    if (process.env.KEEP !== '1') await dropDatabase(DB);
  }
}

main().catch((e) => {
  log(`search bench: ${e.stack ?? e}`);
  process.exitCode = 1;
});

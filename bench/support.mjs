// What every bench shares: the admin connection, a fresh migrated database, the synthetic company,
// the API as a real process, GraphQL calls, autocannon and percentiles. Not a bench itself.
//
// Environment: PG_ADMIN_URL (or TEST_PG_URL; default postgres://postgres@127.0.0.1:5432/postgres),
// REDIS_URL (or TEST_REDIS_URL; default redis://127.0.0.1:6379).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN_URL =
  process.env.PG_ADMIN_URL ??
  process.env.TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL =
  process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const log = (line) => process.stderr.write(`${line}\n`);

/** Runs one statement on the admin database. */
export async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export function dbUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A client on `name` with the application's session settings (libs/database: jit=off). */
export async function connect(name) {
  const db = new pg.Client({ connectionString: dbUrl(name), options: '-c jit=off' });
  await db.connect();
  return db;
}

export function requireBuild(file = 'dist/apps/api/main.js') {
  if (!existsSync(new URL(`../${file}`, import.meta.url)))
    throw new Error('run `npm run build` first');
}

/** Drops and creates `name`, then migrates it with the real `ruche migrate`. */
export async function freshDatabase(name) {
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  const migrated = spawnSync(process.execPath, ['bin/ruche.js', 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl(name), REDIS_URL, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (migrated.status !== 0)
    throw new Error(`ruche migrate failed:\n${migrated.stderr}${migrated.stdout}`);
}

export async function databaseExists(name) {
  const { rows } = await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  return rows.length > 0;
}

export const dropDatabase = (name) => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// --- the synthetic company ----------------------------------------------------------------------

/**
 * The synthetic company of issue 5, as SQL run in order (deterministic: setseed and modular
 * arithmetic). Defaults: 10,000 people (1 in 97 a guest, 1 in 500 an admin, 3% suspended), 200
 * groups on three levels (40 top-level, 80 below them, 80 below those; 40% PUBLIC, 50% PRIVATE,
 * 10% SECRET), ~8 ACTIVE memberships and ~150 follows per person with a skew (every person follows
 * 10 of the 20 "stars" — ~5,000 followers each — and 20 of the next 480), 1,000,000 posts one a
 * minute backwards from now (40% NETWORK, 15% FOLLOWERS, 5% PRIVATE, 30% GROUP, 10% CUSTOM; 5% of
 * NETWORK on a colleague's wall; ~1% deleted; 5 pinned; 50 announcements), a comment on one post in
 * four, a reaction on one in two, and the activities of both (POSTED, COMMENTED). An activity whose
 * audience is above `fanoutMax` is marked `broadcast`, as the fan-out job would.
 */
export function company({
  users = 10_000,
  groups = 200,
  posts = 1_000_000,
  follows = 150,
  memberships = 8,
  fanoutMax = 2000,
} = {}) {
  const top = Math.max(1, Math.floor(groups / 5));
  const mid = Math.max(top, Math.floor((groups * 3) / 5));
  const stars = Math.min(20, users);
  const known = Math.min(500, users);
  return [
    `SELECT setseed(0.42)`,
    `INSERT INTO users (email, handle, display_name, role, status, email_verified_at, sort_name, search_text, search_vector, created_at)
     SELECT 'p' || g || '@acme.test', 'p' || g, 'Person ' || g,
            CASE WHEN g % 500 = 0 THEN 'ADMIN' WHEN g % 97 = 0 THEN 'GUEST' ELSE 'MEMBER' END,
            CASE WHEN g % 33 = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END, now(),
            'person ' || g, 'person p' || g, to_tsvector('simple', 'person p' || g), now() - interval '3 years'
       FROM generate_series(1, ${users}) AS g`,
    `CREATE TABLE bench_users AS SELECT row_number() OVER (ORDER BY handle COLLATE "C") AS n, id FROM users`,
    `CREATE UNIQUE INDEX ON bench_users (n)`,
    `INSERT INTO groups (slug, name, sort_name, visibility, join_policy, path, permissions)
     SELECT 'team-' || g, 'Team ' || g, 'team ' || g,
            CASE WHEN g % 10 < 4 THEN 'PUBLIC' WHEN g % 10 < 9 THEN 'PRIVATE' ELSE 'SECRET' END, 'OPEN', '{}', '{}'
       FROM generate_series(1, ${groups}) AS g`,
    `CREATE TABLE bench_groups AS SELECT row_number() OVER (ORDER BY slug COLLATE "C") AS n, id FROM groups`,
    `CREATE UNIQUE INDEX ON bench_groups (n)`,
    // Nesting: groups top+1..mid under the top level, mid+1.. under those (parents never move).
    `UPDATE groups g SET parent_id = p.id, path = ARRAY[p.id]
       FROM bench_groups bg JOIN bench_groups bp ON bp.n = 1 + (bg.n % ${top}) JOIN groups p ON p.id = bp.id
      WHERE g.id = bg.id AND bg.n > ${top} AND bg.n <= ${mid}`,
    `UPDATE groups g SET parent_id = p.id, path = p.path || p.id
       FROM bench_groups bg JOIN bench_groups bp ON bp.n = ${top} + 1 + (bg.n % ${Math.max(1, mid - top)}) JOIN groups p ON p.id = bp.id
      WHERE g.id = bg.id AND bg.n > ${mid}`,
    `INSERT INTO group_memberships (group_id, user_id, role, status)
     SELECT DISTINCT bg.id, bu.id, 'MEMBER', 'ACTIVE'
       FROM bench_users bu CROSS JOIN generate_series(0, ${memberships - 1}) AS k
       JOIN bench_groups bg ON bg.n = 1 + ((bu.n * 31 + k * 97) % ${groups})`,
    `INSERT INTO follows (follower_id, followee_id)
     SELECT DISTINCT a.id, b.id FROM bench_users a
       CROSS JOIN LATERAL (
         SELECT 1 + ((a.n * 7 + k * 3) % ${stars}) AS n FROM generate_series(1, ${Math.min(10, follows)}) AS k
         UNION ALL SELECT ${stars} + 1 + ((a.n * 11 + k * 17) % ${Math.max(1, known - stars)}) FROM generate_series(1, ${Math.min(20, Math.max(0, follows - 10))}) AS k
         UNION ALL SELECT 1 + ((a.n + k * 37) % ${users}) FROM generate_series(1, ${Math.max(0, follows - 30)}) AS k) f
       JOIN bench_users b ON b.n = f.n
      WHERE a.id <> b.id`,
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
            x.pinned OR x.announced, x.pinned,
            now() - (${posts} - x.g) * interval '1 minute',
            CASE WHEN (x.g / 100) % 97 = 0 AND NOT x.announced THEN now() END
       FROM (SELECT g, g % 100 AS r,
                    CASE WHEN g % 100 < 40 THEN 'NETWORK' WHEN g % 100 < 55 THEN 'FOLLOWERS' WHEN g % 100 < 60 THEN 'PRIVATE'
                         WHEN g % 100 < 90 THEN 'GROUP' ELSE 'CUSTOM' END AS audience,
                    (g % 100 < 40 AND g % 200000 = 0) AS pinned,
                    (g % 100 = 1 AND g > ${posts} - 5000) AS announced
               FROM generate_series(1::bigint, ${posts}) AS g) x
       JOIN bench_users a ON a.n = 1 + ((x.g * 7919) % ${users})
       JOIN bench_users w ON w.n = 1 + ((x.g * 31) % ${users})
       JOIN bench_groups gr ON gr.n = 1 + ((x.g / 100 + x.g * 13) % ${groups})`,
    `CREATE TABLE bench_posts AS SELECT row_number() OVER (ORDER BY created_at, id) AS n, id, created_at FROM posts`,
    `CREATE UNIQUE INDEX ON bench_posts (n)`,
    `INSERT INTO comments (post_id, author_id, body, body_html, created_at)
     SELECT bp.id, bu.id, 'Comment ' || g, '<p>Comment ' || g || '</p>', bp.created_at + interval '7 seconds'
       FROM generate_series(1, ${Math.floor(posts / 4)}) AS g
       JOIN bench_posts bp ON bp.n = 1 + ((g::bigint * 4 + g % 3) % ${posts})
       JOIN bench_users bu ON bu.n = 1 + ((g * 13) % ${users})`,
    `INSERT INTO reactions (subject_id, user_id, emoji, post_id)
     SELECT DISTINCT bp.id, bu.id, (ARRAY['👍','❤️','🎉','😂'])[1 + g % 4], bp.id
       FROM generate_series(1, ${Math.floor(posts / 2)}) AS g
       JOIN bench_posts bp ON bp.n = 1 + ((g::bigint * 2) % ${posts})
       JOIN bench_users bu ON bu.n = 1 + ((g * 17) % ${users})`,
    `INSERT INTO activities (verb, actor_id, post_id, group_id, broadcast, created_at)
     SELECT 'POSTED', author_id, id, group_id, audience = 'NETWORK' AND is_announcement, created_at FROM posts`,
    `INSERT INTO activities (verb, actor_id, post_id, comment_id, group_id, created_at)
     SELECT 'COMMENTED', c.author_id, c.post_id, c.id, p.group_id, c.created_at FROM comments c JOIN posts p ON p.id = c.post_id`,
    // What the fan-out job would have merged at read time instead of copying.
    `UPDATE activities a SET broadcast = true
       FROM (SELECT followee_id FROM follows GROUP BY followee_id HAVING count(*) > ${fanoutMax}) big
      WHERE a.actor_id = big.followee_id AND NOT a.broadcast`,
    `DROP TABLE bench_users, bench_groups, bench_posts`,
  ];
}

/** Fills `db` with the company, then VACUUM ANALYZE; returns the counts. */
export async function fillCompany(db, options) {
  const t = Date.now();
  for (const sql of company(options)) await db.query(sql);
  await db.query('VACUUM ANALYZE');
  const { rows } = await db.query(`SELECT (SELECT count(*)::int FROM users) AS users,
      (SELECT count(*)::int FROM groups) AS groups, (SELECT count(*)::int FROM posts) AS posts,
      (SELECT count(*)::int FROM comments) AS comments, (SELECT count(*)::int FROM reactions) AS reactions,
      (SELECT count(*)::int FROM activities) AS activities, (SELECT count(*)::int FROM follows) AS follows,
      (SELECT count(*)::int FROM group_memberships) AS memberships`);
  log(`company filled and analyzed in ${Date.now() - t} ms: ${JSON.stringify(rows[0])}`);
  return rows[0];
}

// --- the API as a real process ------------------------------------------------------------------

/**
 * Starts `ruche <command>` (api, or start for API + worker) in its own process group with `env`,
 * waits for /health/ready; returns { url, pid, stop() }.
 */
/** Waits (up to a minute) until `url` answers /health/ready; fails when `exited()` turns true. */
export async function ready(url, exited, what) {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (exited() || i > 600) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startRuche(command, env) {
  const port = Number(env.PORT);
  const url = `http://127.0.0.1:${port}`;
  if (
    await fetch(`${url}/health/live`).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`port ${port} is taken: set PORT`);
  const child = spawn(process.execPath, ['bin/ruche.js', command], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', () => (exited = true));
  await ready(url, () => exited, `ruche ${command}`);
  return {
    url,
    pid: child.pid,
    /** Stops the whole process group (`ruche` runs the servers as children), then waits for the port. */
    stop: async () => {
      if (exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      await exit;
      for (let i = 0; i < 40; i++) {
        const up = await fetch(`${url}/health/live`).then(
          () => true,
          () => false,
        );
        if (!up) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}

/** One GraphQL call; throws on errors. */
export async function gql(url, token, query, variables = {}) {
  const res = await fetch(`${url}/graphql`, {
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

let autocannonModule;
/** autocannon (a devDependency) with a promise. */
export async function cannon(opts) {
  autocannonModule ??= (await import('autocannon')).default;
  return new Promise((resolve, reject) =>
    autocannonModule(opts, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

/** The figures of an autocannon result that go in a note. */
export const figures = (r) => ({
  p50: r.latency.p50,
  p99: r.latency.p99,
  requestsPerSec: r.requests.average,
  requests: r.requests.total,
  errors: r.errors + r.non2xx,
  timeouts: r.timeouts,
});

/** Resident memory in MB of the child of `pid` whose command line holds `match` (Linux ps). */
export function rssMb(pid, match) {
  const out = spawnSync('ps', ['-o', 'rss=,args=', '--ppid', String(pid)], {
    encoding: 'utf8',
  }).stdout;
  const line = out.split('\n').find((l) => l.includes(match));
  return line ? Math.round(Number(line.trim().split(/\s+/)[0]) / 1024) : null;
}

// --- EXPLAIN ------------------------------------------------------------------------------------

function walk(plan, visit) {
  visit(plan);
  for (const child of plan.Plans ?? []) walk(child, visit);
}

/**
 * A statement explained on a warm cache: the text plan of EXPLAIN (ANALYZE, BUFFERS), then `runs`
 * timed executions (EXPLAIN ANALYZE in JSON): their times (ms), the median, the rows of the top
 * node, the indexes used and the relations read by a sequential scan.
 */
export async function explain(db, sql, params, runs) {
  await db.query(sql, params); // warm the cache: the median is of a warm page
  const text = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  const times = [];
  let plan;
  for (let i = 0; i < runs; i++) {
    const [result] = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params))
      .rows[0]['QUERY PLAN'];
    times.push(result['Execution Time']);
    plan = result.Plan;
  }
  const indexes = new Set();
  const seqScans = new Set();
  walk(plan, (node) => {
    if (node['Index Name']) indexes.add(node['Index Name']);
    if (node['Node Type'] === 'Seq Scan') seqScans.add(node['Relation Name']);
  });
  return {
    text,
    runsMs: times.map((x) => Math.round(x * 1000) / 1000),
    medianMs: Math.round(median(times) * 1000) / 1000,
    rows: plan['Actual Rows'],
    indexes: [...indexes],
    seqScans: [...seqScans],
  };
}

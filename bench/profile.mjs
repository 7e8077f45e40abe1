#!/usr/bin/env node
// Where one page's time goes, Node and PostgreSQL apart, on the database bench/feed.mjs filled:
//
//   npm run build && KEEP=1 node bench/feed.mjs   # once, to fill ruche_bench_feed
//   node bench/profile.mjs [homeFeed|companyFeed|groupFeed|wall|typename]
//
// Starts the API alone (`node --cpu-prof dist/apps/api/main.js`) on the filled database, signs in
// VIEWERS people, warms up, then sends REQUESTS pages at CONNECTIONS connections and prints: the
// API's CPU per request (user + system from /proc, so the other processes of the machine do not
// count), PostgreSQL's time per request (pg_stat_statements when loaded, else the backends' CPU from
// /proc), statements per request, and the CPU profile's top frames by self time per request.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { REDIS_URL, ROOT, connect, dbUrl, gql, log, ready } from './support.mjs';
import { HOME, COMPANY, GROUP, WALL, loadAs, signIn, pickViewers } from './feed-operations.mjs';

const DB = process.env.BENCH_DB ?? 'ruche_bench_feed';
const PORT = Number(process.env.PORT ?? 3918);
const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 4);
const VIEWERS = Number(process.env.VIEWERS ?? 32);
const TOP = Number(process.env.TOP ?? 25);
const which = process.argv[2] ?? 'homeFeed';

const ticks = Number(process.env.CLK_TCK ?? 100);
/** user + system CPU seconds of a process, from /proc/<pid>/stat. */
function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks;
  } catch {
    return 0;
  }
}

async function postgresCpu(db) {
  const pids = (
    await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [DB])
  ).rows.map((r) => r.pid);
  return pids.reduce((s, p) => s + cpuOf(p), 0);
}

async function main() {
  const db = await connect(DB);
  const redis = new Redis(REDIS_URL);
  const dir = await mkdtemp(join(tmpdir(), 'ruche-prof-'));
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: dbUrl(DB),
    REDIS_URL,
    REDIS_PREFIX: DB,
    PORT: String(PORT),
    PUBLIC_URL: `http://127.0.0.1:${PORT}`,
    RATE_SIGNIN_PER_IP: '100000',
    FEED_FANOUT_MAX: '2000',
  };
  const api = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/apps/api/main.js'],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${PORT}`;
  try {
    await ready(url, () => api.exitCode !== null, 'the API');
    const viewers = await signIn(url, db, await pickViewers(db, VIEWERS));
    const {
      rows: [group],
    } = await db.query(
      `SELECT m.group_id AS id FROM group_memberships m WHERE m.user_id = $1 AND m.status = 'ACTIVE' LIMIT 1`,
      [viewers[0].id],
    );
    const ops = {
      homeFeed: [HOME, () => ({})],
      companyFeed: [COMPANY, () => ({})],
      groupFeed: [GROUP, () => ({ id: group.id })],
      wall: [WALL, (v) => ({ id: v.id })],
      typename: ['{ __typename }', () => ({})],
    };
    const [query, vars] =
      ops[which] ??
      (() => {
        throw new Error(`unknown operation ${which}`);
      })();
    for (let i = 0; i < 300; i++) {
      const v = viewers[i % viewers.length];
      await gql(url, v.token, query, vars(v));
    }
    const hasStatements = (
      await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`)
    ).rowCount;
    if (hasStatements) await db.query(`SELECT pg_stat_statements_reset()`);
    const pg0 = await postgresCpu(db);
    const node0 = cpuOf(api.pid);
    const t0 = process.hrtime.bigint();
    const result = await loadAs(url, viewers, CONNECTIONS, query, vars, { amount: REQUESTS });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const nodeCpu = cpuOf(api.pid) - node0;
    const pgCpu = (await postgresCpu(db)) - pg0;
    let statements = null;
    if (hasStatements) {
      const { rows } = await db.query(
        `SELECT calls, total_exec_time AS exec, total_plan_time AS plan, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
          ORDER BY total_exec_time DESC LIMIT 8`,
        [DB],
      );
      statements = rows.map((r) => ({
        perRequest: Number((r.calls / REQUESTS).toFixed(2)),
        msPerCall: Number(((r.exec + r.plan) / r.calls).toFixed(3)),
        query: r.q,
      }));
    }
    api.kill('SIGINT');
    await new Promise((r) => api.once('exit', r));
    await sleep(200);
    const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8'));
    console.log(
      JSON.stringify(
        {
          operation: which,
          requests: REQUESTS,
          connections: CONNECTIONS,
          errors: result.errors + result.non2xx,
          reqPerSec: Number((REQUESTS / wall).toFixed(1)),
          nodeCpuMsPerRequest: Number(((nodeCpu * 1000) / REQUESTS).toFixed(3)),
          postgresCpuMsPerRequest: Number(((pgCpu * 1000) / REQUESTS).toFixed(3)),
          statements,
          byPackage: byPackage(profile, REQUESTS + 300 + VIEWERS),
          topFrames: topFrames(profile, REQUESTS + 300 + VIEWERS),
        },
        null,
        2,
      ),
    );
  } finally {
    if (api.exitCode === null) api.kill('SIGKILL');
    redis.disconnect();
    await db.end();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Self time by package (node_modules/<name>, our dist/<lib>, node: internals, native), µs per request. */
function byPackage(profile, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const { url, functionName } = byId.get(profile.samples[i]).callFrame;
    const m =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /dist\/((?:libs|apps)\/[^/]+)/.exec(url);
    const key = m ? m[1] : url.startsWith('node:') ? 'node:' : url ? url : functionName;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return Object.fromEntries(
    [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, us]) => [k, Number((us / requests).toFixed(1))]),
  );
}

/** Self time by function (name, file:line), µs per request, over the whole profile. */
function topFrames(profile, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  }
  const idle = ['(idle)', '(program)', '(garbage collector)'];
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([k, us]) => `${(us / requests).toFixed(1).padStart(7)} µs  ${idle.includes(k) ? k : k}`);
}

main().catch((e) => {
  log(`profile: ${e.stack ?? e}`);
  process.exitCode = 1;
});

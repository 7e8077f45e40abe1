// The image's steps without Docker (docker/Dockerfile): a production install of the built output
// in a folder of its own, then `ruche migrate`, `ruche api` and `ruche worker` from it answer their
// health checks and a job goes through the worker.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { databaseUrl, PG_ADMIN_URL, REDIS_URL } from './support/services.js';
import { TestSmtp } from './support/smtp.js';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ruche-image-'));
const name = `ruche_image_${randomBytes(4).toString('hex')}`;
const port = 20000 + Math.floor(Math.random() * 20000);
const children: ChildProcess[] = [];
let smtp: TestSmtp;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  // Stage "deps": production dependencies only; the final stage copies dist/ and bin/.
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(root, f), join(dir, f));
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  smtp = await new TestSmtp().start();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl(name),
    REDIS_URL,
    REDIS_PREFIX: name,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    STORAGE_DIR: join(dir, 'uploads'),
    WORKER_HEARTBEAT_FILE: join(dir, 'worker.alive'),
    LOG_LEVEL: 'silent',
  };
}, 240_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await smtp?.stop();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${name}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
}, 120_000);

const ruche = (...args: string[]) =>
  run(process.execPath, ['bin/ruche.js', ...args], { cwd: dir, env });

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error('not healthy in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the production install of the built output', () => {
  it('migrates, runs the API and a worker that pass their health checks, and processes a job', async () => {
    await ruche('migrate');
    await ruche(
      'create-admin',
      '--email',
      'it@acme.test',
      '--password',
      'Orange-Tulip-Harbour-42',
      '--name',
      'IT',
    );
    for (const app of ['api', 'worker'])
      children.push(
        spawn(process.execPath, ['bin/ruche.js', app], { cwd: dir, env, stdio: 'ignore' }),
      );
    await until(async () => (await ruche('health', 'api'), true), 60_000);
    await until(async () => (await ruche('health', 'worker'), true), 60_000);

    const gql = async (query: string, variables: object, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data: any; errors?: unknown[] };
    };
    const signIn = await gql(
      'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }',
      { e: 'it@acme.test', p: 'Orange-Tulip-Harbour-42' },
    );
    expect(signIn.errors).toBeUndefined();
    const invited = await gql(
      'mutation($emails: [String!]!) { inviteMembers(emails: $emails) }',
      { emails: ['new.colleague@acme.test'] },
      signIn.data.signIn.accessToken,
    );
    expect(invited).toEqual({ data: { inviteMembers: 1 } });
    // The invitation email: relayed from the outbox, sent by the worker through SMTP.
    const mail = await smtp.waitFor('new.colleague@acme.test');
    expect(mail.subject).toBeTruthy();
    // The web app is in the image too.
    const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<div id="root">');
  }, 180_000);
});

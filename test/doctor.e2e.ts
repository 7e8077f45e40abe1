import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { databaseUrl, PG_ADMIN_URL, REDIS_URL, TEMPLATE_DB } from './support/services.js';
import { TestS3 } from './support/s3.js';
import { TestSmtp } from './support/smtp.js';

const run = promisify(execFile);
const name = `ruche_doctor_${randomBytes(4).toString('hex')}`;
const empty = `${name}_empty`;
let smtp: TestSmtp;

/** `ruche doctor` as an operator runs it: its exit code and what it printed. */
async function doctor(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const base = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: databaseUrl(name),
    REDIS_URL,
    REDIS_PREFIX: name,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    STORAGE_DIR: `/tmp/${name}`,
  };
  try {
    const { stdout } = await run(process.execPath, ['bin/ruche.js', 'doctor'], {
      env: { ...base, ...env },
    });
    return { code: 0, out: stdout };
  } catch (e) {
    const { code, stdout } = e as { code: number; stdout: string };
    return { code, out: stdout };
  }
}

/** A port on loopback that nothing listens on. */
const closedPort = '1';

beforeAll(async () => {
  smtp = await new TestSmtp().start();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`);
  await admin.query(`CREATE DATABASE "${empty}"`);
  await admin.end();
});

afterAll(async () => {
  await smtp.stop();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  for (const db of [name, empty]) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${name}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('ruche doctor', () => {
  it('says all is well on a healthy installation, and exits 0', async () => {
    const { code, out } = await doctor({});
    expect(out).not.toMatch(/FAIL/);
    expect(out).toMatch(/^ok {3}migrations/m);
    expect(code).toBe(0);
  });

  it.each([
    [
      'database down',
      { DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/ruche` },
      /^FAIL database: PostgreSQL does not answer at 127\.0\.0\.1:1 .*\n {5}fix: start PostgreSQL/m,
    ],
    [
      'a pending migration',
      { DATABASE_URL: '' },
      /^FAIL migrations: \d+ migration\(s\) not applied: Foundation\d+.*\n {5}fix: run `ruche migrate`/m,
    ],
    [
      'Redis down',
      { REDIS_URL: `redis://127.0.0.1:${closedPort}` },
      /^FAIL redis: Redis does not answer at 127\.0\.0\.1:1 .*\n {5}fix: start Redis/m,
    ],
    [
      'SMTP unreachable',
      { SMTP_URL: `smtp://127.0.0.1:${closedPort}` },
      /^FAIL smtp: the SMTP server at 127\.0\.0\.1:1 is unreachable.*\n {5}fix: check SMTP_URL/m,
    ],
    [
      'a bad variable',
      { PORT: 'eighty' },
      /^FAIL configuration: PORT="eighty": .*\n {5}fix: set it as config\/example\.env documents/m,
    ],
  ])(
    'reports %s with a one-line fix, and exits 1',
    async (_, env: Record<string, string>, expected) => {
      const { code, out } = await doctor(
        env.DATABASE_URL === '' ? { DATABASE_URL: databaseUrl(empty) } : env,
      );
      expect(out).toMatch(expected);
      expect(out.match(/^FAIL/gm)).toHaveLength(1);
      expect(code).toBe(1);
    },
  );

  it('reports a failed-job backlog with a one-line fix', async () => {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const prefix = `${name}:bull`;
    const queue = new Queue('email', { connection, prefix });
    const worker = new Worker(
      'email',
      async () => {
        throw new Error('SMTP said no');
      },
      { connection, prefix },
    );
    const failedAll = new Promise<void>((resolve) => {
      let n = 0;
      worker.on('failed', () => ++n === 2 && resolve());
    });
    await queue.add('send', {}, { attempts: 1 });
    await queue.add('send', {}, { attempts: 1 });
    await failedAll;
    await worker.close();
    await queue.close();
    connection.disconnect();
    const { code, out } = await doctor({});
    expect(out).toMatch(
      /^FAIL queue email: 2 failed job\(s\) kept for inspection\n {5}fix: read their errors/m,
    );
    expect(code).toBe(1);
  });
});

describe('ruche doctor with STORAGE_DRIVER=s3', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await new TestS3().start();
  });
  afterAll(() => s3.stop());
  // Queues of their own: the failed jobs above are not these tests' finding.
  const env = () => ({ ...s3.env, REDIS_PREFIX: `${name}_s3` });

  it('writes a probe to the bucket and says where it is', async () => {
    const { code, out } = await doctor(env());
    expect(out).toMatch(
      new RegExp(`^ok {3}storage \\(s3://${s3.bucket} at ${s3.endpoint}\\)`, 'm'),
    );
    expect(out).not.toMatch(/FAIL/);
    expect(code).toBe(0);
    expect(await s3.keys()).toEqual([]);
  });

  it.each([
    ['a missing bucket', { S3_BUCKET: 'no-such-bucket' }, /fix: create the bucket no-such-bucket/],
    ['an unreachable endpoint', { S3_ENDPOINT: 'http://127.0.0.1:1' }, /fix: check S3_ENDPOINT/],
  ])('reports %s with a one-line fix, and exits 1', async (_, extra, fix) => {
    const { code, out } = await doctor({ ...env(), ...extra });
    expect(out).toMatch(/^FAIL storage: cannot write to s3:\/\/.*\n {5}fix: /m);
    expect(out).toMatch(fix);
    expect(out.match(/^FAIL/gm)).toHaveLength(1);
    expect(code).toBe(1);
  });
});

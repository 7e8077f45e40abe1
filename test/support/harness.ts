import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createApi } from '../../apps/api/api.js';
import { createWorker } from '../../apps/worker/worker.js';
import { loadConfig, type AppConfig } from '@ruche/config';
import { databaseUrl, PG_ADMIN_URL, REDIS_URL, TEMPLATE_DB } from './services.js';
import { TestSmtp } from './smtp.js';

export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; field?: string; [k: string]: unknown };
  }[];
  status: number;
}

/**
 * One Ruche for one test file: its own database (copied from the migrated template), its own
 * Redis prefix, a real SMTP server, the API listening on a free port and, when asked, a worker.
 */
export class Harness {
  api!: NestExpressApplication;
  worker?: INestApplicationContext;
  smtp!: TestSmtp;
  config!: AppConfig;
  url = '';
  db!: pg.Pool;
  readonly name = `ruche_t_${process.pid}_${randomBytes(4).toString('hex')}`;

  static async start(
    opts: { worker?: boolean; env?: Record<string, string> } = {},
  ): Promise<Harness> {
    const h = new Harness();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${h.name}" TEMPLATE "${TEMPLATE_DB}"`);
    await admin.end();
    h.smtp = await new TestSmtp().start();
    h.config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl(h.name),
      REDIS_URL,
      REDIS_PREFIX: h.name,
      SMTP_URL: `smtp://127.0.0.1:${h.smtp.port}`,
      PUBLIC_URL: 'http://ruche.test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      STORAGE_DIR: join(tmpdir(), h.name),
      ...opts.env,
    });
    h.db = new pg.Pool({ connectionString: h.config.DATABASE_URL, max: 2 });
    h.api = await createApi(h.config);
    await h.api.listen(0, '127.0.0.1');
    h.url = `http://127.0.0.1:${(h.api.getHttpServer().address() as { port: number }).port}`;
    if (opts.worker) h.worker = await createWorker(h.config);
    return h;
  }

  /** A GraphQL operation over HTTP, as a client sends it. */
  async gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    opts: { token?: string; headers?: Record<string, string> } = {},
  ): Promise<GqlResult<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as GqlResult<T>;
    return { ...body, status: res.status };
  }

  /** Like gql, but fails the test on any error. */
  async ok<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<T> {
    const result = await this.gql<T>(query, variables, { token });
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
    await this.smtp?.stop();
    await this.db?.end();
    await rm(this.config.STORAGE_DIR, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.name}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** The first code of a result's errors. */
export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
export const fieldOf = (r: GqlResult) => r.errors?.[0]?.extensions?.field;

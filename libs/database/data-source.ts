import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

type Entities = MixedList<string | (new () => unknown) | EntitySchema>;

/** The options shared by the API, the worker, the CLI and the tests. */
export function dataSourceOptions(
  url: string,
  entities: Entities = [],
  poolSize = 20,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    // JIT compiles a plan in hundreds of milliseconds to save little on short OLTP queries (a page of
    // posts by hashtag spent 478 ms of 528 compiling: bench/content-explain.mjs): off for our sessions.
    extra: { max: poolSize, application_name: 'ruche', options: '-c jit=off' },
  };
}

/** Creates the database named in `url` when it is missing (a developer machine, a test run). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
        .catch((e: { code?: string }) => {
          if (e.code !== '42P04') throw e; // created meanwhile by another process
        });
    }
  } finally {
    await client.end();
  }
}

/** Applies pending migrations; returns their names. */
export async function migrate(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

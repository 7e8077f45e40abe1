import { execFileSync } from 'node:child_process';
import pg from 'pg';

/**
 * Builds the migrated template every test file copies its own database from, with the real
 * `ruche migrate` command (npm test builds first).
 */
export default async function globalSetup(): Promise<void> {
  // Self-contained: jest loads this file outside the module mapping. The workers read these.
  const PG_ADMIN_URL = (process.env.TEST_PG_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres');
  process.env.TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
  // One template per run, so runs side by side (several developers, helpers) do not collide.
  const TEMPLATE_DB = (process.env.TEST_TEMPLATE_DB ??= `ruche_tpl_${process.pid}`);
  const templateUrl = new URL(PG_ADMIN_URL);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(e as Error).message}); start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  execFileSync(process.execPath, ['bin/ruche.js', 'migrate'], {
    env: { ...process.env, DATABASE_URL: templateUrl.toString(), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

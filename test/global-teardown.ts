import pg from 'pg';

/** Drops this run's template (set by global-setup). */
export default async function globalTeardown(): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${process.env.TEST_TEMPLATE_DB}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

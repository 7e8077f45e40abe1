import { DataSource, type QueryRunner } from 'typeorm';
import { HotReads } from '@ruche/database';
import type { Harness } from './harness.js';

/** Runs `work` and counts the SQL statements the API sent meanwhile, on its main and hot pools. */
export async function countQueries<T>(
  h: Harness,
  work: () => Promise<T>,
): Promise<{ result: T; queries: number }> {
  const sources = [h.api.get(DataSource), h.api.get(HotReads).db];
  let queries = 0;
  const originals = sources.map((ds) => {
    const original = ds.driver.createQueryRunner.bind(ds.driver);
    ds.driver.createQueryRunner = (mode) => {
      const runner: QueryRunner = original(mode);
      const query = runner.query.bind(runner);
      runner.query = ((...args: Parameters<QueryRunner['query']>) => {
        queries++;
        return query(...args);
      }) as QueryRunner['query'];
      return runner;
    };
    return original;
  });
  try {
    return { result: await work(), queries };
  } finally {
    sources.forEach((ds, i) => (ds.driver.createQueryRunner = originals[i]));
  }
}

import { stat } from 'node:fs/promises';
import type { AppConfig } from '@ruche/config';

const HEARTBEAT_MAX_AGE_MS = 30_000;

/**
 * The container health check: `api` asks this process's /health/ready; `worker` reads the age of
 * its heartbeat file (WORKER_HEARTBEAT_FILE). Returns the problem, or null when healthy.
 */
export async function health(config: AppConfig, what: string | undefined): Promise<string | null> {
  if (what === 'api') {
    try {
      const res = await fetch(`http://127.0.0.1:${config.PORT}/health/ready`, {
        signal: AbortSignal.timeout(3000),
      });
      return res.ok ? null : `the API answers /health/ready with ${res.status}`;
    } catch (e) {
      return `the API does not answer on port ${config.PORT} (${(e as Error).message})`;
    }
  }
  if (what === 'worker') {
    const file = config.WORKER_HEARTBEAT_FILE;
    if (!file) return 'WORKER_HEARTBEAT_FILE is not set: the worker writes no heartbeat';
    try {
      const age = Date.now() - (await stat(file)).mtimeMs;
      return age <= HEARTBEAT_MAX_AGE_MS
        ? null
        : `the worker's last heartbeat is ${Math.round(age / 1000)} s old (PostgreSQL or Redis unreachable, or the worker is stuck)`;
    } catch {
      return `no heartbeat file at ${file}: the worker has not reached PostgreSQL and Redis yet`;
    }
  }
  return 'say which process to check: ruche health api | ruche health worker';
}

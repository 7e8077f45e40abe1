import { spawn, type ChildProcess } from 'node:child_process';
import type { Harness } from './harness.js';

/**
 * Real worker processes (`node dist/apps/worker/main.js`, so `npm run build` first) for the fault
 * tests: a worker can be killed with SIGKILL mid-job, which an in-process worker cannot be.
 */
const children = new Set<ChildProcess>();

/** A worker process with the harness's configuration, JOB_LOCK_MS=2000, and `env` on top. */
export function startWorker(h: Harness, env: Record<string, string> = {}): ChildProcess {
  const c = h.config;
  const child = spawn(process.execPath, ['dist/apps/worker/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: c.DATABASE_URL,
      REDIS_URL: c.REDIS_URL,
      REDIS_PREFIX: c.REDIS_PREFIX,
      SMTP_URL: c.SMTP_URL,
      PUBLIC_URL: c.PUBLIC_URL,
      STORAGE_DIR: c.STORAGE_DIR,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // A dead worker's jobs are taken over by another after about this long.
      JOB_LOCK_MS: '2000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Sends `signal` and waits for the process to be gone. */
export async function stopWorker(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Kills every worker still running (afterAll). */
export async function killWorkers(): Promise<void> {
  await Promise.all([...children].map((c) => stopWorker(c, 'SIGKILL')));
}

/** Polls `check` every `everyMs` until it holds; fails naming `what` after `ms`. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 30000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

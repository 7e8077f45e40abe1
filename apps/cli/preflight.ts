import net from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { AppConfig } from '@ruche/config';

const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const REDIS_START =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

/** One line per service that is not there, with the command that starts it; null when all answer. */
export async function preflight(config: AppConfig): Promise<string[]> {
  const problems: string[] = [];
  const db = new URL(config.DATABASE_URL);
  if (!(await reachable(db.hostname, Number(db.port || 5432)))) {
    problems.push(
      `PostgreSQL is not answering at ${db.hostname}:${db.port || 5432}; start it with: ${PG_START}`,
    );
  } else {
    const admin = new URL(config.DATABASE_URL);
    admin.pathname = '/postgres';
    const client = new pg.Client({
      connectionString: admin.toString(),
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
    } catch (e) {
      problems.push(
        `PostgreSQL refused the connection (${(e as Error).message}); check DATABASE_URL`,
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const redisUrl = new URL(config.REDIS_URL);
  if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
    problems.push(
      `Redis is not answering at ${redisUrl.hostname}:${redisUrl.port || 6379}; start it with: ${REDIS_START}`,
    );
  } else {
    const redis = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      await redis.ping();
    } catch (e) {
      problems.push(`Redis refused the connection (${(e as Error).message}); check REDIS_URL`);
    } finally {
      redis.disconnect();
    }
  }
  return problems;
}

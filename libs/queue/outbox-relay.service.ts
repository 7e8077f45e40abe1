import { writeFile } from 'node:fs/promises';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { AppConfig } from '@ruche/config';
import { WriteBatcher } from '@ruche/database';
import { OUTBOX_CHANNEL } from './outbox.service.js';
import { QUEUE_NAMES, type QueueName } from './jobs.js';
import { QueuesService } from './queues.service.js';
import { RedisService } from './redis.service.js';

const BATCH = 200;
const POLL_MS = 1000;
/** Outbox rows of finished jobs are deleted together, at most this long after. */
const FINISHED_FLUSH_MS = 50;

/**
 * Hands outbox rows to BullMQ with the outbox id as job id (so a crash between the add and the
 * mark sends nothing twice) and marks them relayed; a row goes when its job is done (`finished`).
 * Wakes on NOTIFY and polls as a safety net. Runs in the worker; several workers share the rows
 * through SKIP LOCKED.
 *
 * Redis keeps nothing on disk here: should it come back empty (a restart, a flush), the jobs it
 * held are gone. Each poll looks for a marker key it sets; when the marker is missing, every row
 * relayed but not done is relayed again and each queue's `recover` enqueues again what it keeps in
 * PostgreSQL (the pending deliveries), before the marker is set again. Job ids make this
 * harmless when Redis had lost nothing (a first start).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  /** Whether the last relay pass reached PostgreSQL and Redis. */
  private relayOk = true;
  private again = false;
  private stopped = false;
  private readonly recoveries: (() => Promise<void>)[] = [];
  private readonly finishedRows: WriteBatcher<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueuesService,
    private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {
    this.finishedRows = new WriteBatcher<string>(FINISHED_FLUSH_MS, async (ids) => {
      await this.dataSource.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids]);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), POLL_MS);
    await this.listen();
    void this.tick();
  }

  /** What a queue enqueues again when Redis comes back empty. */
  recoverWith(recover: () => Promise<void>): void {
    this.recoveries.push(recover);
  }

  /** A job is done (completed, or failed for good): its outbox row, if it has one, goes. */
  finished(job: Job): void {
    const id = /^outbox-(\d+)$/.exec(job.id ?? '')?.[1];
    if (!id) return;
    this.finishedRows
      .add(id)
      .catch((error: Error) =>
        this.logger.warn(`outbox row ${id} kept (its job is done): ${error.message}`),
      );
  }

  private async tick(): Promise<void> {
    let redisOk = true;
    try {
      await this.recoverIfEmptied();
    } catch (error) {
      redisOk = false;
      this.logger.warn(`Redis check failed: ${(error as Error).message}`);
    }
    await this.drain();
    // The worker's health check (`ruche health worker`) reads this file's age.
    const file = this.config.WORKER_HEARTBEAT_FILE;
    if (file && redisOk && this.relayOk && !this.stopped)
      await writeFile(file, new Date().toISOString()).catch((error: Error) =>
        this.logger.warn(`heartbeat not written: ${error.message}`),
      );
  }

  /** When Redis lost what it held: everything not done is handed to it again. */
  private async recoverIfEmptied(): Promise<void> {
    const marker = this.redis.key('kept-since');
    if (this.stopped || (await this.redis.client.exists(marker))) return;
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH again AS (UPDATE outbox SET relayed_at = NULL WHERE relayed_at IS NOT NULL RETURNING 1)
       SELECT count(*)::int AS n FROM again`,
    );
    for (const recover of this.recoveries) await recover();
    await this.redis.client.set(marker, new Date().toISOString());
    this.logger.log(
      `Redis held no marker (a first start, or it lost its data): ${n} outbox job(s) relayed again, ${this.recoveries.length} queue(s) recovered`,
    );
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.config.DATABASE_URL });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (!this.stopped) setTimeout(() => void this.listen(), POLL_MS);
    });
    client.on('notification', () => void this.drain());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  /** Relays until the outbox is empty; concurrent calls coalesce into one more pass. */
  async drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && (await this.relayBatch()) === BATCH) {
          // keep going while full batches come back
        }
      } while (this.again && !this.stopped);
      this.relayOk = true;
    } catch (error) {
      this.relayOk = false;
      this.logger.warn(`outbox relay paused: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; queue: string; payload: unknown }[] = await manager.query(
        `SELECT id, queue, payload FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (!rows.length) return 0;
      const byQueue = new Map<QueueName, typeof rows>();
      for (const row of rows) {
        if (!QUEUE_NAMES.includes(row.queue as QueueName)) {
          this.logger.error(`outbox row ${row.id} names unknown queue ${row.queue}; kept`);
          continue;
        }
        const list = byQueue.get(row.queue as QueueName) ?? [];
        list.push(row);
        byQueue.set(row.queue as QueueName, list);
      }
      for (const [queue, list] of byQueue) {
        await this.queues.get(queue).addBulk(
          list.map((r) => ({
            name: queue,
            data: r.payload as never,
            opts: { jobId: `outbox-${r.id}` },
          })),
        );
      }
      const relayed = [...byQueue.values()].flat().map((r) => r.id);
      if (relayed.length)
        await manager.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [
          relayed,
        ]);
      return rows.length;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.finishedRows.flush();
    await this.listener?.end().catch(() => undefined);
  }
}

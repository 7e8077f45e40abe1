import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { AppConfig } from '@ruche/config';
import { OUTBOX_CHANNEL } from './outbox.service.js';
import { QUEUE_NAMES, type QueueName } from './jobs.js';
import { QueuesService } from './queues.service.js';

const BATCH = 200;
const POLL_MS = 1000;

/**
 * Moves outbox rows into BullMQ with the outbox id as job id (so a crash between the add and the
 * delete sends nothing twice), then deletes them. Wakes on NOTIFY and polls as a safety net.
 * Runs in the worker; several workers share the rows through SKIP LOCKED.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueuesService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.timer = setInterval(() => void this.drain(), POLL_MS);
    await this.listen();
    void this.drain();
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
    } catch (error) {
      this.logger.warn(`outbox relay paused: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  private async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; queue: string; payload: unknown }[] = await manager.query(
        `SELECT id, queue, payload FROM outbox ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
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
        await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [relayed]);
      return rows.length;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
  }
}

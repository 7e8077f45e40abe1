import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@ruche/config';
import { QUEUE_NAMES, QUEUES, type JobMap, type QueueName } from './jobs.js';

/** BullMQ queues, one per name in QUEUES, under `<REDIS_PREFIX>:bull`. */
@Injectable()
export class QueuesService implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  readonly bullPrefix: string;

  constructor(private readonly config: AppConfig) {
    this.bullPrefix = `${config.REDIS_PREFIX}:bull`;
  }

  get<K extends QueueName>(name: K): Queue<JobMap[K]> {
    let queue = this.queues.get(name);
    if (!queue) {
      const settings = QUEUES[name];
      queue = new Queue(name, {
        connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: this.bullPrefix,
        defaultJobOptions: {
          attempts: settings.attempts,
          backoff: { type: 'exponential', delay: settings.backoffMs, jitter: 0.3 },
          removeOnComplete: { age: 24 * 3600, count: 10000 },
          removeOnFail: false,
        },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue as Queue<JobMap[K]>;
  }

  /** Waiting, active, delayed and failed counts of every queue (for /metrics). */
  async depths(): Promise<Record<string, Record<string, number>>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(
        async (name) =>
          [
            name,
            await this.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed'),
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

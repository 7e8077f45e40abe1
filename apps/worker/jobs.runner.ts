import {
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { AppConfig } from '@ruche/config';
import {
  JOB_HANDLER,
  OutboxRelayService,
  QUEUE_NAMES,
  QUEUES,
  QueuesService,
  type JobHandler,
  type QueueName,
} from '@ruche/queue';

/** Finds one handler per queue (refusing to start otherwise) and runs a BullMQ worker for each. */
@Injectable()
export class JobsRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobsRunner');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
    private readonly queues: QueuesService,
    /** Absent where only the handlers are looked at. */
    @Optional() private readonly relay?: OutboxRelayService,
  ) {}

  handlers(): Map<QueueName, JobHandler<QueueName>> {
    const found = new Map<QueueName, JobHandler<QueueName>>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as JobHandler<QueueName> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const queue = Reflect.getMetadata(JOB_HANDLER, wrapper.metatype) as QueueName | undefined;
      if (!queue) continue;
      if (found.has(queue)) throw new Error(`Two handlers for queue "${queue}"`);
      found.set(queue, instance);
    }
    const missing = QUEUE_NAMES.filter((q) => !found.has(q));
    if (missing.length) throw new Error(`No handler for queue(s): ${missing.join(', ')}`);
    return found;
  }

  onApplicationBootstrap(): void {
    for (const [queue, handler] of this.handlers()) {
      if (handler.recover) this.relay?.recoverWith(() => handler.recover!());
      const worker = new Worker(queue, (job: Job) => this.run(handler, job), {
        connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: this.queues.bullPrefix,
        concurrency: QUEUES[queue].concurrency,
        lockDuration: this.config.JOB_LOCK_MS,
        stalledInterval: this.config.JOB_LOCK_MS,
        // A job whose worker died is taken up again; BullMQ's default (1) fails it for good at the
        // second death, whatever its attempts: a crash must delay work, never drop it.
        maxStalledCount: 10,
        autorun: true,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(
          `job ${queue}/${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`,
        ),
      );
      worker.on('error', (error) => this.logger.warn(`worker ${queue}: ${error.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`processing ${this.workers.length} queue(s)`);
  }

  /** Runs a job; once it is done for good, its outbox row goes. */
  private async run(handler: JobHandler<QueueName>, job: Job): Promise<unknown> {
    try {
      const result = await handler.handle(job as never);
      this.relay?.finished(job);
      return result;
    } catch (error) {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last || error instanceof UnrecoverableError) this.relay?.finished(job);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

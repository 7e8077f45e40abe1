import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobMap, QueueName } from './jobs.js';

export const JOB_HANDLER = 'ruche:job-handler';

export type JobResult = 'done' | 'skipped';

/** Marks the provider that processes one queue; the worker finds it at boot. */
export const HandlesQueue = (queue: QueueName) => SetMetadata(JOB_HANDLER, queue);

export interface JobHandler<K extends QueueName> {
  /** Idempotent: a retried job must not send or write twice. */
  handle(job: Job<JobMap[K]>): Promise<JobResult>;
  /**
   * Enqueues again what this queue's jobs would have done, from what PostgreSQL keeps, when Redis
   * came back empty (jobs from the outbox need none: the relay hands them over again).
   */
  recover?(): Promise<void>;
}

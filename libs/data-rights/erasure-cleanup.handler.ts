import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import {
  HandlesQueue,
  type ErasureCleanupJob,
  type JobHandler,
  type JobResult,
} from '@ruche/queue';
import { ErasureService } from './erasure.service.js';

/** Finishes an erasure's Redis and storage part; a finished one is skipped. */
@Injectable()
@HandlesQueue('erasure-cleanup')
export class ErasureCleanupHandler implements JobHandler<'erasure-cleanup'> {
  constructor(private readonly erasures: ErasureService) {}

  handle(job: Job<ErasureCleanupJob>): Promise<JobResult> {
    return this.erasures.cleanup(job.data.erasureId);
  }

  /** Redis came back empty: the unfinished erasures are finished from what PostgreSQL keeps. */
  async recover(): Promise<void> {
    for (const id of await this.erasures.unfinished()) await this.erasures.cleanup(id);
  }
}

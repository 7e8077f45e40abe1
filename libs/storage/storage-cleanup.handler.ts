import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HandlesQueue, QueuesService, type JobHandler, type JobResult } from '@ruche/queue';
import { AttachmentsService } from './attachments.service.js';

const EVERY_MS = 3600 * 1000;

/**
 * Removes unattached uploads older than a day, hourly. The schedule is upserted by every worker
 * at boot (and after Redis came back empty) under one id, so several workers still make one job an
 * hour.
 */
@Injectable()
@HandlesQueue('storage-cleanup')
export class StorageCleanupHandler
  implements JobHandler<'storage-cleanup'>, OnApplicationBootstrap
{
  private readonly logger = new Logger('StorageCleanup');

  constructor(
    private readonly attachments: AttachmentsService,
    private readonly queues: QueuesService,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.recover();
  }

  /** The hourly schedule: set at boot, and again when Redis came back empty. */
  async recover(): Promise<void> {
    try {
      await this.queues
        .get('storage-cleanup')
        .upsertJobScheduler(
          'storage-cleanup-hourly',
          { every: EVERY_MS },
          { name: 'storage-cleanup', data: {} },
        );
    } catch (error) {
      this.logger.warn(`could not schedule the upload cleanup: ${(error as Error).message}`);
    }
  }

  async handle(): Promise<JobResult> {
    const removed = await this.attachments.removeStale();
    if (removed) this.logger.log(`removed ${removed} unattached upload(s)`);
    return removed ? 'done' : 'skipped';
  }
}

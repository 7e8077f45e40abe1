import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JobMap, QueueName } from './jobs.js';

export const OUTBOX_CHANNEL = 'ruche_outbox';

/** The one way to enqueue from a request: inside the caller's transaction, so nothing is lost. */
@Injectable()
export class OutboxService {
  async enqueue<K extends QueueName>(
    manager: EntityManager,
    queue: K,
    payload: JobMap[K],
  ): Promise<void> {
    await manager.query(
      `WITH added AS (INSERT INTO outbox (queue, payload) VALUES ($1, $2) RETURNING id)
       SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM added`,
      [queue, JSON.stringify(payload)],
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService, type NotifyJob } from '@ruche/queue';

/**
 * The one way a domain announces something that may notify people: called inside the write's
 * transaction, it writes an outbox row for the `notify` job, so the notification is neither lost
 * when Redis or the worker is down nor sent for a change that was rolled back. The worker decides
 * who is notified (and re-checks access); callers only say what happened.
 */
@Injectable()
export class NotifyService {
  constructor(private readonly outbox: OutboxService) {}

  async emit(manager: EntityManager, event: NotifyJob): Promise<void> {
    const recipientIds = event.recipientIds?.filter((id) => id !== event.actorId);
    if (recipientIds && !recipientIds.length) return;
    await this.outbox.enqueue(manager, 'notify', {
      ...event,
      ...(recipientIds ? { recipientIds } : {}),
    });
  }
}

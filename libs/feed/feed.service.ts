import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '@ruche/queue';
import { ActivityEntity, type ActivityVerbName } from './entities/activity.entity.js';

export interface ActivityFacts {
  verb: ActivityVerbName;
  actorId: string;
  postId?: string | null;
  commentId?: string | null;
  groupId?: string | null;
  /** Known at write time to reach everyone (a NETWORK announcement): merged at read time, never copied. */
  broadcast?: boolean;
}

/**
 * The write side of the feed, called by content, groups and identity inside their own transaction:
 * the activity row and the outbox row of its `fanout` job commit (or roll back) with the change.
 * It imports none of those domains, so they can all depend on it.
 */
@Injectable()
export class FeedService {
  constructor(private readonly outbox: OutboxService) {}

  async record(manager: EntityManager, facts: ActivityFacts): Promise<string> {
    const { identifiers } = await manager.insert(ActivityEntity, {
      verb: facts.verb,
      actorId: facts.actorId,
      postId: facts.postId ?? null,
      commentId: facts.commentId ?? null,
      groupId: facts.groupId ?? null,
      broadcast: facts.broadcast ?? false,
    });
    const id = (identifiers[0] as { id: string }).id;
    await this.outbox.enqueue(manager, 'fanout', { activityId: id });
    // Outgoing webhooks (@ruche/integrations) find who subscribed; a profile update is no event.
    if (facts.verb !== 'UPDATED_PROFILE')
      await this.outbox.enqueue(manager, 'webhook-dispatch', { activityId: id });
    return id;
  }
}

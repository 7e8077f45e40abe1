import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { UsersService, type Recipient } from '@ruche/identity';
import {
  HandlesQueue,
  type DeliverBatchJob,
  type DeliverJob,
  type JobHandler,
  type JobResult,
  type NotifyJob,
} from '@ruche/queue';
import { Clock } from './clock.js';
import { DeliveryService, type PendingDelivery } from './delivery.service.js';
import type { NotificationEntity } from './entities/notification.entity.js';
import { recipientsWhoSee } from './notification.access.js';
import { channelsFor, objectKeyOf } from './notifications.rules.js';
import { NotificationsPubSub } from './notifications.pubsub.js';
import { PreferencesService } from './preferences.service.js';

const CHUNK = 1000;

/**
 * The notify job: keeps the recipients who may read the object (checked again here, at the time
 * of writing), writes or collapses their notification rows, publishes them to live
 * subscriptions and plans email and push. Idempotent: a retry updates the same rows and plans
 * nothing twice.
 */
@Injectable()
@HandlesQueue('notify')
export class NotifyJobHandler implements JobHandler<'notify'> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly prefs: PreferencesService,
    private readonly pubsub: NotificationsPubSub,
    private readonly deliveries: DeliveryService,
    private readonly clock: Clock,
  ) {}

  async handle(job: Job<NotifyJob>): Promise<JobResult> {
    const event = job.data;
    let written = 0;
    // Deliveries are enqueued once every in-app row is written: sending them would otherwise take
    // the machine from the rows still to write.
    const pending: PendingDelivery[] = [];
    if (event.audience) {
      // A large audience is walked by primary key, a chunk at a time: the job never holds thousands of ids.
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const ids = await this.audienceChunk(event, after);
        if (!ids.length) break;
        after = ids[ids.length - 1];
        const kept = ids.filter((id) => id !== event.actorId);
        if (kept.length) written += await this.chunk(String(job.id), event, kept, pending);
        if (ids.length < CHUNK) break;
      }
    } else {
      const ids = [...new Set(event.recipientIds ?? [])].filter((id) => id !== event.actorId);
      for (let i = 0; i < ids.length; i += CHUNK)
        written += await this.chunk(String(job.id), event, ids.slice(i, i + CHUNK), pending);
    }
    await this.deliveries.enqueue(pending);
    return written ? 'done' : 'skipped';
  }

  /** The next ids of a computed audience, in id order after `after`. */
  private async audienceChunk(event: NotifyJob, after: string): Promise<string[]> {
    if (event.audience === 'GROUP_MEMBERS') {
      if (!event.groupId) return [];
      const rows: { id: string }[] = await this.db.query(
        `SELECT user_id AS id FROM group_memberships WHERE group_id = $1 AND status = 'ACTIVE' AND user_id > $2 ORDER BY user_id LIMIT ${CHUNK}`,
        [event.groupId, after],
      );
      return rows.map((r) => r.id);
    }
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM users WHERE status = 'ACTIVE' AND role <> 'GUEST' AND id > $1 ORDER BY id LIMIT ${CHUNK}`,
      [after],
    );
    return rows.map((r) => r.id);
  }

  /**
   * One chunk of recipients: their rows and deliveries written in one transaction, the rows
   * published after it, the pending deliveries added to `pending`.
   */
  private async chunk(
    eventId: string,
    event: NotifyJob,
    ids: string[],
    pending: PendingDelivery[],
  ): Promise<number> {
    const recipients = await this.users.recipients(ids);
    const allowed = await this.readers(recipients, event);
    if (!allowed.length) return 0;
    const byId = new Map(allowed.map((r) => [r.viewer.id, r]));
    const [prefs, planning] = await Promise.all([
      this.prefs.ofUsers([...byId.keys()]),
      this.deliveries.planning([...byId.keys()]),
    ]);
    const now = this.clock.now();
    // A type the user keeps out of the app still leaves a row (already read) for email and push to point at.
    const readAt = allowed.map((r) =>
      channelsFor(event.type, prefs.get(r.viewer.id)?.settings).includes('IN_APP')
        ? null
        : now.toISOString(),
    );
    const rows = await this.db.transaction(async (manager) => {
      const written: NotificationEntity[] = await manager.query(
        `INSERT INTO notifications (recipient_id, type, actor_id, post_id, comment_id, group_id, report_id, object_key, read_at, created_at, message_id)
       SELECT x.r, $2, $3, $4, $5, $6, $10, $7, x.read_at, $8, $11::bigint FROM unnest($1::uuid[], $9::timestamptz[]) AS x(r, read_at)
       ON CONFLICT (recipient_id, type, object_key) WHERE read_at IS NULL
       DO UPDATE SET actor_id = EXCLUDED.actor_id, created_at = EXCLUDED.created_at
       RETURNING id, recipient_id AS "recipientId", type, actor_id AS "actorId", post_id AS "postId", comment_id AS "commentId",
                 group_id AS "groupId", report_id AS "reportId", read_at AS "readAt", created_at AS "createdAt"`,
        [
          allowed.map((r) => r.viewer.id),
          event.type,
          event.actorId,
          event.postId ?? null,
          event.commentId ?? null,
          event.groupId ?? null,
          objectKeyOf(event),
          now.toISOString(),
          readAt,
          event.reportId ?? null,
          event.messageId ?? null,
        ],
      );
      pending.push(
        ...(await this.deliveries.plan(manager, eventId, written, byId, prefs, planning)),
      );
      return written;
    });
    await this.pubsub
      .publishMany(
        rows
          .filter((n) => !n.readAt)
          .map((n) => ({
            id: n.id,
            recipientId: n.recipientId,
            type: n.type,
            actorId: n.actorId,
            groupId: n.groupId,
            postId: n.postId,
            commentId: n.commentId,
            reportId: n.reportId,
            readAt: null,
            createdAt: new Date(n.createdAt).toISOString(),
          })),
      )
      .catch(() => undefined);
    return rows.length;
  }

  /** The recipients who may see the actor, the group and the post now (@ruche/access, per role). */
  private async readers(recipients: Recipient[], event: NotifyJob): Promise<Recipient[]> {
    const kept = await recipientsWhoSee(this.db, recipients, event);
    return recipients.filter((r) => kept.has(r.viewer.id));
  }
}

@Injectable()
@HandlesQueue('deliver')
export class DeliverJobHandler implements JobHandler<'deliver'> {
  constructor(private readonly deliveries: DeliveryService) {}

  handle(job: Job<DeliverJob>): Promise<JobResult> {
    const { deliveryIds, deliveryId } = job.data;
    return this.deliveries.sendEach(deliveryIds ?? (deliveryId ? [deliveryId] : []), job);
  }

  recover(): Promise<void> {
    return this.deliveries.requeuePending(false);
  }
}

@Injectable()
@HandlesQueue('deliver-batch')
export class DeliverBatchJobHandler implements JobHandler<'deliver-batch'> {
  constructor(private readonly deliveries: DeliveryService) {}

  handle(job: Job<DeliverBatchJob>): Promise<JobResult> {
    return this.deliveries.sendBatch(job.data.userId, job.data.channel, job);
  }

  recover(): Promise<void> {
    return this.deliveries.requeuePending(true);
  }
}

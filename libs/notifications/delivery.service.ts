import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { readablePosts } from '@ruche/access';
import { AppConfig } from '@ruche/config';
import { GroupsService } from '@ruche/groups';
import { UsersService, type Recipient } from '@ruche/identity';
import { NetworkService } from '@ruche/network';
import { QueuesService, type Locale } from '@ruche/queue';
import { Clock } from './clock.js';
import { DeliverySenders, PermanentFailure } from './delivery.senders.js';
import type { NotificationPreferencesEntity } from './entities/notification-preferences.entity.js';
import type { NotificationEntity } from './entities/notification.entity.js';
import { pushPayload, renderNotificationMail, type Item } from './notification.templates.js';
import { channelsFor } from './notifications.rules.js';
import { PreferencesService } from './preferences.service.js';
import { nextAllowedTime, nextDigestTime, type QuietWindow } from './quiet-hours.js';

interface DeliveryRow {
  id: string;
  notification_id: string;
  user_id: string;
  channel: 'EMAIL' | 'PUSH';
  target: string;
  due_at: Date;
  batched: boolean;
  attempts: number;
}

/** BullMQ job ids may not hold ':'. */
const batchJobId = (userId: string, channel: string, due: Date) =>
  `batch-${userId}-${channel}-${due.getTime()}`;

/**
 * Email and push deliveries: planned by the notify job (preferences, digest, quiet hours), sent
 * by the deliver jobs, at most once per (notification, channel, target, event).
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger('Deliveries');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly network: NetworkService,
    private readonly prefs: PreferencesService,
    private readonly queues: QueuesService,
    private readonly senders: DeliverySenders,
    private readonly clock: Clock,
  ) {}

  /** Plans the email and push deliveries of freshly written notifications, then enqueues them. */
  async plan(
    eventId: string,
    rows: NotificationEntity[],
    recipients: Map<string, Recipient>,
    prefs: Map<string, NotificationPreferencesEntity>,
  ): Promise<void> {
    const now = this.clock.now();
    const network = await this.network.get();
    const subs = await this.prefs.pushSubscriptionsOf(rows.map((r) => r.recipientId));
    const values: { n: string; u: string; c: string; t: string; due: Date; b: boolean }[] = [];
    for (const row of rows) {
      const who = recipients.get(row.recipientId)!;
      const p = prefs.get(row.recipientId);
      const channels = channelsFor(row.type, p?.settings);
      const windows: QuietWindow[] = [
        ...(p?.quietHours ? [p.quietHours] : []),
        // The network's window is read in each recipient's zone: the right to disconnect is local.
        ...(network.quietHours ? [{ ...network.quietHours, timezone: null }] : []),
      ];
      const quietEnd = nextAllowedTime(now, windows, who.timezone);
      if (channels.includes('EMAIL')) {
        const digest = p?.emailDigest && p.emailDigest !== 'OFF' ? p.emailDigest : null;
        const due = digest
          ? nextAllowedTime(nextDigestTime(now, digest, who.timezone), windows, who.timezone)
          : quietEnd;
        values.push({ n: row.id, u: row.recipientId, c: 'EMAIL', t: '', due, b: due > now });
      }
      if (channels.includes('PUSH')) {
        for (const s of subs.filter((x) => x.userId === row.recipientId)) {
          values.push({
            n: row.id,
            u: row.recipientId,
            c: 'PUSH',
            t: s.id,
            due: quietEnd,
            b: quietEnd > now,
          });
        }
      }
    }
    if (values.length) {
      await this.db.query(
        `INSERT INTO notification_deliveries (notification_id, user_id, channel, target, event_id, due_at, batched)
         SELECT n, u, c, t, $6, due, b FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $7::boolean[]) AS x(n, u, c, t, due, b)
         ON CONFLICT (notification_id, channel, target, event_id) DO NOTHING`,
        [
          values.map((v) => v.n),
          values.map((v) => v.u),
          values.map((v) => v.c),
          values.map((v) => v.t),
          values.map((v) => v.due.toISOString()),
          eventId,
          values.map((v) => v.b),
        ],
      );
    }
    // Enqueues every pending delivery of these notifications for this event, also those a crashed
    // attempt inserted (a retry writes the same rows): job ids dedupe. Only this chunk's rows, so a
    // large audience does not re-enqueue the chunks before it.
    const pending: DeliveryRow[] = await this.db.query(
      `SELECT id, user_id, channel, due_at, batched FROM notification_deliveries
        WHERE event_id = $1 AND notification_id = ANY($2::uuid[]) AND status = 'PENDING'`,
      [eventId, rows.map((r) => r.id)],
    );
    const single = pending.filter((d) => !d.batched);
    if (single.length) {
      await this.queues.get('deliver').addBulk(
        single.map((d) => ({
          name: 'deliver',
          data: { deliveryId: String(d.id) },
          opts: { jobId: `delivery-${d.id}` },
        })),
      );
    }
    const batches = new Map<string, DeliveryRow>();
    for (const d of pending.filter((x) => x.batched))
      batches.set(batchJobId(d.user_id, d.channel, new Date(d.due_at)), d);
    if (batches.size) {
      await this.queues.get('deliver-batch').addBulk(
        [...batches].map(([jobId, d]) => ({
          name: 'deliver-batch',
          data: { userId: d.user_id, channel: d.channel },
          opts: {
            jobId,
            delay: Math.max(0, new Date(d.due_at).getTime() - this.clock.now().getTime()),
          },
        })),
      );
    }
  }

  /** Sends one delivery; a retried job finds it SENT and sends nothing. */
  async sendOne(deliveryId: string, job: Job): Promise<'done' | 'skipped'> {
    return this.attempt(job, async (manager) => {
      const rows: DeliveryRow[] = await manager.query(
        `SELECT * FROM notification_deliveries WHERE id = $1 AND status = 'PENDING' FOR UPDATE SKIP LOCKED`,
        [deliveryId],
      );
      return rows;
    });
  }

  /** Sends, as one summary, what is due for a user on a channel (quiet hours over, digest time). */
  async sendBatch(
    userId: string,
    channel: 'EMAIL' | 'PUSH',
    job: Job,
  ): Promise<'done' | 'skipped'> {
    return this.attempt(job, async (manager) =>
      manager.query<DeliveryRow[]>(
        `SELECT * FROM notification_deliveries
          WHERE user_id = $1 AND channel = $2 AND status = 'PENDING' AND batched AND due_at <= $3
          ORDER BY id FOR UPDATE SKIP LOCKED`,
        [userId, channel, new Date(this.clock.now().getTime() + 1000)],
      ),
    );
  }

  /**
   * Locks the deliveries, sends them (one message per target), marks them; a temporary failure
   * is recorded and thrown after the transaction so BullMQ retries with backoff, a permanent one
   * marks them FAILED and stops.
   */
  private async attempt(
    job: Job,
    lock: (m: EntityManager) => Promise<DeliveryRow[]>,
  ): Promise<'done' | 'skipped'> {
    // Assigned inside the transaction callback: declared wide so the check after it is typed right.
    let retry = null as Error | null;
    const outcome = await this.db.transaction(async (manager) => {
      const rows = await lock(manager);
      if (!rows.length) return 'skipped' as const;
      const ids = rows.map((r) => r.id);
      try {
        const sent = await this.send(rows);
        if (!sent) {
          await manager.query(
            `UPDATE notification_deliveries SET status = 'SKIPPED', attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
            [ids],
          );
          return 'skipped' as const;
        }
        await manager.query(
          `UPDATE notification_deliveries SET status = 'SENT', sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
          [ids],
        );
        return 'done' as const;
      } catch (error) {
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const permanent = error instanceof PermanentFailure;
        if (permanent && error.gone && rows[0].channel === 'PUSH') {
          await manager.query('DELETE FROM push_subscriptions WHERE id = $1', [rows[0].target]);
        }
        await manager.query(
          `UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = ANY($1::bigint[])`,
          [ids, (error as Error).message.slice(0, 500), permanent || last ? 'FAILED' : 'PENDING'],
        );
        this.logger.warn(
          `delivery ${ids.join(',')} ${permanent ? 'failed' : 'will be retried'}: ${(error as Error).message}`,
        );
        retry = permanent ? new UnrecoverableError((error as Error).message) : (error as Error);
        return 'done' as const;
      }
    });
    if (retry) throw retry;
    return outcome;
  }

  /** Renders and sends; false when nothing is left to say (the objects are gone from view). */
  private async send(rows: DeliveryRow[]): Promise<boolean> {
    const userId = rows[0].user_id;
    const [who] = await this.users.recipients([userId]);
    if (!who) return false;
    const notifications: NotificationEntity[] = await this.db.manager.query(
      `SELECT id, type, actor_id AS "actorId", group_id AS "groupId", post_id AS "postId", comment_id AS "commentId"
         FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
      [[...new Set(rows.map((r) => r.notification_id))]],
    );
    const network = await this.network.get();
    const items = (await Promise.all(notifications.map((n) => this.itemOf(n, who)))).filter(
      (i): i is Item => i !== null,
    );
    if (!items.length) return false;
    const locale: Locale = who.locale;
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    if (rows[0].channel === 'EMAIL') {
      const token = await this.prefs.unsubscribeToken(
        userId,
        items.map((i) => i.type),
      );
      const unsubscribeUrl = `${base}/api/unsubscribe?token=${token}`;
      const mail = renderNotificationMail(items, {
        locale,
        name: who.displayName,
        network: network.name,
        unsubscribeUrl,
      });
      // The same deliveries always make the same Message-ID: should a worker die between the SMTP
      // server's 250 and the commit, the resend is recognisably the same message (receivers dedupe on it).
      const messageId = `<delivery-${rows
        .map((r) => r.id)
        .sort()
        .join('.')}@${new URL(base).hostname}>`;
      await this.senders.sendMail({ to: who.email, ...mail, locale, unsubscribeUrl, messageId });
      return true;
    }
    const subs = (await this.prefs.pushSubscriptionsOf([userId])).filter(
      (s) => s.id === rows[0].target,
    );
    if (!subs.length) return false;
    await this.senders.sendPush(
      subs[0],
      pushPayload(items, locale, network.name, `${base}/notifications`),
    );
    return true;
  }

  /** The recipient reads the post now (readablePosts) and, when there is one, the comment is still there. */
  private async readsPost(
    who: Recipient,
    postId: string,
    commentId: string | null,
  ): Promise<boolean> {
    const rule = readablePosts(who.viewer, 'p');
    const qb = this.db.manager
      .createQueryBuilder()
      .select('1')
      .from('posts', 'p')
      .where('p.id = :postId', { postId })
      .andWhere(rule.sql, rule.params);
    if (commentId)
      qb.andWhere(
        'EXISTS (SELECT 1 FROM comments c WHERE c.id = :commentId AND c.post_id = p.id AND c.deleted_at IS NULL)',
        { commentId },
      );
    return (await qb.getRawOne()) !== undefined;
  }

  /** One notification as the recipient may see it now (null when its object left their view). */
  private async itemOf(n: NotificationEntity, who: Recipient): Promise<Item | null> {
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    const [actor] = n.actorId ? await this.users.recipients([n.actorId]) : [];
    let group: string | null = null;
    if (n.groupId) {
      const g = await this.groups.get(who.viewer, n.groupId).catch(() => null);
      if (!g) return null;
      group = g.name;
    }
    if (n.postId && !(await this.readsPost(who, n.postId, n.commentId))) return null;
    const link = n.postId
      ? `${base}/posts/${n.postId}`
      : n.groupId
        ? `${base}/groups/${n.groupId}`
        : actor
          ? `${base}/people/${actor.handle}`
          : `${base}/notifications`;
    return { type: n.type, actor: actor?.displayName ?? '—', group, link };
  }
}

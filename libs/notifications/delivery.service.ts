import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@ruche/config';
import { GroupsService } from '@ruche/groups';
import { ReplyTokens, UsersService, type Recipient } from '@ruche/identity';
import { NetworkService } from '@ruche/network';
import { QueuesService, type Locale } from '@ruche/queue';
import { Clock } from './clock.js';
import { DeliverySenders, PermanentFailure } from './delivery.senders.js';
import {
  DeliveryClaim,
  deliveryMarks,
  type DeliveryMarks,
  type DeliveryRow,
} from './delivery.claim.js';
import type { NotificationPreferencesEntity } from './entities/notification-preferences.entity.js';
import type { NotificationEntity } from './entities/notification.entity.js';
import type { PushSubscriptionEntity } from './entities/push-subscription.entity.js';
import { recipientsWhoSee } from './notification.access.js';
import { pushPayload, renderNotificationMail, type Item } from './notification.templates.js';
import { channelsFor } from './notifications.rules.js';
import { PreferencesService } from './preferences.service.js';
import {
  nextAllowedTime,
  nextDigestTime,
  quietWindowsOf,
  type QuietWindow,
} from './quiet-hours.js';

/** A planned delivery not sent yet, as `enqueue` needs it. */
export type PendingDelivery = Pick<
  DeliveryRow,
  'id' | 'user_id' | 'channel' | 'due_at' | 'batched'
>;

/** The network's quiet hours and each recipient's push subscriptions, for `plan`. */
export interface Planning {
  networkQuietHours: QuietWindow | null;
  subscriptions: Map<string, string[]>;
}

/** Messages in flight per worker process, whatever the number of jobs. */
export const SENDS_IN_FLIGHT = 12;

/** Deliveries per `deliver` job: the job's overhead and loads are shared by that many messages. */
export const DELIVERIES_PER_JOB = 50;

type Failure = { error: Error; permanent: boolean };
/** What became of one message: sent, nothing left to say, or failed. */
type Outcome = 'sent' | 'skipped' | Failure;

type Message =
  | { kind: 'email'; mail: Parameters<DeliverySenders['sendMail']>[0] }
  | { kind: 'push'; subscription: PushSubscriptionEntity; payload: string };

/** What messages need, loaded once for all the deliveries of a job. */
interface SendContext {
  networkName: string;
  who: Map<string, Recipient>;
  notifications: Map<string, NotificationEntity>;
  actors: Map<string, Recipient>;
  /** Names of the groups, for those who still see them. */
  groupNames: Map<string, string>;
  /** Whether the recipient may still see the notification's object (checked at send time). */
  sees: (n: NotificationEntity, userId: string) => boolean;
  subscriptions: Map<string, PushSubscriptionEntity>;
}

/** At most `size` holders at a time, served in arrival order. */
class Semaphore {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
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
  private readonly inFlight = new Semaphore(SENDS_IN_FLIGHT);
  private readonly marks: DeliveryMarks;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly replyTokens: ReplyTokens,
    private readonly groups: GroupsService,
    private readonly network: NetworkService,
    private readonly prefs: PreferencesService,
    private readonly queues: QueuesService,
    private readonly senders: DeliverySenders,
    private readonly clock: Clock,
  ) {
    this.marks = deliveryMarks(db);
  }

  /** What planning needs beyond the rows, loaded before the notify job's transaction opens. */
  async planning(recipientIds: readonly string[]): Promise<Planning> {
    const [network, subs] = await Promise.all([
      this.network.get(),
      this.prefs.pushSubscriptionsOf(recipientIds),
    ]);
    const subscriptions = new Map<string, string[]>();
    for (const s of subs)
      subscriptions.set(s.userId, [...(subscriptions.get(s.userId) ?? []), s.id]);
    return { networkQuietHours: network.quietHours, subscriptions };
  }

  /**
   * Plans the email and push deliveries of freshly written notifications, in the transaction that
   * wrote them (a notification is never seen without its deliveries), and returns the pending ones
   * for `enqueue`, also those a crashed attempt planned (a retry writes the same rows).
   */
  async plan(
    manager: EntityManager,
    eventId: string,
    rows: NotificationEntity[],
    recipients: Map<string, Recipient>,
    prefs: Map<string, NotificationPreferencesEntity>,
    planning: Planning,
  ): Promise<PendingDelivery[]> {
    const now = this.clock.now();
    const values: { n: string; u: string; c: string; t: string; due: Date; b: boolean }[] = [];
    for (const row of rows) {
      const who = recipients.get(row.recipientId)!;
      const p = prefs.get(row.recipientId);
      const channels = channelsFor(row.type, p?.settings);
      const windows = quietWindowsOf(p?.quietHours, planning.networkQuietHours);
      const quietEnd = nextAllowedTime(now, windows, who.timezone);
      if (channels.includes('EMAIL')) {
        const digest = p?.emailDigest && p.emailDigest !== 'OFF' ? p.emailDigest : null;
        const due = digest
          ? nextAllowedTime(nextDigestTime(now, digest, who.timezone), windows, who.timezone)
          : quietEnd;
        values.push({ n: row.id, u: row.recipientId, c: 'EMAIL', t: '', due, b: due > now });
      }
      if (channels.includes('PUSH')) {
        for (const target of planning.subscriptions.get(row.recipientId) ?? []) {
          values.push({
            n: row.id,
            u: row.recipientId,
            c: 'PUSH',
            t: target,
            due: quietEnd,
            b: quietEnd > now,
          });
        }
      }
    }
    if (values.length) {
      await manager.query(
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
    // Only these notifications' rows, so a large audience does not rescan the chunks before it.
    return manager.query<PendingDelivery[]>(
      `SELECT id, user_id, channel, due_at, batched FROM notification_deliveries
        WHERE event_id = $1 AND notification_id = ANY($2::uuid[]) AND status = 'PENDING'`,
      [eventId, rows.map((r) => r.id)],
    );
  }

  /**
   * Enqueues planned deliveries. Those sent now travel DELIVERIES_PER_JOB to a `deliver` job (one
   * channel each, so an SMTP outage retries emails only); those held (quiet hours, digest) go to
   * the `deliver-batch` job of their user, channel and time. Job ids name what they send: a
   * retried notify job adds nothing twice.
   */
  async enqueue(pending: readonly PendingDelivery[]): Promise<void> {
    const perChannel = (['EMAIL', 'PUSH'] as const).map((channel) => {
      const ids = pending
        .filter((d) => !d.batched && d.channel === channel)
        .map((d) => String(d.id))
        .sort((a, b) => Number(a) - Number(b));
      const parts: string[][] = [];
      for (let i = 0; i < ids.length; i += DELIVERIES_PER_JOB)
        parts.push(ids.slice(i, i + DELIVERIES_PER_JOB));
      return parts;
    });
    // Alternately an email job and a push job: neither channel waits for the other to be done.
    const jobs: { name: 'deliver'; data: { deliveryIds: string[] }; opts: { jobId: string } }[] =
      [];
    for (let i = 0; i < Math.max(...perChannel.map((p) => p.length)); i++) {
      for (const part of perChannel.map((p) => p[i]).filter((p) => p !== undefined)) {
        jobs.push({
          name: 'deliver',
          data: { deliveryIds: part },
          opts: { jobId: `deliveries-${part[0]}-${part[part.length - 1]}-${part.length}` },
        });
      }
    }
    for (let i = 0; i < jobs.length; i += 1000)
      await this.queues.get('deliver').addBulk(jobs.slice(i, i + 1000));
    const batches = new Map<string, PendingDelivery>();
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

  /**
   * Enqueues again the PENDING deliveries sent now (`batched` false) or held for a summary (true),
   * when Redis came back empty: their jobs were lost with it. Job ids are those `enqueue` gives, so
   * jobs still queued are not doubled; a job that finds its rows SENT sends nothing.
   */
  async requeuePending(batched: boolean): Promise<void> {
    const pending = await this.db.query<PendingDelivery[]>(
      `SELECT id, user_id, channel, due_at, batched FROM notification_deliveries
        WHERE status = 'PENDING' AND batched = $1 ORDER BY id`,
      [batched],
    );
    await this.enqueue(pending);
  }

  /**
   * Sends deliveries, each as its own message, several at once; what they need (recipients,
   * notifications, actors, the access re-check, subscriptions) is loaded once for all of them. The
   * rows are claimed for the job's length (`DeliveryClaim`): a retried job finds the sent ones SENT
   * and sends only the rest.
   */
  async sendEach(deliveryIds: readonly string[], job: Job): Promise<'done' | 'skipped'> {
    const ids = deliveryIds.filter((id) => /^\d+$/.test(id));
    return this.send(ids, job, (rows) => rows.map((row) => [row]));
  }

  /** Sends, as one summary, what is due for a user on a channel (quiet hours over, digest time). */
  async sendBatch(
    userId: string,
    channel: 'EMAIL' | 'PUSH',
    job: Job,
  ): Promise<'done' | 'skipped'> {
    const until = new Date(this.clock.now().getTime() + 1000).toISOString();
    const due: { id: string }[] = await this.db.query(
      `SELECT id FROM notification_deliveries
        WHERE user_id = $1 AND channel = $2 AND status = 'PENDING' AND batched AND due_at <= $3 ORDER BY id`,
      [userId, channel, until],
    );
    return this.send(
      due.map((d) => String(d.id)),
      job,
      (rows) => [rows],
    );
  }

  /**
   * Claims the deliveries, sends the messages `group` makes of them (each a list of rows of one
   * user and channel), and settles the job: a temporary failure, or rows another job holds, are
   * thrown so BullMQ retries the job with backoff (the sent ones stay SENT); a permanent one only
   * fails the job (kept for inspection, not retried).
   */
  private async send(
    ids: string[],
    job: Job,
    group: (rows: DeliveryRow[]) => DeliveryRow[][],
  ): Promise<'done' | 'skipped'> {
    if (!ids.length) return 'skipped';
    const claim = await DeliveryClaim.take(this.db, this.marks, ids);
    let outcomes: Outcome[] = [];
    try {
      if (claim.rows.length) {
        const ctx = await this.prepare(claim.rows);
        outcomes = await Promise.all(
          group(claim.rows).map((rows) => this.attempt(job, claim, rows, ctx)),
        );
      }
    } finally {
      await claim.release();
    }
    const failures = outcomes.filter((o): o is Failure => typeof o === 'object');
    const retry = failures.find((f) => !f.permanent);
    if (retry) throw retry.error;
    if (claim.busy) throw new Error('deliveries held by another job: to be checked again');
    if (failures.length) throw new UnrecoverableError(failures[0].error.message);
    return outcomes.includes('sent') ? 'done' : 'skipped';
  }

  /**
   * Sends the one message of these claimed deliveries and marks them: SENT, SKIPPED when nothing
   * is left to say, FAILED on a permanent failure (or the job's last attempt), PENDING with the
   * error on a temporary one.
   */
  private attempt(
    job: Job,
    claim: DeliveryClaim,
    rows: DeliveryRow[],
    ctx: SendContext,
  ): Promise<Outcome> {
    return this.inFlight.run(async (): Promise<Outcome> => {
      try {
        const message = await this.message(rows, ctx);
        if (!message) {
          claim.mark(rows, { status: 'SKIPPED' });
          return 'skipped';
        }
        if (message.kind === 'email') await this.senders.sendMail(message.mail);
        else await this.senders.sendPush(message.subscription, message.payload);
      } catch (error) {
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const permanent = error instanceof PermanentFailure;
        const reason = (error as Error).message.slice(0, 500);
        claim.mark(rows, {
          status: permanent || last ? 'FAILED' : 'PENDING',
          error: reason,
          ...(permanent && error.gone && rows[0].channel === 'PUSH'
            ? { goneSubscription: rows[0].target }
            : {}),
        });
        this.logger.warn(
          `delivery ${rows.map((r) => r.id).join(',')} ${permanent ? 'failed' : 'will be retried'}: ${reason}`,
        );
        return { error: error as Error, permanent };
      }
      claim.mark(rows, { status: 'SENT' });
      return 'sent';
    });
  }

  /**
   * Everything needed to render and send these deliveries, in a few queries whatever their
   * number: the recipients, their notifications and actors, the push subscriptions, and the access
   * re-check of each notification for its recipients (one query per object and network role).
   */
  private async prepare(rows: DeliveryRow[]): Promise<SendContext> {
    const userIds = [...new Set(rows.map((r) => r.user_id))];
    const [network, recipients, notifications, subscriptions] = await Promise.all([
      this.network.get(),
      this.users.recipients(userIds),
      this.db.query<NotificationEntity[]>(
        `SELECT id, type, actor_id AS "actorId", group_id AS "groupId", post_id AS "postId", comment_id AS "commentId", message_id AS "messageId", created_at AS "createdAt"
           FROM notifications WHERE id = ANY($1::uuid[])`,
        [[...new Set(rows.map((r) => r.notification_id))]],
      ),
      rows.some((r) => r.channel === 'PUSH')
        ? this.prefs.pushSubscriptionsOf(userIds)
        : Promise.resolve([]),
    ]);
    const who = new Map(recipients.map((r) => [r.viewer.id, r]));
    const byId = new Map(notifications.map((n) => [n.id, n]));
    const actorIds = [...new Set(notifications.map((n) => n.actorId).filter((a) => a !== null))];
    const actors = new Map(
      (await this.users.recipients(actorIds)).map((a) => [a.viewer.id, a] as const),
    );
    // Each notification is judged again for its recipient: the same object for many recipients
    // (an announcement) is one check.
    const readers = new Map<string, { object: NotificationEntity; recipients: Set<string> }>();
    for (const r of rows) {
      const n = byId.get(r.notification_id);
      if (!n || !who.has(r.user_id)) continue;
      const key = `${n.groupId}/${n.postId}/${n.commentId}/${n.messageId}`;
      const entry = readers.get(key) ?? { object: n, recipients: new Set<string>() };
      entry.recipients.add(r.user_id);
      readers.set(key, entry);
    }
    const sees = new Set<string>();
    const groupNames = new Map<string, string>();
    for (const [key, { object, recipients: ids }] of readers) {
      const kept =
        object.groupId || object.postId || object.messageId
          ? await recipientsWhoSee(
              this.db,
              [...ids].map((id) => who.get(id)!),
              object,
            )
          : ids;
      for (const id of kept) sees.add(`${key}|${id}`);
      // The group's name, read as one of those who see it.
      const [first] = kept;
      if (object.groupId && first && !groupNames.has(object.groupId)) {
        const g = await this.groups.get(who.get(first)!.viewer, object.groupId).catch(() => null);
        if (g) groupNames.set(object.groupId, g.name);
      }
    }
    return {
      networkName: network.name,
      who,
      notifications: byId,
      actors,
      groupNames,
      sees: (n, userId) =>
        sees.has(`${n.groupId}/${n.postId}/${n.commentId}/${n.messageId}|${userId}`),
      subscriptions: new Map(subscriptions.map((s) => [s.id, s])),
    };
  }

  /** The one message of these deliveries (one user, one channel); null when nothing is left to say. */
  private async message(rows: DeliveryRow[], ctx: SendContext): Promise<Message | null> {
    const userId = rows[0].user_id;
    const who = ctx.who.get(userId);
    if (!who) return null;
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    const kept = [...new Set(rows.map((r) => r.notification_id))]
      .map((id) => ctx.notifications.get(id))
      .filter(
        (n): n is NotificationEntity =>
          n !== undefined && ctx.sees(n, userId) && (!n.groupId || ctx.groupNames.has(n.groupId)),
      )
      .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
    const items = kept.map((n) => this.itemOf(n, ctx, base));
    if (!items.length) return null;
    const locale: Locale = who.locale;
    if (rows[0].channel === 'EMAIL') {
      const token = await this.prefs.unsubscribeToken(
        userId,
        items.map((i) => i.type),
      );
      const unsubscribeUrl = `${base}/api/unsubscribe?token=${token}`;
      const mail = renderNotificationMail(items, {
        locale,
        name: who.displayName,
        network: ctx.networkName,
        unsubscribeUrl,
      });
      // The same deliveries always make the same Message-ID: should a worker die between the SMTP
      // server's 250 and the commit, the resend is recognisably the same message (receivers dedupe on it).
      const messageId = `<delivery-${rows
        .map((r) => r.id)
        .sort()
        .join('.')}@${new URL(base).hostname}>`;
      // One message, by email: answering it writes in the conversation (reply+<token>).
      const only = kept.length === 1 ? kept[0] : undefined;
      const replyTo =
        this.config.INBOUND_DOMAIN && only?.messageId && only.type === 'MESSAGE'
          ? `reply+${await this.replyTokens.sign(only.id)}@${this.config.INBOUND_DOMAIN}`
          : undefined;
      return {
        kind: 'email',
        mail: { to: who.email, ...mail, locale, unsubscribeUrl, messageId, replyTo },
      };
    }
    const subscription = ctx.subscriptions.get(rows[0].target);
    if (!subscription || subscription.userId !== userId) return null;
    return {
      kind: 'push',
      subscription,
      payload: pushPayload(items, locale, ctx.networkName, `${base}/notifications`),
    };
  }

  /** One notification as the recipient may see it now (its group and post were checked in prepare). */
  private itemOf(n: NotificationEntity, ctx: SendContext, base: string): Item {
    const actor = n.actorId ? ctx.actors.get(n.actorId) : undefined;
    const group = n.groupId ? (ctx.groupNames.get(n.groupId) ?? null) : null;
    const link = n.messageId
      ? `${base}/messages/${n.messageId}`
      : n.postId
        ? `${base}/posts/${n.postId}`
        : n.groupId
          ? `${base}/groups/${n.groupId}`
          : actor
            ? `${base}/people/${actor.handle}`
            : `${base}/notifications`;
    return { type: n.type, actor: actor?.displayName ?? '—', group, link };
  }
}

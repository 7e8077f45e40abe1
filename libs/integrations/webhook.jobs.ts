import { readFileSync } from 'node:fs';
import https from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@ruche/config';
import { PostsService } from '@ruche/content';
import { HomeFeedService, type ActivityView } from '@ruche/feed';
import { UsersService, type Recipient } from '@ruche/identity';
import {
  HandlesQueue,
  OutboxService,
  QueuesService,
  type JobHandler,
  type JobResult,
  type WebhookDeliverJob,
  type WebhookDispatchJob,
} from '@ruche/queue';
import {
  WebhookDeliveryEntity,
  WebhookEntity,
  type WebhookEventName,
} from './entities/webhook.entity.js';
import { signedHeaders } from './signing.js';
import { allowList, checkedLookup, ForbiddenAddressError, isForbiddenAddress } from './ssrf.js';

const EVENT_OF: Record<string, WebhookEventName | undefined> = {
  POSTED: 'POST_CREATED',
  COMMENTED: 'COMMENT_CREATED',
  JOINED_GROUP: 'MEMBER_JOINED',
  CREATED_GROUP: 'GROUP_CREATED',
};
const TYPE_OF: Record<WebhookEventName, string> = {
  POST_CREATED: 'post.created',
  COMMENT_CREATED: 'comment.created',
  MEMBER_JOINED: 'member.joined',
  GROUP_CREATED: 'group.created',
  REPORT_FILED: 'report.filed',
};

/** The webhooks subscribed to an activity's event get a delivery row each, then a job each. */
@Injectable()
@HandlesQueue('webhook-dispatch')
export class WebhookDispatchHandler implements JobHandler<'webhook-dispatch'> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly feed: HomeFeedService,
    private readonly queues: QueuesService,
  ) {}

  async handle(job: Job<WebhookDispatchJob>): Promise<JobResult> {
    const activity = await this.feed.facts(job.data.activityId);
    const event = activity && EVENT_OF[activity.verb];
    if (!activity || !event) return 'skipped';
    // A group's webhook hears about its group; a network one about everything.
    await this.db.query(
      `INSERT INTO webhook_deliveries (webhook_id, event, activity_id)
       SELECT w.id, $1, $2 FROM webhooks w
        WHERE w.active AND $1 = ANY(w.events) AND (w.group_id IS NULL OR w.group_id = $3)
       ON CONFLICT (webhook_id, activity_id) DO NOTHING`,
      [event, activity.id, activity.groupId],
    );
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM webhook_deliveries WHERE activity_id = $1 AND status = 'PENDING'`,
      [activity.id],
    );
    await enqueueDeliveries(
      this.queues,
      rows.map((r) => r.id),
    );
    return rows.length ? 'done' : 'skipped';
  }
}

async function enqueueDeliveries(queues: QueuesService, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await queues.get('webhook-deliver').addBulk(
    ids.map((deliveryId) => ({
      name: 'webhook-deliver',
      data: { deliveryId },
      opts: { jobId: `whd-${deliveryId}` },
    })),
  );
}

class DeliveryFailed extends Error {}

/**
 * Sends one delivery. Its payload is built now, as its webhook's owner reads now: an activity the
 * owner may not read (a post in a SECRET group they are not in, a post deleted since) is SKIPPED —
 * nothing is sent, not even that something happened. Failures retry with exponential backoff; after
 * WEBHOOK_MAX_FAILURES failed attempts in a row the webhook is disabled and its owner emailed.
 */
@Injectable()
@HandlesQueue('webhook-deliver')
export class WebhookDeliverHandler implements JobHandler<'webhook-deliver'> {
  private readonly ca?: string[];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly feed: HomeFeedService,
    private readonly users: UsersService,
    private readonly posts: PostsService,
    private readonly outbox: OutboxService,
    private readonly queues: QueuesService,
  ) {
    if (config.WEBHOOKS_CA_FILE)
      this.ca = [...rootCertificates, readFileSync(config.WEBHOOKS_CA_FILE, 'utf8')];
  }

  async recover(): Promise<void> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM webhook_deliveries WHERE status = 'PENDING' ORDER BY created_at LIMIT 10000`,
    );
    await enqueueDeliveries(
      this.queues,
      rows.map((r) => r.id),
    );
  }

  private async finish(id: string, status: 'SKIPPED' | 'DELIVERED' | 'FAILED'): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = $2, done_at = now() WHERE id = $1`,
      [id, status],
    );
  }

  async handle(job: Job<WebhookDeliverJob>): Promise<JobResult> {
    const delivery = await this.db
      .getRepository(WebhookDeliveryEntity)
      .findOneBy({ id: job.data.deliveryId });
    if (!delivery || delivery.status !== 'PENDING') return 'skipped';
    const webhook = await this.db
      .getRepository(WebhookEntity)
      .findOneBy({ id: delivery.webhookId });
    if (!webhook?.active) {
      await this.finish(delivery.id, 'SKIPPED');
      return 'skipped';
    }
    const [owner] = await this.users.recipients([webhook.ownerId]);
    const data = owner ? await this.payload(owner, delivery.activityId) : null;
    if (!data) {
      await this.finish(delivery.id, 'SKIPPED');
      return 'skipped';
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: TYPE_OF[delivery.event],
      timestamp: new Date(timestamp * 1000).toISOString(),
      data,
    });
    let status: number | null = null;
    let problem: string | null = null;
    try {
      status = await this.send(webhook, delivery.id, timestamp, body);
      if (status < 200 || status >= 300) problem = `answered ${status}`;
    } catch (error) {
      problem =
        error instanceof ForbiddenAddressError
          ? `refused: ${error.message}`
          : (error as Error).message.slice(0, 300);
    }
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3 WHERE id = $1`,
      [delivery.id, status, problem],
    );
    if (!problem) {
      await this.db.query('UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1', [
        webhook.id,
      ]);
      await this.finish(delivery.id, 'DELIVERED');
      return 'done';
    }
    const disabled = await this.failed(webhook, owner);
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (disabled || last) {
      await this.finish(delivery.id, 'FAILED');
      return 'done';
    }
    throw new DeliveryFailed(`webhook ${webhook.id}: ${problem}`);
  }

  /** Counts a failed attempt; true once the webhook is (now) disabled. */
  private async failed(webhook: WebhookEntity, owner: Recipient): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const [row]: { consecutive_failures: number; active: boolean }[][] = await manager.query(
        `UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = $1
         RETURNING consecutive_failures, active`,
        [webhook.id],
      );
      const now = row?.[0];
      if (!now?.active) return true;
      if (now.consecutive_failures < this.config.WEBHOOK_MAX_FAILURES) return false;
      const [turnedOff]: { id: string }[][] = await manager.query(
        `UPDATE webhooks SET active = false, disabled_at = now() WHERE id = $1 AND active RETURNING id`,
        [webhook.id],
      );
      // Only the attempt that turned it off tells the owner.
      if (turnedOff?.length)
        await this.outbox.enqueue(manager, 'email', {
          template: 'webhook-disabled',
          to: owner.email,
          locale: owner.locale,
          vars: {
            name: owner.displayName,
            url: webhook.url,
            host: new URL(webhook.url).host,
            failures: String(now.consecutive_failures),
            network: new URL(this.config.PUBLIC_URL).host,
          },
        });
      return true;
    });
  }

  /** What the owner may read of the activity now, or null (nothing is sent). */
  async payload(owner: Recipient, activityId: string): Promise<Record<string, unknown> | null> {
    const view: ActivityView | null = await this.feed.one(owner.viewer, activityId);
    if (!view) return null;
    const base = {
      activityId: view.id,
      actorId: view.actorId,
      groupId: view.groupId,
      postId: view.postId,
      commentId: view.commentId,
      createdAt: view.createdAt.toISOString(),
    };
    if (view.verb !== 'POSTED') return base;
    try {
      const post = await this.posts.get(owner.viewer, view.postId!);
      return {
        ...base,
        post: {
          id: post.id,
          authorId: post.authorId,
          groupId: post.groupId,
          audience: post.audience,
          body: post.body,
          bodyHtml: post.bodyHtml,
          createdAt: post.createdAt.toISOString(),
        },
      };
    } catch {
      return null;
    }
  }

  /** POSTs over HTTPS to the address checked at connection time (no redirects followed). */
  private send(
    webhook: WebhookEntity,
    id: string,
    timestamp: number,
    body: string,
  ): Promise<number> {
    const url = new URL(webhook.url);
    const allowed = allowList(this.config.WEBHOOKS_ALLOWED_NETWORKS);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (url.protocol !== 'https:') return Promise.reject(new Error('not an https URL'));
    if (isIP(host) && isForbiddenAddress(host, allowed))
      return Promise.reject(new ForbiddenAddressError(host));
    return new Promise<number>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: 'POST',
          lookup: checkedLookup(allowed),
          ca: this.ca,
          timeout: 10000,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Ruche-Webhooks/1',
            ...signedHeaders(webhook.secret, id, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

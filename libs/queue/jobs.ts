/**
 * Every queue and the payload of its jobs, declared once: `enqueue(name, payload)` only compiles
 * when they match. Payloads carry ids and small values, never entities.
 */
export type Locale = 'fr' | 'en';

export interface EmailJob {
  template: 'verify-email' | 'password-reset' | 'invitation' | 'webhook-disabled';
  to: string;
  locale: Locale;
  /** Values the template shows: a display name, a token, a network name. */
  vars: Record<string, string>;
}

/** Removes unattached uploads older than a day (a repeatable job: no payload). */
export type StorageCleanupJob = Record<string, never>;

export type NotificationTypeName =
  | 'MENTION'
  | 'COMMENT'
  | 'REPLY'
  | 'REACTION'
  | 'WALL_POST'
  | 'FOLLOW'
  | 'GROUP_INVITATION'
  | 'GROUP_JOIN_REQUEST'
  | 'GROUP_JOIN_APPROVED'
  | 'GROUP_POST'
  | 'ANNOUNCEMENT'
  | 'MESSAGE'
  | 'ACKNOWLEDGEMENT_REQUESTED'
  | 'REPORT_FILED'
  | 'REPORT_DECIDED';

/** Something happened that may notify people: the worker finds who may read it and notifies them. */
export interface NotifyJob {
  type: NotificationTypeName;
  actorId: string;
  /** Who to notify; each is checked again against the object's access rule by the worker. */
  recipientIds?: string[];
  /**
   * Instead of recipientIds, an audience the worker computes in chunks (so a job for a large group
   * or the whole network stays small): the ACTIVE members of groupId, or every ACTIVE non-guest.
   */
  audience?: 'GROUP_MEMBERS' | 'NETWORK';
  postId?: string;
  commentId?: string;
  groupId?: string;
  /** A conversation's message. */
  messageId?: string;
  /** A report (REPORT_FILED, REPORT_DECIDED): read through libs/governance's rule. */
  reportId?: string;
}

/**
 * Sends email or push deliveries (notification_deliveries rows), each as its own message: many
 * to a job, so the job's overhead and the loads of what they say are shared.
 */
export interface DeliverJob {
  deliveryIds: string[];
  /** One delivery: the payload of jobs enqueued before deliveries travelled many to a job. */
  deliveryId?: string;
}

/** Sends, as one summary, every delivery of a user and channel that is due (quiet hours ended, digest time). */
export interface DeliverBatchJob {
  userId: string;
  channel: 'EMAIL' | 'PUSH';
}

/** Pushes a new activity into the timelines of those who may read it (or marks it merged at read time). */
export interface FanoutJob {
  activityId: string;
}

/** An activity happened: the webhooks subscribed to its event get a delivery each. */
export interface WebhookDispatchJob {
  activityId: string;
}

/** Sends one webhook delivery (its payload built now, with what the webhook's owner may read now). */
export interface WebhookDeliverJob {
  deliveryId: string;
}

/** Finishes an erasure outside PostgreSQL (Redis, queued jobs, stored files); idempotent. */
export interface ErasureCleanupJob {
  erasureId: string;
}

export interface JobMap {
  email: EmailJob;
  'storage-cleanup': StorageCleanupJob;
  notify: NotifyJob;
  deliver: DeliverJob;
  'deliver-batch': DeliverBatchJob;
  fanout: FanoutJob;
  'webhook-dispatch': WebhookDispatchJob;
  'webhook-deliver': WebhookDeliverJob;
  'erasure-cleanup': ErasureCleanupJob;
}

export type QueueName = keyof JobMap;

export interface QueueSettings {
  attempts: number;
  /** First retry delay; doubles each time, with jitter. */
  backoffMs: number;
  concurrency: number;
}

export const QUEUES: Record<QueueName, QueueSettings> = {
  email: { attempts: 12, backoffMs: 2000, concurrency: 4 },
  'storage-cleanup': { attempts: 3, backoffMs: 60000, concurrency: 1 },
  notify: { attempts: 8, backoffMs: 1000, concurrency: 4 },
  deliver: { attempts: 12, backoffMs: 1000, concurrency: 8 },
  'deliver-batch': { attempts: 12, backoffMs: 1000, concurrency: 4 },
  fanout: { attempts: 10, backoffMs: 500, concurrency: 8 },
  'webhook-dispatch': { attempts: 10, backoffMs: 1000, concurrency: 4 },
  'webhook-deliver': { attempts: 12, backoffMs: 1000, concurrency: 8 },
  'erasure-cleanup': { attempts: 20, backoffMs: 5000, concurrency: 1 },
};

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/**
 * Every queue and the payload of its jobs, declared once: `enqueue(name, payload)` only compiles
 * when they match. Payloads carry ids and small values, never entities.
 */
export type Locale = 'fr' | 'en';

export interface EmailJob {
  template: 'verify-email' | 'password-reset' | 'invitation';
  to: string;
  locale: Locale;
  /** Values the template shows: a display name, a token, a network name. */
  vars: Record<string, string>;
}

/** Removes unattached uploads older than a day (a repeatable job: no payload). */
export type StorageCleanupJob = Record<string, never>;

export interface JobMap {
  email: EmailJob;
  'storage-cleanup': StorageCleanupJob;
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
};

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@ruche/config';
import { RedisService } from '@ruche/queue';

/** Pushes an id into a timeline that exists (a cold one is rebuilt whole at its next read), then caps it. */
const PUSH = `if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1 - tonumber(ARGV[3]))
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return 1
end
return 0`;

const PIPELINE = 500;
/** A timeline nobody read for this long is dropped; it is rebuilt from PostgreSQL when they come back. */
const TTL_SECONDS = 30 * 24 * 3600;
/** Redis answers within this or the feed is served from PostgreSQL alone. */
const TIMEOUT_MS = 250;

export interface TimelineWindow {
  /** false: no timeline (cold, expired): rebuild it. */
  exists: boolean;
  ids: string[];
  /** The score (created_at in ms) of the last id returned. */
  lastScore: number | null;
}

type WithPush = Redis & {
  feedPush(key: string, score: number, member: string, cap: number, ttl: number): Promise<number>;
};

/**
 * The per-user home-feed timelines: Redis sorted sets `${REDIS_PREFIX}:tl:<userId>` of activity
 * ids scored by creation time in ms, capped at FEED_TIMELINE_CAP. A cache of candidates only: every
 * read re-applies the access rule in PostgreSQL, and every failure here (Redis down or slow) answers
 * `null` so the caller serves the feed from PostgreSQL alone.
 */
@Injectable()
export class TimelinesService implements OnApplicationShutdown {
  private readonly client: WithPush;
  private readonly own: boolean;
  readonly cap: number;

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.cap = config.FEED_TIMELINE_CAP;
    this.own = !!config.FEED_REDIS_URL;
    const client = config.FEED_REDIS_URL
      ? new Redis(config.FEED_REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
      : redis.client.duplicate({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
    client.on('error', () => undefined);
    client.defineCommand('feedPush', { numberOfKeys: 1, lua: PUSH });
    this.client = client as WithPush;
  }

  key(userId: string): string {
    return this.redis.key('tl', userId);
  }

  private async guard<T>(work: Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>(
      (resolve) => (timer = setTimeout(() => resolve(null), TIMEOUT_MS)),
    );
    try {
      return await Promise.race([work.catch(() => null), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Up to `count` ids, newest first, scored at most `maxMs` (inclusive); null when Redis fails. */
  read(userId: string, maxMs: number | null, count: number): Promise<TimelineWindow | null> {
    const key = this.key(userId);
    const work = this.client
      .multi()
      .exists(key)
      .zrevrangebyscore(
        key,
        maxMs === null ? '+inf' : maxMs,
        '-inf',
        'WITHSCORES',
        'LIMIT',
        0,
        count,
      )
      .exec()
      .then((res): TimelineWindow | null => {
        if (!res || res.some(([err]) => err)) return null;
        const flat = res[1][1] as string[];
        const ids: string[] = [];
        let lastScore: number | null = null;
        for (let i = 0; i < flat.length; i += 2) {
          ids.push(flat[i]);
          lastScore = Number(flat[i + 1]);
        }
        return { exists: res[0][1] === 1, ids, lastScore };
      });
    return this.guard(work);
  }

  /** Writes a whole timeline (a rebuild): true when stored. */
  async fill(userId: string, items: { id: string; ms: number }[]): Promise<boolean> {
    const key = this.key(userId);
    const args = items.slice(0, this.cap).flatMap((i) => [i.ms, i.id]);
    const m = this.client.multi();
    if (args.length) m.zadd(key, ...args);
    // An empty feed still leaves a marker, so the next read does not rebuild again.
    else m.zadd(key, 0, '-');
    m.zremrangebyrank(key, 0, -1 - this.cap).expire(key, TTL_SECONDS);
    const res = await this.guard(m.exec());
    return !!res && !res.some(([err]) => err);
  }

  /** Pushes an activity into the (existing) timelines of these users, in pipelines of 500. */
  async push(userIds: readonly string[], activityId: string, ms: number): Promise<void> {
    for (let i = 0; i < userIds.length; i += PIPELINE) {
      const p = this.client.pipeline();
      for (const id of userIds.slice(i, i + PIPELINE))
        void (p as unknown as WithPush).feedPush(
          this.key(id),
          ms,
          activityId,
          this.cap,
          TTL_SECONDS,
        );
      const res = await p.exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error('Redis pipeline failed');
    }
  }

  /** Drops a timeline (tests, and a user who must be rebuilt). */
  async drop(userId: string): Promise<void> {
    await this.client.del(this.key(userId));
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

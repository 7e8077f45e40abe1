import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '@ruche/common';
import type { RedisService } from './redis.service.js';

/**
 * A counter in Redis, so every API process shares it: `points` attempts per `duration` seconds
 * and key. Each attempt is counted before it is checked, so aliases or batches inside one request
 * cannot slip past the limit together.
 */
export class RedisRateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: RedisService, name: string, points: number, duration: number) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: redis.key('rl', name),
      points,
      duration,
    });
  }

  /** Counts one attempt; throws RATE_LIMITED (with retryAfter seconds) past the limit. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes)
        throw rateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
  }

  /** Forgets the count, after a success. */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

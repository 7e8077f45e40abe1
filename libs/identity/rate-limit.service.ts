import { Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '@ruche/config';
import { rateLimited } from '@ruche/common';
import { RedisService } from '@ruche/queue';

type Limit = 'signInIp' | 'signInAccount' | 'signUpIp' | 'emailAccount' | 'emailIp';

/**
 * Counters in Redis, so every API process shares them. Each attempt is counted before it is
 * checked, so aliases or batches inside one request cannot slip past the limit together.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<Limit, RateLimiterRedis>;

  constructor(redis: RedisService, config: AppConfig) {
    const make = (name: Limit, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: redis.client, keyPrefix: redis.key('rl', name), points, duration });
    this.limiters = {
      signInIp: make('signInIp', config.RATE_SIGNIN_PER_IP, 3600),
      signInAccount: make('signInAccount', config.RATE_SIGNIN_PER_ACCOUNT, 900),
      signUpIp: make('signUpIp', config.RATE_SIGNUP_PER_IP, 3600),
      emailAccount: make('emailAccount', config.RATE_EMAIL_PER_ACCOUNT, 3600),
      emailIp: make('emailIp', config.RATE_SIGNUP_PER_IP, 3600),
    };
  }

  /** Counts one attempt; throws RATE_LIMITED (with retryAfter seconds) past the limit. */
  async consume(limit: Limit, key: string): Promise<void> {
    try {
      await this.limiters[limit].consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw e;
    }
  }

  /** Forgets the count, after a success. */
  async reset(limit: Limit, key: string): Promise<void> {
    await this.limiters[limit].delete(key);
  }
}

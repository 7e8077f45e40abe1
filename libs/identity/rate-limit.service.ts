import { Injectable } from '@nestjs/common';
import { AppConfig } from '@ruche/config';
import { RedisRateLimiter, RedisService } from '@ruche/queue';

type Limit = 'signInIp' | 'signInAccount' | 'signUpIp' | 'emailAccount' | 'emailIp';

/** The account limits, counted in Redis (shared by every API process). */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<Limit, RedisRateLimiter>;

  constructor(redis: RedisService, config: AppConfig) {
    const make = (name: Limit, points: number, duration: number) =>
      new RedisRateLimiter(redis, name, points, duration);
    this.limiters = {
      signInIp: make('signInIp', config.RATE_SIGNIN_PER_IP, 3600),
      signInAccount: make('signInAccount', config.RATE_SIGNIN_PER_ACCOUNT, 900),
      signUpIp: make('signUpIp', config.RATE_SIGNUP_PER_IP, 3600),
      emailAccount: make('emailAccount', config.RATE_EMAIL_PER_ACCOUNT, 3600),
      emailIp: make('emailIp', config.RATE_SIGNUP_PER_IP, 3600),
    };
  }

  /** Counts one attempt; throws RATE_LIMITED (with retryAfter seconds) past the limit. */
  consume(limit: Limit, key: string): Promise<void> {
    return this.limiters[limit].consume(key);
  }

  /** Forgets the count, after a success. */
  reset(limit: Limit, key: string): Promise<void> {
    return this.limiters[limit].reset(key);
  }
}

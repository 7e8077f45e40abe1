import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@ruche/config';

/** The shared Redis connection; every key lives under REDIS_PREFIX. */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis;
  readonly prefix: string;

  constructor(config: AppConfig) {
    this.prefix = config.REDIS_PREFIX;
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
    });
    // Errors are reported by health checks and by the calls that fail; do not crash on them.
    this.client.on('error', () => undefined);
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** A new connection for blocking or subscribing users (BullMQ workers, pub/sub). */
  duplicate(): Redis {
    const copy = this.client.duplicate({ maxRetriesPerRequest: null });
    copy.on('error', () => undefined);
    return copy;
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}

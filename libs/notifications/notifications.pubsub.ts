import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisService } from '@ruche/queue';

/** What travels on the channel: the row, with dates as ISO strings. */
export interface NotificationMessage {
  id: string;
  recipientId: string;
  type: string;
  actorId: string | null;
  groupId: string | null;
  postId: string | null;
  commentId: string | null;
  readAt: string | null;
  createdAt: string;
}

/**
 * Redis pub/sub for `notificationAdded`, so a notification made by any worker reaches a
 * subscriber on any API process: one channel per recipient, one subscriber connection per
 * process, each channel subscribed while someone listens on it.
 */
@Injectable()
export class NotificationsPubSub implements OnApplicationShutdown {
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<(m: NotificationMessage) => void>>();

  constructor(private readonly redis: RedisService) {}

  private channel(userId: string): string {
    return this.redis.key('notifications', userId);
  }

  async publish(message: NotificationMessage): Promise<void> {
    await this.redis.client.publish(this.channel(message.recipientId), JSON.stringify(message));
  }

  private connection(): Redis {
    if (!this.subscriber) {
      const sub = this.redis.duplicate();
      sub.on('message', (channel: string, raw: string) => {
        const set = this.listeners.get(channel);
        if (!set) return;
        const message = JSON.parse(raw) as NotificationMessage;
        for (const listener of set) listener(message);
      });
      this.subscriber = sub;
    }
    return this.subscriber;
  }

  /** An async iterator of the user's new notifications, until the client goes away. */
  async *listen(userId: string): AsyncGenerator<NotificationMessage> {
    const channel = this.channel(userId);
    const queue: NotificationMessage[] = [];
    let wake: (() => void) | null = null;
    const listener = (m: NotificationMessage) => {
      queue.push(m);
      wake?.();
    };
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.connection().subscribe(channel);
    }
    set.add(listener);
    try {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      set.delete(listener);
      if (!set.size) {
        this.listeners.delete(channel);
        await this.subscriber?.unsubscribe(channel).catch(() => undefined);
      }
    }
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}

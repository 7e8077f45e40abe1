import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisService } from './redis.service.js';

/**
 * Redis pub/sub for GraphQL subscriptions, so an event published by any worker reaches a
 * subscriber on any API process: one channel per topic and user (e.g. `notifications:<id>`), one
 * subscriber connection per process, each channel subscribed while someone listens on it.
 * Messages travel as JSON.
 */
@Injectable()
export class RedisPubSub implements OnApplicationShutdown {
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<(m: unknown) => void>>();

  constructor(private readonly redis: RedisService) {}

  private channel(topic: string, id: string): string {
    return this.redis.key(topic, id);
  }

  async publish(topic: string, id: string, message: unknown): Promise<void> {
    await this.redis.client.publish(this.channel(topic, id), JSON.stringify(message));
  }

  /** Many messages in one round trip (a pipeline), each on its (topic, id) channel. */
  async publishMany(
    topic: string,
    messages: readonly { id: string; message: unknown }[],
  ): Promise<void> {
    if (!messages.length) return;
    const pipeline = this.redis.client.pipeline();
    for (const m of messages)
      pipeline.publish(this.channel(topic, m.id), JSON.stringify(m.message));
    await pipeline.exec();
  }

  private connecting?: Promise<Redis>;

  /**
   * The subscriber connection, once ready: ioredis 5.8 sends its handshake (CLIENT SETINFO, INFO)
   * after commands queued while connecting, so a SUBSCRIBE sent early turns the handshake into
   * "Connection in subscriber mode" (redis/ioredis#2037) and the subscription fails.
   */
  private connection(): Promise<Redis> {
    this.connecting ??= new Promise<Redis>((resolve) => {
      const sub = this.redis.duplicate();
      sub.on('message', (channel: string, raw: string) => {
        const set = this.listeners.get(channel);
        if (!set) return;
        const message = JSON.parse(raw) as unknown;
        for (const listener of set) listener(message);
      });
      this.subscriber = sub;
      if (sub.status === 'ready') resolve(sub);
      else sub.once('ready', () => resolve(sub));
    });
    return this.connecting;
  }

  /** An async iterator of the messages published on (topic, id), until the client goes away. */
  async *listen<T>(topic: string, id: string): AsyncGenerator<T> {
    const channel = this.channel(topic, id);
    const queue: T[] = [];
    let wake: (() => void) | null = null;
    const listener = (m: unknown) => {
      queue.push(m as T);
      wake?.();
    };
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await (await this.connection()).subscribe(channel);
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

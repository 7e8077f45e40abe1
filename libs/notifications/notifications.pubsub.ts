import { Injectable } from '@nestjs/common';
import { RedisPubSub } from '@ruche/queue';

/** What travels on the channel: the row, with dates as ISO strings. */
export interface NotificationMessage {
  id: string;
  recipientId: string;
  type: string;
  actorId: string | null;
  groupId: string | null;
  postId: string | null;
  commentId: string | null;
  reportId?: string | null;
  readAt: string | null;
  createdAt: string;
}

/** `notificationAdded` over the shared Redis pub/sub: one channel per recipient. */
@Injectable()
export class NotificationsPubSub {
  constructor(private readonly pubsub: RedisPubSub) {}

  publish(message: NotificationMessage): Promise<void> {
    return this.pubsub.publish('notifications', message.recipientId, message);
  }

  /** Many at once, in one round trip to Redis. */
  publishMany(messages: readonly NotificationMessage[]): Promise<void> {
    return this.pubsub.publishMany(
      'notifications',
      messages.map((message) => ({ id: message.recipientId, message })),
    );
  }

  listen(userId: string): AsyncGenerator<NotificationMessage> {
    return this.pubsub.listen<NotificationMessage>('notifications', userId);
  }
}

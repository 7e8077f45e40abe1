import { Injectable } from '@nestjs/common';
import { RedisPubSub } from '@ruche/queue';

/**
 * What travels on a participant's channel: ids only. Each subscriber's process loads and judges
 * them at delivery time, so nothing reaches someone the rule refuses by then.
 */
export interface ConversationEvent {
  conversationId: string;
  /** New messages or system lines (empty: only the conversation changed, e.g. read position). */
  messageIds: string[];
}

/** messageAdded and conversationsUpdated over the shared Redis pub/sub: one channel per person. */
@Injectable()
export class ConversationsPubSub {
  constructor(private readonly pubsub: RedisPubSub) {}

  publish(userIds: readonly string[], event: ConversationEvent): Promise<void> {
    return this.pubsub.publishMany(
      'conversations',
      userIds.map((id) => ({ id, message: event })),
    );
  }

  listen(userId: string): AsyncGenerator<ConversationEvent> {
    return this.pubsub.listen<ConversationEvent>('conversations', userId);
  }
}

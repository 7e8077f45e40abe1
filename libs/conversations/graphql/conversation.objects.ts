import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@ruche/common';
import type { MessageKindName } from '../entities/message.entity.js';

export enum MessageKind {
  TEXT = 'TEXT',
  PARTICIPANT_ADDED = 'PARTICIPANT_ADDED',
  PARTICIPANT_LEFT = 'PARTICIPANT_LEFT',
}
registerEnumType(MessageKind, {
  name: 'MessageKind',
  valuesMap: {
    PARTICIPANT_ADDED: { description: 'System lines: who was added, who left or was removed.' },
  },
});

@ObjectType('Message')
export class MessageObject {
  @Field(() => ID) id: string;
  @Field(() => MessageKind) kind: MessageKindName;
  @Field(() => String, { description: 'Source text, Markdown (empty for a system line).' })
  body: string;
  @Field(() => String, { description: 'Rendered and sanitized HTML.' }) bodyHtml: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) editedAt: Date | null;
  conversationId: string;
  authorId: string | null;
  subjectIds: string[];
  mentionIds: string[];
}

@ObjectType('Conversation')
export class ConversationObject {
  @Field(() => ID) id: string;
  @Field(() => String, {
    nullable: true,
    description: 'Optional name of a conversation of more than two people.',
  })
  title: string | null;
  @Field(() => Int) unreadCount: number;
  @Field(() => Boolean) muted: boolean;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { description: 'Time of the last message or change.' }) updatedAt: Date;
  /** Current participants; empty when seen from a message by someone no longer in it. */
  participantIds: string[];
  lastMessageId: string | null;
  /** The activity key of the viewer's list (the cursor). */
  lastActivityAt: Date;
}

export const MessageConnection = Connection(MessageObject, 'Message', { totalCount: false });
export const ConversationConnection = Connection(ConversationObject, 'Conversation', {
  totalCount: false,
});

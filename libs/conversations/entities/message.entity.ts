import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ConversationEntity } from './conversation.entity.js';

export type MessageKindName = 'TEXT' | 'PARTICIPANT_ADDED' | 'PARTICIPANT_LEFT';

/** A message or a system line (no author). Ids grow with time: pages and read positions use them. */
@Entity('messages')
@Index('messages_conversation_idx', ['conversationId', 'id'])
export class MessageEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'messages_pkey',
  })
  id: string;

  @Column({ type: 'uuid' })
  conversationId: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'messages_conversation_fkey' })
  conversation?: ConversationEntity;

  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @Column({ type: 'text', default: 'TEXT' })
  kind: MessageKindName;

  @Column({ type: 'text', default: '' })
  body: string;

  @Column({ type: 'text', default: '' })
  bodyHtml: string;

  /** System lines: the people added, or the one who left or was removed. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  subjectIds: string[];

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  mentionIds: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}

/** A message's earlier body, kept on each edit. */
@Entity('message_revisions')
@Index('message_revisions_message_idx', ['messageId', 'id'])
export class MessageRevisionEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'message_revisions_pkey',
  })
  id: string;

  @Column({ type: 'bigint' })
  messageId: string;

  @ManyToOne(() => MessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_revisions_message_fkey' })
  message?: MessageEntity;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** One person's emoji on a message. */
@Entity('message_reactions')
export class MessageReactionEntity {
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'message_reactions_pkey' })
  messageId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'message_reactions_pkey' })
  userId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'message_reactions_pkey' })
  emoji: string;

  @ManyToOne(() => MessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_reactions_message_fkey' })
  message?: MessageEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

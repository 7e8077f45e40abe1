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

/**
 * A conversation. `pairKey` holds the two participants' ids, sorted, for a one-to-one
 * conversation (unique per pair); null for a group conversation.
 */
@Entity('conversations')
// Partial unique index, written by hand in the migration.
@Index('conversations_pair_uq', { synchronize: false })
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'conversations_pkey' })
  id: string;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'text', nullable: true })
  pairKey: string | null;

  /** identity owns the users' rows: no foreign key across domains. */
  @Column({ type: 'uuid' })
  createdById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Time of the last message or change. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/**
 * One person in a conversation. Removal or leaving sets `leftAt` and `readableUpTo` (the id of the
 * last message they may still read); coming back clears both.
 */
@Entity('conversation_participants')
@Index('conversation_participants_activity_idx', { synchronize: false })
export class ParticipantEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'conversation_participants_pkey' })
  conversationId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'conversation_participants_pkey' })
  userId: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'conversation_id',
    foreignKeyConstraintName: 'conversation_participants_conversation_fkey',
  })
  conversation?: ConversationEntity;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  joinedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leftAt: Date | null;

  @Column({ type: 'bigint', nullable: true })
  readableUpTo: string | null;

  /** Read position: the id of the newest message read (0: none). */
  @Column({ type: 'bigint', default: '0' })
  lastReadId: string;

  @Column({ type: 'boolean', default: false })
  muted: boolean;

  /** The conversation's last activity, copied here so a person's list is one index range. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt: Date;
}

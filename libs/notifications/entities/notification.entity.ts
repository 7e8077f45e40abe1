import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationTypeName } from '@ruche/queue';

/**
 * One notification of one recipient. Repeats (same type, object and recipient) collapse into the
 * unread row, which takes the latest actor and time: the partial unique index says "one unread".
 */
@Entity('notifications')
@Index('notifications_recipient_created_idx', ['recipientId', 'createdAt', 'id'])
@Index('notifications_unread_key', ['recipientId', 'type', 'objectKey'], {
  unique: true,
  where: '"read_at" IS NULL',
})
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'notifications_pkey' })
  id: string;

  @Column({ type: 'uuid' }) recipientId: string;
  @Column({ type: 'text' }) type: NotificationTypeName;
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'uuid', nullable: true }) postId: string | null;
  @Column({ type: 'uuid', nullable: true }) commentId: string | null;
  @Column({ type: 'uuid', nullable: true }) groupId: string | null;
  /** A conversation's message (bigint id): read by the conversations rule. */
  @Column({ type: 'bigint', nullable: true }) messageId: string | null;
  /** libs/governance owns the reports: no foreign key across domains. */
  @Column({ type: 'uuid', nullable: true }) reportId: string | null;
  /** What repeats collapse on: the comment, post, group or (for FOLLOW) the recipient. */
  @Column({ type: 'text' }) objectKey: string;
  @Column({ type: 'timestamptz', nullable: true }) readAt: Date | null;
  /** The time of the latest event collapsed into this row. */
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

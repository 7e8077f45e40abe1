import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'PENDING' | 'SENT' | 'FAILED';

/**
 * One email or push of one notification event: the unique key (notification, channel, target,
 * event) makes a retried notify job create nothing twice, and the status makes a retried delivery
 * job send nothing twice. FAILED rows are kept (and counted in /metrics).
 */
@Entity('notification_deliveries')
@Index('notification_deliveries_key', ['notificationId', 'channel', 'target', 'eventId'], {
  unique: true,
})
@Index('notification_deliveries_due_idx', ['userId', 'channel', 'status', 'dueAt'])
@Index('notification_deliveries_pending_idx', ['id'], { where: `"status" = 'PENDING'` })
@Index('notification_deliveries_failed_idx', ['channel'], { where: `"status" = 'FAILED'` })
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn({
    type: 'bigint',
    primaryKeyConstraintName: 'notification_deliveries_pkey',
  })
  id: string;
  @Column({ type: 'uuid' }) notificationId: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'text' }) channel: 'EMAIL' | 'PUSH';
  /** '' for email; the push subscription's id for push. */
  @Column({ type: 'text', default: '' }) target: string;
  /** The notify job that caused it. */
  @Column({ type: 'text' }) eventId: string;
  @Column({ type: 'text', default: 'PENDING' }) status: DeliveryStatus;
  /** Not before: the end of quiet hours, or the digest time. */
  @Column({ type: 'timestamptz' }) dueAt: Date;
  /** Held for a summary (quiet hours or digest) rather than sent alone. */
  @Column({ type: 'boolean', default: false }) batched: boolean;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

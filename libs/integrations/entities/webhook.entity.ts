import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type WebhookEventName =
  'POST_CREATED' | 'COMMENT_CREATED' | 'MEMBER_JOINED' | 'GROUP_CREATED' | 'REPORT_FILED';

/**
 * An outgoing webhook: events of the network (group null, admins) or of one group, sent to `url`
 * signed with `secret` (Standard Webhooks). The secret is kept as given, since signing needs it.
 */
@Entity('webhooks')
@Index('webhooks_active_idx', ['active', 'groupId'])
@Index('webhooks_owner_idx', ['ownerId'])
export class WebhookEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhooks_pkey' })
  id: string;

  /** Who created it: every payload holds only what they may read at the moment of sending. */
  @Column({ type: 'uuid' }) ownerId: string;
  @Column({ type: 'uuid', nullable: true }) groupId: string | null;
  @Column({ type: 'text' }) url: string;
  @Column({ type: 'text', array: true }) events: WebhookEventName[];
  @Column({ type: 'text' }) secret: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ type: 'integer', default: 0 }) consecutiveFailures: number;
  @Column({ type: 'timestamptz', nullable: true }) disabledAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'SKIPPED' | 'FAILED';

/** One event for one webhook: its id is the `webhook-id` header, the same on every retry. */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_key', ['webhookId', 'activityId'], { unique: true })
@Index('webhook_deliveries_status_idx', ['status', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id: string;

  @Column({ type: 'uuid' }) webhookId: string;
  @Column({ type: 'text' }) event: WebhookEventName;
  @Column({ type: 'uuid' }) activityId: string;
  @Column({ type: 'text', default: 'PENDING' }) status: WebhookDeliveryStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ type: 'integer', nullable: true }) lastStatus: number | null;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'timestamptz', nullable: true }) doneAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

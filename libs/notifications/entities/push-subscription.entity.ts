import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A browser's Web Push subscription; removed when its endpoint answers 404 or 410. */
@Entity('push_subscriptions')
@Index('push_subscriptions_user_idx', ['userId'])
@Index('push_subscriptions_endpoint_key', ['endpoint'], { unique: true })
export class PushSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'push_subscriptions_pkey' })
  id: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'text' }) endpoint: string;
  @Column({ type: 'text' }) p256dh: string;
  @Column({ type: 'text' }) auth: string;
  @Column({ type: 'text', nullable: true }) userAgent: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

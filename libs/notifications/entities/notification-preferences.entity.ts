import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { QuietWindow } from '../quiet-hours.js';

export type ChannelName = 'IN_APP' | 'EMAIL' | 'PUSH';
export type DigestName = 'OFF' | 'HOURLY' | 'DAILY' | 'WEEKLY';

/** A user's choices; absent row or absent type = the defaults of notification.rules.ts. */
@Entity('notification_preferences')
export class NotificationPreferencesEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'notification_preferences_pkey' })
  userId: string;
  /** Type → channels, for the types the user changed. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) settings: Record<string, ChannelName[]>;
  @Column({ type: 'text', default: 'OFF' }) emailDigest: DigestName;
  @Column({ type: 'jsonb', nullable: true }) quietHours:
    (QuietWindow & { timezone: string }) | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

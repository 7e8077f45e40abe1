import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface QuietHoursValue {
  start: string;
  end: string;
  days: number[];
  timezone: string;
}

/** The one row of network-wide settings that admins change at run time. */
@Entity('network_settings')
export class NetworkSettingsEntity {
  @PrimaryColumn({
    type: 'smallint',
    default: 1,
    primaryKeyConstraintName: 'network_settings_pkey',
  })
  id: number;

  @Column({ type: 'text', default: 'Ruche' })
  name: string;

  @Column({ type: 'text', default: 'DOMAIN' })
  registrationMode: 'DOMAIN' | 'INVITE_ONLY' | 'SSO_ONLY';

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  allowedEmailDomains: string[];

  @Column({ type: 'text', default: 'en' })
  defaultLocale: 'fr' | 'en';

  @Column({ type: 'jsonb', nullable: true })
  quietHours: QuietHoursValue | null;

  /** The default of an erasure: the person's posts removed, or kept as "Former member". */
  @Column({ type: 'text', default: 'KEEP_AS_FORMER_MEMBER' })
  erasedPosts: 'REMOVE' | 'KEEP_AS_FORMER_MEMBER';

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

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

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

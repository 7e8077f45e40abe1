import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Secrets generated on first start when not configured, shared by every process. */
@Entity('app_secrets')
export class AppSecretEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'app_secrets_pkey' })
  name: string;

  @Column({ type: 'text' })
  value: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

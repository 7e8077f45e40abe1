import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

/** One signed-in device: a family of rotating refresh tokens. Revoking it ends them all. */
@Entity('sessions')
@Index('sessions_user_idx', ['userId'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sessions_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'sessions_user_fkey' })
  user?: UserEntity;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  revokedReason: string | null;

  /** `oidc` or `ldap` for a session opened by single sign-on; null for a password sign-in. */
  @Column({ type: 'text', nullable: true })
  provider: string | null;

  /** The person's identifier at that provider (`sub`, or the directory entry's id). */
  @Column({ type: 'text', nullable: true })
  providerSubject: string | null;

  /** When the provider last confirmed the person is still there (rechecked on refresh). */
  @Column({ type: 'timestamptz', nullable: true })
  providerCheckedAt: Date | null;

  /** The provider's refresh token, sealed (AES-GCM) by the SSO library, used for the recheck. */
  @Column({ type: 'text', nullable: true })
  providerToken: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

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

export type AccountTokenPurpose = 'VERIFY_EMAIL' | 'PASSWORD_RESET';

/** A single-use token sent by email (verification, password reset), stored as its SHA-256. */
@Entity('account_tokens')
@Index('account_tokens_hash_key', ['tokenHash'], { unique: true })
@Index('account_tokens_user_idx', ['userId'])
export class AccountTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'account_tokens_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_tokens_user_fkey' })
  user?: UserEntity;

  @Column({ type: 'text' })
  purpose: AccountTokenPurpose;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

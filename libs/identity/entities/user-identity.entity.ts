import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { UserEntity } from './user.entity.js';

/** An account's identity at a single sign-on provider (`oidc` + sub, `ldap` + entry id). */
@Entity('user_identities')
@Index('user_identities_user_idx', ['userId'])
export class UserIdentityEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'user_identities_pkey' })
  provider: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'user_identities_pkey' })
  subject: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_identities_user_fkey' })
  user?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastSignInAt: Date;
}

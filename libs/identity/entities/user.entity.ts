import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { NetworkRoleName, UserStatusName } from '@ruche/common';

/** An account and its profile. `searchText` and `sortName` are derived on every write. */
@Entity('users')
@Index('users_email_key', ['email'], { unique: true })
@Index('users_handle_key', ['handle'], { unique: true })
@Index('users_directory_idx', ['sortName', 'id'])
@Index('users_manager_idx', ['managerId'])
@Index('users_search_idx', { synchronize: false })
@Index('users_department_idx', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'users_pkey' })
  id: string;

  /** Lower-cased. */
  @Column({ type: 'text' })
  email: string;

  /** Lower-cased. */
  @Column({ type: 'text' })
  handle: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'text', default: 'MEMBER' })
  role: NetworkRoleName;

  @Column({ type: 'text', default: 'PENDING' })
  status: UserStatusName;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'text', nullable: true }) jobTitle: string | null;
  @Column({ type: 'text', nullable: true }) department: string | null;
  @Column({ type: 'text', nullable: true }) location: string | null;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ type: 'text', nullable: true }) bio: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) skills: string[];
  @Column({ type: 'text', nullable: true }) avatarUrl: string | null;
  @Column({ type: 'uuid', nullable: true }) managerId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'manager_id', foreignKeyConstraintName: 'users_manager_fkey' })
  manager?: UserEntity;

  /**
   * An integration's bot: never a person. Bots are DEACTIVATED accounts without a password, so the
   * rule that a viewer not ACTIVE reads nothing and every list of people (directory, search,
   * mentions, audiences, notifications) keeps ACTIVE accounts only leaves them out.
   */
  @Column({ type: 'boolean', default: false }) isBot: boolean;

  @Column({ type: 'text', default: 'Europe/Paris' }) timezone: string;
  @Column({ type: 'text', default: 'en' }) locale: 'fr' | 'en';

  /** Folded display name: the directory's order. */
  @Column({ type: 'text' })
  sortName: string;

  /** Folded words of name, handle, job title, department and skills: the directory's search. */
  @Column({ type: 'text' })
  searchText: string;

  /** The words of searchText as lexemes, GIN-indexed (users_search_idx): no to_tsvector per row. */
  @Column({ type: 'tsvector', select: false })
  searchVector: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

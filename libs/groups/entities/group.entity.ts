import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type {
  GroupPermissionName,
  GroupRoleName,
  GroupVisibilityName,
  JoinPolicyName,
} from '../groups.rules.js';

/** The permissions of each role but OWNER (who holds everything), as stored. */
export type PermissionMatrix = Partial<
  Record<Exclude<GroupRoleName, 'OWNER'>, GroupPermissionName[]>
>;

/**
 * A group (sub-network). `path` materializes the ancestors' ids, root first: parents never change,
 * so it is written once, and the access rule checks every ancestor from it in one query.
 */
@Entity('groups')
@Index('groups_slug_key', ['slug'], { unique: true })
@Index('groups_parent_idx', ['parentId', 'sortName', 'id'])
@Index('groups_name_idx', ['sortName', 'id'])
@Index('groups_search_idx', { synchronize: false })
@Index('groups_text_search_idx', { synchronize: false })
export class GroupEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'groups_pkey' })
  id: string;

  /** Lower-case, unique across the network. */
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** Folded name: the listings' order and their accent-blind search. */
  @Column({ type: 'text' })
  sortName: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text' })
  visibility: GroupVisibilityName;

  @Column({ type: 'text' })
  joinPolicy: JoinPolicyName;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'groups_parent_fkey' })
  parent?: GroupEntity;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  path: string[];

  @Column({ type: 'jsonb' })
  permissions: PermissionMatrix;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  /** The creator's user id (identity owns the row; no foreign key across domains). */
  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

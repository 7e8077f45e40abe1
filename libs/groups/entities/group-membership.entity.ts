import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { GroupRoleName, MembershipStatusName } from '../groups.rules.js';
import { GroupEntity } from './group.entity.js';

/** One person's place in one group: asked (PENDING), invited (INVITED) or in (ACTIVE). */
@Entity('group_memberships')
@Index('group_memberships_user_idx', ['userId', 'status'])
@Index('group_memberships_group_idx', ['groupId', 'createdAt', 'userId'])
export class GroupMembershipEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'group_memberships_pkey' })
  groupId: string;

  /** identity owns the user's row; the key is checked there. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'group_memberships_pkey' })
  userId: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'group_memberships_group_fkey' })
  group?: GroupEntity;

  @Column({ type: 'text' })
  role: GroupRoleName;

  @Column({ type: 'text' })
  status: MembershipStatusName;

  @Column({ type: 'uuid', nullable: true })
  invitedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ActivityVerbName =
  'POSTED' | 'COMMENTED' | 'JOINED_GROUP' | 'CREATED_GROUP' | 'UPDATED_PROFILE';

/**
 * One line of the activity feed, written in the transaction of what it describes. Its objects
 * (post, comment, group, the actor) belong to other domains: no foreign keys across domains; an
 * activity whose object is gone or hidden is left out by the access predicate.
 */
@Entity('activities')
// DESC and partial indexes are written by hand in the migration.
@Index('activities_created_idx', { synchronize: false })
@Index('activities_actor_created_idx', { synchronize: false })
@Index('activities_group_created_idx', { synchronize: false })
@Index('activities_broadcast_created_idx', { synchronize: false })
@Index('activities_post_idx', { synchronize: false })
export class ActivityEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'activities_pkey' })
  id: string;

  @Column({ type: 'text' })
  verb: ActivityVerbName;

  @Column({ type: 'uuid' })
  actorId: string;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @Column({ type: 'uuid', nullable: true })
  commentId: string | null;

  /** The group it happened in: the post's group for POSTED and COMMENTED. */
  @Column({ type: 'uuid', nullable: true })
  groupId: string | null;

  /** Not copied into timelines (audience too large, or a NETWORK announcement): merged at read time. */
  @Column({ type: 'boolean', default: false })
  broadcast: boolean;

  /** Milliseconds, so cursors and timeline scores round-trip exactly. */
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** follower follows followee. The users' rows belong to identity; the keys are checked there. */
@Entity('follows')
@Index('follows_followee_idx', ['followeeId', 'followerId'])
export class FollowEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'follows_pkey' })
  followerId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'follows_pkey' })
  followeeId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

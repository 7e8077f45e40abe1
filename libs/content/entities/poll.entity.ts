import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { PostEntity } from './post.entity.js';

/** One choice of a post's poll (the poll's settings are on the post). */
@Entity('poll_options')
@Index('poll_options_post_idx', ['postId', 'position'], { unique: true })
export class PollOptionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'poll_options_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'poll_options_post_fkey' })
  post?: PostEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  label: string;
}

/** One person's vote for one option. */
@Entity('poll_votes')
@Index('poll_votes_post_user_idx', ['postId', 'userId'])
export class PollVoteEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'poll_votes_pkey' })
  optionId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'poll_votes_pkey' })
  userId: string;

  @ManyToOne(() => PollOptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'option_id', foreignKeyConstraintName: 'poll_votes_option_fkey' })
  option?: PollOptionEntity;

  @Column({ type: 'uuid' })
  postId: string;
}

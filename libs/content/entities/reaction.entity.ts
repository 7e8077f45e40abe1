import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { PostEntity } from './post.entity.js';

/** One person's emoji on a post or a comment (subjectId); postId is the post either way, for access. */
@Entity('reactions')
@Index('reactions_post_idx', ['postId'])
export class ReactionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'reactions_pkey' })
  subjectId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'reactions_pkey' })
  userId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'reactions_pkey' })
  emoji: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'reactions_post_fkey' })
  post?: PostEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

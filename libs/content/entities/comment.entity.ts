import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { PostEntity } from './post.entity.js';

/** A comment on a post, or a reply to a top-level comment (one level). Soft-deleted like posts. */
@Entity('comments')
@Index('comments_post_created_idx', { synchronize: false })
/** Full text in French and English (libs/search) on search_vector: migration StoredSearchVectors1764900000000. */
@Index('comments_search_idx', { synchronize: false })
@Index('comments_author_idx', ['authorId'])
@Index('comments_parent_idx', ['parentId'])
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'comments_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  postId: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'comments_post_fkey' })
  post?: PostEntity;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'comments_parent_fkey' })
  parent?: CommentEntity;

  @Column({ type: 'uuid' })
  authorId: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  bodyHtml: string;

  /**
   * The body's words as French and English lexemes, GIN-indexed (comments_search_idx) and
   * ranked by libs/search without re-parsing the body. PostgreSQL writes it (a trigger, migration
   * StoredSearchVectors1764900000000): TypeORM never selects, inserts nor updates it.
   */
  @Column({ type: 'tsvector', select: false, insert: false, update: false })
  searchVector: string;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  mentionIds: string[];

  /** Milliseconds, so a JavaScript Date round-trips exactly in keyset cursors. */
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Hidden by a moderator: read only by its author and the moderators of its post's place. */
  @Column({ type: 'timestamptz', nullable: true })
  hiddenAt: Date | null;

  @Column({ type: 'text', nullable: true })
  hiddenReason: string | null;
}

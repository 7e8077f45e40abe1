import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A body as it was before an edit: the history of a post or a comment (subjectId). */
@Entity('content_revisions')
@Index('content_revisions_subject_idx', ['subjectId', 'createdAt'])
export class ContentRevisionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'content_revisions_pkey' })
  id: string;

  /** The post's or the comment's id. */
  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'uuid' })
  postId: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'uuid' })
  editedById: string;

  /** When this body was replaced. */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

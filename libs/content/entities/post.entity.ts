import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AudienceName } from '@ruche/access';

/**
 * A post, standing on a personal wall (wallOwnerId) or in a group (groupId). Its audience and, for
 * CUSTOM, the named users and groups are columns the access predicate reads directly. Deletion is
 * soft: comments, reactions and votes keep a post to point at, and nobody reads it any more.
 */
@Entity('posts')
// Partial, DESC and GIN indexes are written by hand in the migration (TypeORM cannot express them).
@Index('posts_wall_created_idx', { synchronize: false })
@Index('posts_group_created_idx', { synchronize: false })
@Index('posts_company_idx', { synchronize: false })
@Index('posts_author_created_idx', { synchronize: false })
@Index('posts_hashtags_idx', { synchronize: false })
@Index('posts_search_idx', { synchronize: false })
export class PostEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'posts_pkey' })
  id: string;

  /** identity owns the users' rows: no foreign key across domains. */
  @Column({ type: 'uuid' })
  authorId: string;

  @Column({ type: 'uuid', nullable: true })
  wallOwnerId: string | null;

  /** groups owns the groups' rows. */
  @Column({ type: 'uuid', nullable: true })
  groupId: string | null;

  @Column({ type: 'text' })
  audience: AudienceName;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  audienceUserIds: string[];

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  audienceGroupIds: string[];

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  bodyHtml: string;

  /**
   * The body's words as French and English lexemes, GIN-indexed (posts_search_idx) and
   * ranked by libs/search without re-parsing the body. PostgreSQL writes it (a trigger, migration
   * StoredSearchVectors1764900000000): TypeORM never selects, inserts nor updates it.
   */
  @Column({ type: 'tsvector', select: false, insert: false, update: false })
  searchVector: string;

  /** Ids of the people mentioned (visible ACTIVE accounts when written). */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  mentionIds: string[];

  /** Normalized tags (content.rules.ts normalizeTag), GIN-indexed. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  hashtags: string[];

  @Column({ type: 'boolean', default: false })
  isAnnouncement: boolean;

  @Column({ type: 'boolean', default: false })
  pinned: boolean;

  /** Null when the post has no poll. */
  @Column({ type: 'boolean', nullable: true })
  pollMultipleChoice: boolean | null;

  @Column({ type: 'timestamptz', nullable: true })
  pollClosesAt: Date | null;

  /** Milliseconds, so a JavaScript Date round-trips exactly in keyset cursors. */
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Hidden by a moderator: read only by its author and the moderators of its place (libs/access). */
  @Column({ type: 'timestamptz', nullable: true })
  hiddenAt: Date | null;

  /** Why it was hidden, shown to its author. */
  @Column({ type: 'text', nullable: true })
  hiddenReason: string | null;

  /** An announcement whose readers are asked to acknowledge it (libs/governance). */
  @Column({ type: 'boolean', default: false })
  acknowledgementRequired: boolean;
}

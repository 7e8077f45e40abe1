import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type CharterLocale = 'fr' | 'en';

/** One published version of the network's charter; versions only grow, none is edited. */
@Entity('charters')
export class CharterEntity {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'charters_pkey' })
  version: number;

  /** Markdown: the text shown when no translation matches the viewer's language. */
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'text' }) bodyHtml: string;

  /** The same charter in other languages: locale → Markdown and its sanitized HTML. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  translations: Partial<Record<CharterLocale, { body: string; bodyHtml: string }>>;

  /** identity owns the users' rows: no foreign key across domains. */
  @Column({ type: 'uuid' }) publishedById: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) publishedAt: Date;
}

/** Who accepted which version, and when: kept for every version, exported by admins. */
@Entity('charter_acceptances')
@Index('charter_acceptances_version_idx', ['version', 'acceptedAt'])
export class CharterAcceptanceEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'charter_acceptances_pkey' })
  userId: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'charter_acceptances_pkey' })
  version: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) acceptedAt: Date;
}

export type ReportSubjectType = 'POST' | 'COMMENT' | 'MESSAGE';
export type ReportStatusName = 'OPEN' | 'HIDDEN' | 'REMOVED' | 'DISMISSED';

/**
 * A member's report of a post, a comment or (with conversations) a message. `postId` and `groupId`
 * say where the content stands, so the queue's rule (who moderates that place) is one predicate;
 * a message will carry its conversation in `conversationId` and no post.
 */
@Entity('reports')
@Index('reports_reporter_subject_key', ['reporterId', 'subjectType', 'subjectId'], { unique: true })
@Index('reports_status_created_idx', ['status', 'createdAt', 'id'])
@Index('reports_subject_idx', ['subjectType', 'subjectId'])
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'reports_pkey' })
  id: string;

  @Column({ type: 'text' }) subjectType: ReportSubjectType;
  @Column({ type: 'uuid' }) subjectId: string;
  /** The post itself, or the comment's post (null for a message). */
  @Column({ type: 'uuid', nullable: true }) postId: string | null;
  /** The group the content stands in (null: a wall, the company feed, a conversation). */
  @Column({ type: 'uuid', nullable: true }) groupId: string | null;
  @Column({ type: 'uuid', nullable: true }) conversationId: string | null;
  /** The content's author (suspension). */
  @Column({ type: 'uuid' }) authorId: string;
  @Column({ type: 'uuid' }) reporterId: string;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'text', default: 'OPEN' }) status: ReportStatusName;
  @Column({ type: 'text', nullable: true }) decisionNote: string | null;
  @Column({ type: 'uuid', nullable: true }) decidedById: string | null;
  @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** Every moderation decision: who decided what, when and why (the audit log will get it too). */
@Entity('moderation_decisions')
@Index('moderation_decisions_subject_idx', ['subjectType', 'subjectId', 'createdAt'])
export class ModerationDecisionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'moderation_decisions_pkey' })
  id: string;

  @Column({ type: 'uuid' }) reportId: string;
  @Column({ type: 'uuid' }) moderatorId: string;
  @Column({ type: 'text' }) decision: 'HIDE' | 'REMOVE' | 'DISMISS' | 'RESTORE';
  @Column({ type: 'text' }) subjectType: ReportSubjectType;
  @Column({ type: 'uuid' }) subjectId: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'integer', nullable: true }) suspendAuthorDays: number | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt: Date;
}

/** A reader's "I have read it" on an announcement that asks for it. */
@Entity('post_acknowledgements')
export class PostAcknowledgementEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'post_acknowledgements_pkey' })
  postId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'post_acknowledgements_pkey' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) acknowledgedAt: Date;
}

/** The one reminder an author may send about an announcement (the primary key says "once"). */
@Entity('acknowledgement_reminders')
export class AcknowledgementReminderEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'acknowledgement_reminders_pkey' })
  postId: string;

  @Column({ type: 'integer' }) recipients: number;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) remindedAt: Date;
}

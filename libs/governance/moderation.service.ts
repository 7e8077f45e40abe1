import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  groupAccess,
  moderatesPlace,
  PLACE_MODERATORS_SQL,
  type SqlPredicate,
} from '@ruche/access';
import {
  AppError,
  badInput,
  conflict,
  decodeCursor,
  forbidden,
  isUuid,
  notFound,
  pageSize,
  toPage,
  type Page,
  type Viewer,
} from '@ruche/common';
import { CommentsService, PostsService } from '@ruche/content';
import { AccountsService } from '@ruche/identity';
import { NotifyService } from '@ruche/notify';
import {
  ModerationDecisionEntity,
  ReportEntity,
  type ReportStatusName,
} from './entities/governance.entities.js';
import {
  ReportDecision,
  type DecideReportArgs,
  type ReportArgs,
  type ReportObject,
  type ReportReason,
  type ReportsArgs,
  type ReportStatus,
} from './graphql/governance.objects.js';

const reportNotFound = () => notFound('No such report');

/**
 * The reports a viewer moderates, as a predicate on a `reports` alias: the viewer moderates the
 * content's place (libs/access `moderatesPlace`: admins everywhere, MODERATE holders in their
 * group) and the place is listed to them (a SECRET group's reports do not exist for an admin
 * outside it). The reported content itself (`Report.subject`) goes through the read rule: an admin
 * outside a PRIVATE group sees the report, its reason and note, never the post.
 */
function moderatedReports(viewer: Viewer, alias: string): SqlPredicate {
  const r = alias;
  const group = groupAccess(viewer, 'mg2');
  return {
    sql: `(${moderatesPlace(viewer, r)} AND (${r}.group_id IS NULL OR EXISTS (SELECT 1 FROM groups mg2 WHERE mg2.id = ${r}.group_id AND ${group.list.sql})))`,
    params: { accessViewerId: viewer.id, ...group.list.params },
  };
}

const NEXT: Record<
  DecideReportArgs['decision'],
  { from: ReportStatusName[]; to: ReportStatusName }
> = {
  HIDE: { from: ['OPEN', 'DISMISSED'], to: 'HIDDEN' },
  RESTORE: { from: ['HIDDEN'], to: 'DISMISSED' },
  REMOVE: { from: ['OPEN', 'HIDDEN', 'DISMISSED'], to: 'REMOVED' },
  DISMISS: { from: ['OPEN'], to: 'DISMISSED' },
};

/** Reports, the moderators' queue and their decisions (DESIGN.md "Moderation"). */
@Injectable()
export class ModerationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly accounts: AccountsService,
    private readonly notify: NotifyService,
  ) {}

  private toObject(r: ReportEntity, moderates: boolean): ReportObject {
    return {
      id: r.id,
      reason: r.reason as ReportReason,
      note: r.note,
      status: r.status as ReportStatus,
      decisionNote: r.decisionNote,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      reporterId: r.reporterId,
      viewerModerates: moderates,
    };
  }

  /** A member reports a post or a comment they may read (messages: with conversations). */
  async report(viewer: Viewer, args: ReportArgs): Promise<ReportObject> {
    if (!isUuid(args.subjectId)) throw notFound('No such post or comment');
    let subject: { type: 'POST' | 'COMMENT'; id: string; postId: string; authorId: string };
    const post = await this.posts.get(viewer, args.subjectId).catch(() => null);
    if (post) {
      subject = { type: 'POST', id: post.id, postId: post.id, authorId: post.authorId };
    } else {
      const comment = await this.comments.get(viewer, args.subjectId).catch(() => null);
      if (!comment) throw notFound('No such post or comment');
      subject = {
        type: 'COMMENT',
        id: comment.id,
        postId: comment.postId,
        authorId: comment.authorId,
      };
    }
    if (subject.authorId === viewer.id)
      throw badInput('subjectId', 'You cannot report what you wrote');
    const place = await this.posts.get(viewer, subject.postId);
    const note = args.note?.trim() || null;
    const id = await this.db.transaction(async (manager) => {
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO reports (subject_type, subject_id, post_id, group_id, author_id, reporter_id, reason, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (reporter_id, subject_type, subject_id) DO NOTHING RETURNING id`,
        [
          subject.type,
          subject.id,
          subject.postId,
          place.groupId,
          subject.authorId,
          viewer.id,
          args.reason,
          note,
        ],
      );
      if (!inserted.length) return null;
      const moderators: { id: string }[] = await manager.query(PLACE_MODERATORS_SQL, [
        place.groupId,
      ]);
      // About the report, not the post (an admin outside a PRIVATE group is told, never shown the
      // post); the worker keeps those who see the group (an admin outside a SECRET one is left out).
      await this.notify.emit(manager, {
        type: 'REPORT_FILED',
        actorId: viewer.id,
        recipientIds: moderators.map((m) => m.id).filter((m) => m !== subject.authorId),
        ...(place.groupId ? { groupId: place.groupId } : {}),
        reportId: inserted[0].id,
      });
      return inserted[0].id;
    });
    const row = id
      ? await this.db.getRepository(ReportEntity).findOneByOrFail({ id })
      : await this.db.getRepository(ReportEntity).findOneByOrFail({
          reporterId: viewer.id,
          subjectType: subject.type,
          subjectId: subject.id,
        });
    return this.toObject(row, false);
  }

  /** Reports by id the viewer may read: as a moderator of their place, or as their reporter. */
  async byIds(viewer: Viewer, ids: string[]): Promise<ReportObject[]> {
    const rule = moderatedReports(viewer, 'r');
    const rows: (Record<string, unknown> & { moderates: boolean })[] = await this.db
      .createQueryBuilder()
      .select('r.id', 'id')
      .addSelect(rule.sql, 'moderates')
      .from(ReportEntity, 'r')
      .where('r.id = ANY(CAST(:ids AS uuid[]))', { ids })
      .andWhere(`(${rule.sql} OR r.reporter_id = :accessViewerId)`, rule.params)
      .getRawMany();
    if (!rows.length) return [];
    const entities = await this.db
      .getRepository(ReportEntity)
      .findBy(rows.map((r) => ({ id: r.id as string })));
    const moderates = new Map(rows.map((r) => [r.id as string, r.moderates]));
    return entities.map((e) => this.toObject(e, moderates.get(e.id) === true));
  }

  /** The queue: newest first, what the viewer moderates and may read. */
  async queue(viewer: Viewer, args: ReportsArgs): Promise<Page<ReportObject>> {
    const limit = pageSize(args.first);
    const rule = moderatedReports(viewer, 'r');
    const qb = this.db
      .getRepository(ReportEntity)
      .createQueryBuilder('r')
      .where(rule.sql, rule.params);
    if (args.status) qb.andWhere('r.status = :status', { status: args.status });
    if (args.groupId) {
      if (!isUuid(args.groupId)) return toPage([], limit, () => []);
      qb.andWhere('r.group_id = :groupId', { groupId: args.groupId });
    }
    const after = decodeCursor(args.after, 2);
    if (after) {
      const [at, id] = after;
      if (
        typeof at !== 'string' ||
        Number.isNaN(Date.parse(at)) ||
        typeof id !== 'string' ||
        !isUuid(id)
      )
        throw badInput('after', 'Invalid cursor');
      qb.andWhere('(r.created_at, r.id) < (:afterAt, :afterId)', { afterAt: at, afterId: id });
    }
    const rows = await qb
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(
      rows,
      limit,
      (r) => [r.createdAt.toISOString(), r.id],
      (r) => this.toObject(r, true),
    );
  }

  /**
   * A moderator decides: hide (the reason shown to the author), restore, remove, or dismiss; every
   * open report of the same content follows, each reporter is told, the decision is recorded.
   */
  async decide(viewer: Viewer, args: DecideReportArgs): Promise<ReportObject> {
    if (!isUuid(args.id)) throw reportNotFound();
    const [found] = await this.byIds(viewer, [args.id]);
    if (!found) throw reportNotFound();
    if (!found.viewerModerates) throw forbidden('Only moderators decide on reports');
    if (
      args.suspendAuthorDays !== undefined &&
      args.suspendAuthorDays !== null &&
      viewer.role !== 'ADMIN'
    )
      throw forbidden('Only network administrators suspend accounts');
    const step = NEXT[args.decision];
    if (!step.from.includes(found.status))
      throw conflict('decision', `A ${found.status} report cannot be decided ${args.decision}`);
    const note = args.note?.trim() || null;
    const report = await this.db.getRepository(ReportEntity).findOneByOrFail({ id: found.id });
    if (report.subjectType === 'MESSAGE')
      throw new AppError('BAD_USER_INPUT', 'Messages are moderated with conversations', {
        field: 'id',
      });
    await this.db.transaction(async (manager) => {
      if (args.decision !== ReportDecision.DISMISS)
        await this.posts.moderate(
          manager,
          { type: report.subjectType as 'POST' | 'COMMENT', id: report.subjectId },
          args.decision,
          note,
        );
      // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
      const [decided] = await manager.query<[{ id: string; reporter_id: string }[], number]>(
        `UPDATE reports SET status = $3, decision_note = $4, decided_by_id = $5, decided_at = now()
          WHERE subject_type = $1 AND subject_id = $2 AND (id = $6 OR status = ANY($7::text[]))
          RETURNING id, reporter_id`,
        [report.subjectType, report.subjectId, step.to, note, viewer.id, report.id, step.from],
      );
      await manager.insert(ModerationDecisionEntity, {
        reportId: report.id,
        moderatorId: viewer.id,
        decision: args.decision,
        subjectType: report.subjectType,
        subjectId: report.subjectId,
        note,
        suspendAuthorDays: args.suspendAuthorDays ?? null,
      });
      // TODO(issue 16): AuditService.record({ action: `report.${decision}`, actorId: viewer.id,
      // targetType: report.subjectType, targetId: report.subjectId, details: { reportId, note, suspendAuthorDays } })
      for (const d of decided) {
        await this.notify.emit(manager, {
          type: 'REPORT_DECIDED',
          actorId: viewer.id,
          recipientIds: [d.reporter_id],
          reportId: d.id,
        });
      }
    });
    // TODO(issue 16): lift the suspension after suspendAuthorDays (a delayed job); today it stays
    // until an admin runs reactivateUser.
    if (args.suspendAuthorDays) await this.accounts.suspend(viewer, report.authorId);
    const [after] = await this.byIds(viewer, [report.id]);
    return after ?? { ...found, status: step.to as ReportStatus, decisionNote: note };
  }
}

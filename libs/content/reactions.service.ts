import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { HotReads } from '@ruche/database';
import { loader, type RequestContext, type Viewer } from '@ruche/common';
import { NotifyService } from '@ruche/notify';
import { CommentsService } from './comments.service.js';
import { ContentErrors } from './content.errors.js';
import { isSingleEmoji, LIMITS } from './content.rules.js';
import type { ReactionSummaryObject } from './graphql/content.objects.js';
import { PostsService } from './posts.service.js';

/** Emoji reactions on posts and comments, counted per emoji; readable exactly when their post is. */
@Injectable()
export class ReactionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly notify: NotifyService,
    private readonly hot: HotReads,
  ) {}

  /** The post (readable) a subject id belongs to: the post itself, or a comment's post. */
  private async subject(viewer: Viewer, subjectId: string) {
    const post = await this.posts.get(viewer, subjectId).catch(() => null);
    if (post) return { post, subjectId, comment: null };
    const comment = await this.comments.get(viewer, subjectId).catch(() => null);
    if (!comment) throw ContentErrors.subjectNotFound();
    return { post: await this.posts.get(viewer, comment.postId), subjectId, comment };
  }

  async react(viewer: Viewer, subjectId: string, emoji: string): Promise<ReactionSummaryObject[]> {
    if (!isSingleEmoji(emoji)) throw ContentErrors.emoji();
    const { post, comment } = await this.subject(viewer, subjectId);
    if (!(await this.posts.rights(viewer, post)).react) throw ContentErrors.lacks('REACT');
    const [{ n }]: { n: number }[] = await this.db.query(
      'SELECT count(*)::int AS n FROM reactions WHERE subject_id = $1 AND user_id = $2 AND emoji <> $3',
      [subjectId, viewer.id, emoji],
    );
    if (n >= LIMITS.reactionsPerPerson) throw ContentErrors.tooManyReactions();
    await this.db.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        'INSERT INTO reactions (subject_id, user_id, emoji, post_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1',
        [subjectId, viewer.id, emoji, post.id],
      );
      // The subject's author; repeats collapse on the subject into one unread notification that updates.
      if (inserted.length) {
        await this.notify.emit(manager, {
          type: 'REACTION',
          actorId: viewer.id,
          postId: post.id,
          ...(comment ? { commentId: comment.id } : {}),
          recipientIds: [comment ? comment.authorId : post.authorId],
        });
      }
    });
    return this.summaries(viewer, [subjectId]).then((m) => m.get(subjectId) ?? []);
  }

  async unreact(
    viewer: Viewer,
    subjectId: string,
    emoji: string,
  ): Promise<ReactionSummaryObject[]> {
    if (!isSingleEmoji(emoji)) throw ContentErrors.emoji();
    await this.subject(viewer, subjectId);
    await this.db.query(
      'DELETE FROM reactions WHERE subject_id = $1 AND user_id = $2 AND emoji = $3',
      [subjectId, viewer.id, emoji],
    );
    return this.summaries(viewer, [subjectId]).then((m) => m.get(subjectId) ?? []);
  }

  /** Counts per emoji, in the order each emoji first came; the subjects were read through access. */
  private async summaries(
    viewer: Viewer,
    subjectIds: readonly string[],
  ): Promise<Map<string, ReactionSummaryObject[]>> {
    const rows: { subject_id: string; emoji: string; n: number; mine: boolean }[] =
      await this.hot.query(
        `SELECT subject_id, emoji, count(*)::int AS n, bool_or(user_id = $2) AS mine
         FROM reactions WHERE subject_id = ANY($1::uuid[])
        GROUP BY subject_id, emoji ORDER BY subject_id, min(created_at), emoji`,
        [subjectIds, viewer.id],
      );
    const out = new Map<string, ReactionSummaryObject[]>();
    for (const r of rows) {
      const list = out.get(r.subject_id) ?? [];
      list.push({ emoji: r.emoji, count: r.n, viewerReacted: r.mine });
      out.set(r.subject_id, list);
    }
    return out;
  }

  loader(ctx: RequestContext): DataLoader<string, ReactionSummaryObject[]> {
    return loader(
      ctx,
      'reactions.summary',
      () =>
        new DataLoader<string, ReactionSummaryObject[]>(async (ids) => {
          const byId = await this.summaries(ctx.viewer!, ids);
          return ids.map((id) => byId.get(id) ?? []);
        }),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { IsNull, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { HotReads } from '@ruche/database';
import { moderatesPlace, readablePosts } from '@ruche/access';
import { FeedService } from '@ruche/feed';
import {
  accessLoader,
  isUuid,
  badInput,
  decodeCursor,
  loader,
  pageSize,
  toPage,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { NotifyService } from '@ruche/notify';
import { ContentErrors } from './content.errors.js';
import { renderMarkdown } from './content.rules.js';
import { CommentEntity } from './entities/comment.entity.js';
import { ContentRevisionEntity } from './entities/content-revision.entity.js';
import type { CommentObject, PostObject } from './graphql/content.objects.js';
import { PostsService } from './posts.service.js';

export function toCommentObject(c: CommentEntity): CommentObject {
  return {
    id: c.id,
    body: c.body,
    bodyHtml: c.bodyHtml,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    hidden: c.hiddenAt !== null,
    hiddenReason: c.hiddenAt !== null ? c.hiddenReason : null,
    postId: c.postId,
    parentId: c.parentId,
    authorId: c.authorId,
    mentionIds: c.mentionIds,
  };
}

const key = (c: CommentObject) => [c.createdAt.toISOString(), c.id];

/**
 * A comment `c` is readable when it is alive, its post is readable and, when a moderator hid it,
 * the viewer wrote it or moderates the post's place (one predicate for all reads).
 */
function readableComments(
  viewer: Viewer,
  alias = 'c',
): { sql: string; params: Record<string, unknown> } {
  const rule = readablePosts(viewer, 'p');
  const c = alias;
  return {
    sql: `(${c}.deleted_at IS NULL AND EXISTS (SELECT 1 FROM posts p WHERE p.id = ${c}.post_id AND ${rule.sql}
      AND (${c}.hidden_at IS NULL OR ${c}.author_id = :accessViewerId OR ${moderatesPlace(viewer, 'p')})))`,
    params: { accessViewerId: viewer.id, ...rule.params },
  };
}

/** Comments (one level of replies), readable exactly when their post is. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsService,
    private readonly notify: NotifyService,
    private readonly feed: FeedService,
    private readonly hot: HotReads,
  ) {}

  /** Live comments whose post the viewer may read. */
  private readable(
    viewer: Viewer,
    manager: EntityManager = this.db.manager,
  ): SelectQueryBuilder<CommentEntity> {
    const rule = readableComments(viewer);
    return manager.createQueryBuilder(CommentEntity, 'c').where(rule.sql, rule.params);
  }

  loader(ctx: RequestContext): DataLoader<string, CommentObject | null> {
    return accessLoader(ctx, 'comments.byId', async (viewer, ids) => {
      const rule = readableComments(viewer);
      const where = `${rule.sql} AND c.id = ANY(CAST(:ids AS uuid[]))`;
      const rows = await this.hot.find(CommentEntity, 'c', where, { ...rule.params, ids });
      return rows.map((r) => toCommentObject(r.entity));
    });
  }

  async get(
    viewer: Viewer,
    id: string,
    manager: EntityManager = this.hot.db.manager,
  ): Promise<CommentEntity> {
    if (!isUuid(id)) throw ContentErrors.commentNotFound();
    const row = await this.readable(viewer, manager).andWhere('c.id = :id', { id }).getOne();
    if (!row) throw ContentErrors.commentNotFound();
    return row;
  }

  /**
   * First pages of comments of every post of a listing, in one query (a window per post), oldest
   * first. The posts were read through access already.
   */
  firstPages(ctx: RequestContext, first: number): DataLoader<string, Page<CommentObject>> {
    return loader(
      ctx,
      `comments.first.${first}`,
      () =>
        new DataLoader<string, Page<CommentObject>>(async (postIds) => {
          // Hidden comments stay out for all but their authors and the place's moderators.
          const readable = readableComments(ctx.viewer!, 'x');
          const rows = await this.db.manager
            .createQueryBuilder(CommentEntity, 'c')
            .where((qb) => {
              const ranked = qb
                .subQuery()
                .select('r.id')
                .from(
                  (sub) =>
                    sub
                      .select('x.id', 'id')
                      .addSelect(
                        'row_number() OVER (PARTITION BY x.post_id ORDER BY x.created_at, x.id)',
                        'n',
                      )
                      .from(CommentEntity, 'x')
                      .where('x.post_id IN (:...postIds)', { postIds: [...postIds] })
                      .andWhere(readable.sql, readable.params),
                  'r',
                )
                .where('r.n <= :cap', { cap: first + 1 })
                .getQuery();
              return `c.id IN ${ranked}`;
            })
            .orderBy('c.created_at', 'ASC')
            .addOrderBy('c.id', 'ASC')
            .getMany();
          return postIds.map((postId) => {
            const mine = rows.filter((r) => r.postId === postId).map(toCommentObject);
            return toPage(
              mine,
              first,
              key,
              (c) => c,
              () => this.countLoader(ctx).load(postId),
            );
          });
        }),
    );
  }

  /** Live comments per post, batched (commentsCount and totalCount). */
  countLoader(ctx: RequestContext): DataLoader<string, number> {
    return loader(
      ctx,
      'comments.count',
      () =>
        new DataLoader<string, number>(async (postIds) => {
          const rows: { post_id: string; n: number }[] = await this.hot.query(
            'SELECT post_id, count(*)::int AS n FROM comments WHERE post_id = ANY($1::uuid[]) AND deleted_at IS NULL GROUP BY post_id',
            [postIds],
          );
          const byId = new Map(rows.map((r) => [r.post_id, r.n]));
          return postIds.map((id) => byId.get(id) ?? 0);
        }),
    );
  }

  /** A page of a readable post's comments, oldest first. */
  async page(
    ctx: RequestContext,
    post: PostObject,
    args: { first?: number; after?: string },
  ): Promise<Page<CommentObject>> {
    const limit = pageSize(args.first);
    if (args.after === undefined || args.after === null)
      return this.firstPages(ctx, limit).load(post.id);
    const after = decodeCursor(args.after, 2);
    const [at, id] = after!;
    if (
      typeof at !== 'string' ||
      Number.isNaN(Date.parse(at)) ||
      typeof id !== 'string' ||
      !isUuid(id)
    )
      throw badInput('after', 'Invalid cursor');
    const rows = await this.readable(ctx.viewer!)
      .andWhere('c.post_id = :postId', { postId: post.id })
      .andWhere('(c.created_at, c.id) > (:afterAt, :afterId)', { afterAt: at, afterId: id })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(
      rows.map(toCommentObject),
      limit,
      key,
      (c) => c,
      () => this.countLoader(ctx).load(post.id),
    );
  }

  // ------------------------------------------------------------------ writes

  async add(
    viewer: Viewer,
    postId: string,
    body: string,
    parentId: string | undefined,
  ): Promise<CommentObject> {
    if (!body.trim()) throw ContentErrors.blank('body');
    const post = await this.posts.get(viewer, postId);
    if (!(await this.posts.rights(viewer, post)).comment) throw ContentErrors.lacks('COMMENT');
    let parent: string | null = null;
    let parentAuthorId: string | null = null;
    if (parentId !== undefined && parentId !== null) {
      const replied = await this.get(viewer, parentId).catch(() => null);
      if (!replied || replied.postId !== post.id)
        throw badInput('parentId', 'parentId must be a comment of this post');
      // One level of threading: answering a reply answers the comment it belongs to.
      parent = replied.parentId ?? replied.id;
      parentAuthorId =
        parent === replied.id
          ? replied.authorId
          : ((await this.get(viewer, parent).catch(() => null))?.authorId ?? null);
    }
    const mentionIds = await this.posts.mentionIds(viewer, body);
    const saved = await this.db.transaction(async (manager) => {
      const comment = await manager.save(
        manager.create(CommentEntity, {
          postId: post.id,
          parentId: parent,
          authorId: viewer.id,
          body,
          bodyHtml: renderMarkdown(body),
          mentionIds,
          editedAt: null,
          deletedAt: null,
        }),
      );
      await this.feed.record(manager, {
        verb: 'COMMENTED',
        actorId: viewer.id,
        postId: post.id,
        commentId: comment.id,
        groupId: post.groupId,
      });
      await this.notifyAdded(manager, viewer, comment, post.authorId, parentAuthorId);
      return comment;
    });
    return toCommentObject(await this.get(viewer, saved.id));
  }

  /**
   * The notifications of a new comment, in its transaction; one per person, the most specific:
   * the replied comment's author (REPLY), else the post's author (COMMENT), else the mentioned
   * (MENTION). The worker keeps who may read the post; the actor is never notified.
   */
  private async notifyAdded(
    manager: EntityManager,
    viewer: Viewer,
    c: CommentEntity,
    postAuthorId: string,
    parentAuthorId: string | null,
  ): Promise<void> {
    const base = { actorId: viewer.id, postId: c.postId, commentId: c.id };
    const told = new Set<string>([viewer.id]);
    if (parentAuthorId && !told.has(parentAuthorId)) {
      told.add(parentAuthorId);
      await this.notify.emit(manager, { ...base, type: 'REPLY', recipientIds: [parentAuthorId] });
    }
    if (!told.has(postAuthorId)) {
      told.add(postAuthorId);
      await this.notify.emit(manager, { ...base, type: 'COMMENT', recipientIds: [postAuthorId] });
    }
    const mentioned = c.mentionIds.filter((id) => !told.has(id));
    if (mentioned.length)
      await this.notify.emit(manager, { ...base, type: 'MENTION', recipientIds: mentioned });
  }

  /** Mentions added by an edit notify the newly mentioned. */
  async update(viewer: Viewer, id: string, body: string): Promise<CommentObject> {
    if (!body.trim()) throw ContentErrors.blank('body');
    await this.db.transaction(async (manager) => {
      const comment = await this.get(viewer, id, manager);
      if (comment.authorId !== viewer.id) throw ContentErrors.authorOnly();
      await manager.insert(ContentRevisionEntity, {
        subjectId: comment.id,
        postId: comment.postId,
        body: comment.body,
        editedById: viewer.id,
      });
      const mentionIds = await this.posts.mentionIds(viewer, body);
      const added = mentionIds.filter((m) => !comment.mentionIds.includes(m));
      if (added.length) {
        await this.notify.emit(manager, {
          type: 'MENTION',
          actorId: viewer.id,
          postId: comment.postId,
          commentId: comment.id,
          recipientIds: added,
        });
      }
      await manager.update(
        CommentEntity,
        { id },
        { body, bodyHtml: renderMarkdown(body), mentionIds, editedAt: new Date() },
      );
    });
    return toCommentObject(await this.get(viewer, id));
  }

  /** The author, the post's wall owner, or a holder of MODERATE in the post's group. */
  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const comment = await this.get(viewer, id);
    const post = await this.posts.get(viewer, comment.postId);
    if (comment.authorId !== viewer.id && !(await this.posts.rights(viewer, post)).moderate)
      throw ContentErrors.cannotDelete();
    await this.db.manager.update(
      CommentEntity,
      { id, deletedAt: IsNull() },
      { deletedAt: new Date() },
    );
    return true;
  }
}

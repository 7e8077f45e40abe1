import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { moderatesPlace, readersOfPost, visibleUsers } from '@ruche/access';
import {
  badInput,
  conflict,
  decodeCursor,
  forbidden,
  isUuid,
  loader,
  pageSize,
  toPage,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { PostsService, toPostObject, type PostObject } from '@ruche/content';
import { NotifyService } from '@ruche/notify';

/** Announcements that must be read: "I have read it", who has and has not, one reminder. */
@Injectable()
export class AcknowledgementsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly posts: PostsService,
    private readonly notify: NotifyService,
  ) {}

  async acknowledge(viewer: Viewer, postId: string): Promise<PostObject> {
    const post = await this.posts.get(viewer, postId);
    if (!post.acknowledgementRequired)
      throw badInput('postId', 'This post does not ask for an acknowledgement');
    await this.db.query(
      'INSERT INTO post_acknowledgements (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [post.id, viewer.id],
    );
    return toPostObject(post);
  }

  /** When the viewer acknowledged each post of a listing (batched). */
  viewerAcknowledgedAt(ctx: RequestContext): DataLoader<string, Date | null> {
    return loader(
      ctx,
      'acknowledgements.viewer',
      () =>
        new DataLoader<string, Date | null>(async (postIds) => {
          const rows: { post_id: string; at: Date }[] = await this.db.query(
            'SELECT post_id, acknowledged_at AS at FROM post_acknowledgements WHERE user_id = $1 AND post_id = ANY($2::uuid[])',
            [ctx.viewer!.id, postIds],
          );
          const byId = new Map(rows.map((r) => [r.post_id, r.at]));
          return postIds.map((id) => byId.get(id) ?? null);
        }),
    );
  }

  /** The author and the moderators of its place see who acknowledged; others get null. */
  async mayList(viewer: Viewer, post: PostObject): Promise<boolean> {
    if (post.authorId === viewer.id) return true;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM posts p WHERE p.id = $1 AND ${moderatesPlace(viewer, 'p').replaceAll(':accessViewerId', '$2')}`,
      [post.id, viewer.id],
    );
    return rows.length > 0;
  }

  /** The readers of the post (exactly those the rule lets read it), but its author, that the viewer sees. */
  private readers(
    viewer: Viewer,
    postId: string,
    acknowledged: boolean,
    manager: EntityManager = this.db.manager,
  ) {
    const visible = visibleUsers(viewer, 'u');
    return manager
      .createQueryBuilder()
      .select('u.id', 'id')
      .addSelect('u.sort_name', 'sort')
      .from('users', 'u')
      .where(
        `EXISTS (SELECT 1 FROM posts p WHERE p.id = :ackPostId AND p.author_id <> u.id AND ${readersOfPost('u', 'p')})`,
        { ackPostId: postId },
      )
      .andWhere(
        `${acknowledged ? '' : 'NOT '}EXISTS (SELECT 1 FROM post_acknowledgements pa WHERE pa.post_id = :ackPostId AND pa.user_id = u.id)`,
      )
      .andWhere(visible.sql, visible.params);
  }

  async page(
    viewer: Viewer,
    post: PostObject,
    args: { acknowledged: boolean; first?: number; after?: string },
  ): Promise<Page<string>> {
    const limit = pageSize(args.first);
    const qb = this.readers(viewer, post.id, args.acknowledged);
    const after = decodeCursor(args.after, 2);
    if (after) {
      const [sort, id] = after;
      if (typeof sort !== 'string' || typeof id !== 'string' || !isUuid(id))
        throw badInput('after', 'Invalid cursor');
      qb.andWhere('(u.sort_name, u.id) > (:afterSort, :afterId)', { afterSort: sort, afterId: id });
    }
    const rows: { id: string; sort: string }[] = await qb
      .orderBy('u.sort_name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit + 1)
      .getRawMany();
    return toPage(
      rows,
      limit,
      (r) => [r.sort, r.id],
      (r) => r.id,
      async () => {
        const { n } = (await this.readers(viewer, post.id, args.acknowledged)
          .select('count(*)::int', 'n')
          .getRawOne<{ n: number }>())!;
        return n;
      },
    );
  }

  /** The author reminds, once, those who have not acknowledged; the pipeline keeps quiet hours. */
  async remind(viewer: Viewer, postId: string): Promise<number> {
    const post = await this.posts.get(viewer, postId);
    if (post.authorId !== viewer.id) throw forbidden('Only its author sends a reminder');
    if (!post.acknowledgementRequired)
      throw badInput('postId', 'This post does not ask for an acknowledgement');
    return this.db.transaction(async (manager) => {
      const claimed: unknown[] = await manager.query(
        'INSERT INTO acknowledgement_reminders (post_id, recipients) VALUES ($1, 0) ON CONFLICT DO NOTHING RETURNING post_id',
        [post.id],
      );
      if (!claimed.length) throw conflict('postId', 'A reminder was already sent for this post');
      const rows: { id: string }[] = await this.readers(
        viewer,
        post.id,
        false,
        manager,
      ).getRawMany();
      const ids = rows.map((r) => r.id);
      await manager.query(
        'UPDATE acknowledgement_reminders SET recipients = $2 WHERE post_id = $1',
        [post.id, ids.length],
      );
      if (ids.length)
        await this.notify.emit(manager, {
          type: 'ACKNOWLEDGEMENT_REQUESTED',
          actorId: viewer.id,
          recipientIds: ids,
          postId: post.id,
        });
      return ids.length;
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { groupAccess, readableMessages, readablePosts } from '@ruche/access';
import {
  isUuid,
  badInput,
  decodeCursor,
  pageSize,
  toPage,
  type Page,
  type Viewer,
} from '@ruche/common';
import { NotificationEntity } from './entities/notification.entity.js';
import type { NotificationObject, NotificationType } from './graphql/notification.objects.js';

export type NotificationPage = Page<NotificationObject> & { unreadCount: number };

export function toNotificationObject(n: NotificationEntity): NotificationObject {
  return {
    id: n.id,
    type: n.type as NotificationType,
    readAt: n.readAt,
    createdAt: n.createdAt,
    actorId: n.actorId,
    groupId: n.groupId,
    postId: n.postId,
    commentId: n.commentId,
    reportId: n.reportId,
  };
}

/** The viewer's notifications: listed newest first, counted, marked read. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The viewer's notifications whose object they may still see: one written at a time they could
   * (the worker checked) is left out once they cannot — removed from a SECRET group, the post
   * deleted or its audience no longer including them, the comment deleted (DESIGN.md: a hidden
   * activity is left out, not shown emptied).
   */
  private mine(viewer: Viewer): SelectQueryBuilder<NotificationEntity> {
    const group = groupAccess(viewer, 'ng');
    const post = readablePosts(viewer, 'np');
    const message = readableMessages(viewer, 'nm');
    return this.db.manager
      .createQueryBuilder(NotificationEntity, 'n')
      .where('n.recipient_id = :recipientId', { recipientId: viewer.id })
      .andWhere(
        `(n.group_id IS NULL OR EXISTS (SELECT 1 FROM groups ng WHERE ng.id = n.group_id AND ${group.see.sql}))`,
        group.see.params,
      )
      .andWhere(
        `(n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts np WHERE np.id = n.post_id AND ${post.sql}))`,
        post.params,
      )
      .andWhere(
        '(n.comment_id IS NULL OR EXISTS (SELECT 1 FROM comments nc WHERE nc.id = n.comment_id AND nc.deleted_at IS NULL))',
      )
      .andWhere(
        `(n.message_id IS NULL OR EXISTS (SELECT 1 FROM messages nm WHERE nm.id = n.message_id AND ${message.sql}))`,
        message.params,
      );
  }

  async list(
    viewer: Viewer,
    args: { unreadOnly?: boolean | null; first?: number; after?: string },
  ): Promise<NotificationPage> {
    const limit = pageSize(args.first);
    const qb = this.mine(viewer);
    const unread = this.mine(viewer).andWhere('n.read_at IS NULL');
    if (args.unreadOnly) qb.andWhere('n.read_at IS NULL');
    const after = decodeCursor(args.after, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !isUuid(after[1]))
        throw badInput('after', 'Invalid cursor');
      qb.andWhere('(n.created_at, n.id) < (:afterAt::timestamptz, :afterId::uuid)', {
        afterAt: after[0],
        afterId: after[1],
      });
    }
    const [{ entities, raw }, unreadCount] = await Promise.all([
      qb
        .addSelect('n.created_at::text', 'created_key')
        .orderBy('n.created_at', 'DESC')
        .addOrderBy('n.id', 'DESC')
        .limit(limit + 1)
        .getRawAndEntities<{ n_id: string; created_key: string }>(),
      unread.getCount(),
    ]);
    const keys = new Map(raw.map((r) => [r.n_id, r.created_key]));
    return {
      ...toPage(entities, limit, (n) => [keys.get(n.id)!, n.id], toNotificationObject),
      unreadCount,
    };
  }

  /** Marks the viewer's notifications read (all of them when `ids` is null); returns how many changed. */
  async markRead(viewer: Viewer, ids: string[] | null | undefined): Promise<number> {
    if (ids) {
      if (ids.length > 500) throw badInput('ids', 'At most 500 ids');
      const valid = ids.filter(isUuid);
      if (!valid.length) return 0;
      const [row]: { n: number }[] = await this.db.query(
        `WITH marked AS (UPDATE notifications SET read_at = now()
           WHERE recipient_id = $1 AND read_at IS NULL AND id = ANY($2::uuid[]) RETURNING id)
         SELECT count(*)::int AS n FROM marked`,
        [viewer.id, valid],
      );
      return row.n;
    }
    const [row]: { n: number }[] = await this.db.query(
      `WITH marked AS (UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL RETURNING id)
       SELECT count(*)::int AS n FROM marked`,
      [viewer.id],
    );
    return row.n;
  }
}

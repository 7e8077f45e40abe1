import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import {
  badInput,
  isUuid,
  loader,
  notFound,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { UsersService } from '@ruche/identity';
import { NotifyService } from '@ruche/notify';

interface Counts {
  followers: number;
  following: number;
}

/** Who follows whom. Counts and the viewer's own follows are loaded in batches per request. */
@Injectable()
export class SocialGraphService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly notify: NotifyService,
  ) {}

  async follow(viewer: Viewer, userId: string): Promise<void> {
    if (userId === viewer.id) throw badInput('userId', 'You cannot follow yourself');
    if (!(await this.users.isVisibleActive(viewer, userId))) throw notFound('No such user');
    await this.db.transaction(async (manager) => {
      const added: unknown[] = await manager.query(
        'INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING follower_id',
        [viewer.id, userId],
      );
      // Following again someone already followed notifies no one.
      if (added.length)
        await this.notify.emit(manager, {
          type: 'FOLLOW',
          actorId: viewer.id,
          recipientIds: [userId],
        });
    });
  }

  async unfollow(viewer: Viewer, userId: string): Promise<void> {
    if (userId === viewer.id) throw badInput('userId', 'You cannot follow yourself');
    if (!isUuid(userId)) throw notFound('No such user');
    // Unfollowing someone who has since disappeared from view still works.
    await this.db.query('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [
      viewer.id,
      userId,
    ]);
  }

  /** Followers and following counts of people, through the two indexes of follows. */
  counts(ctx: RequestContext): DataLoader<string, Counts> {
    return loader(
      ctx,
      'follows.counts',
      () =>
        new DataLoader<string, Counts>(async (ids) => {
          const rows: { id: string; followers: number; following: number }[] = await this.db.query(
            `SELECT x.id,
                  (SELECT count(*)::int FROM follows f WHERE f.followee_id = x.id) AS followers,
                  (SELECT count(*)::int FROM follows f WHERE f.follower_id = x.id) AS following
             FROM unnest($1::uuid[]) AS x(id)`,
            [ids],
          );
          const byId = new Map(rows.map((r) => [r.id, r]));
          return ids.map((id) => byId.get(id) ?? { followers: 0, following: 0 });
        }),
    );
  }

  /** Does the viewer follow each of these people? */
  viewerFollows(ctx: RequestContext): DataLoader<string, boolean> {
    return loader(
      ctx,
      'follows.viewer',
      () =>
        new DataLoader<string, boolean>(async (ids) => {
          if (!ctx.viewer) return ids.map(() => false);
          const rows: { followee_id: string }[] = await this.db.query(
            'SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2::uuid[])',
            [ctx.viewer.id, ids],
          );
          const followed = new Set(rows.map((r) => r.followee_id));
          return ids.map((id) => followed.has(id));
        }),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import {
  ACTIVITY_AUDIENCE_SIZE_SQL,
  ACTIVITY_AUDIENCE_SQL,
  perViewer,
  readableActivities,
} from '@ruche/access';
import type { Viewer } from '@ruche/common';
import { AppConfig } from '@ruche/config';
import {
  HandlesQueue,
  RedisPubSub,
  type FanoutJob,
  type JobHandler,
  type JobResult,
} from '@ruche/queue';
import { TimelinesService } from './timelines.service.js';

const BATCH = 500;
export const HOME_FEED_TOPIC = 'home-feed';

/** What `homeFeedUpdated` carries between processes: the id; the API judges it again per subscriber. */
export interface HomeFeedMessage {
  activityId: string;
}

/**
 * The fan-out job: the activity's audience (actor, followers, the group's ACTIVE members, the wall
 * owner), kept to those who may read it now (the access predicate, per batch and role), gets its id
 * in their timelines and a live update. An audience above FEED_FANOUT_MAX is not copied: the activity
 * is marked `broadcast` and merged into feeds at read time. Idempotent (ZADD of the same member);
 * `skipped` when the activity is gone.
 */
@Injectable()
@HandlesQueue('fanout')
export class FanoutJobHandler implements JobHandler<'fanout'> {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly timelines: TimelinesService,
    private readonly pubsub: RedisPubSub,
    private readonly config: AppConfig,
  ) {}

  async handle(job: Job<FanoutJob>): Promise<JobResult> {
    const { activityId } = job.data;
    const [activity] = await this.db.query<{ id: string; broadcast: boolean; created_at: Date }[]>(
      `SELECT id, broadcast, created_at FROM activities WHERE id = $1`,
      [activityId],
    );
    if (!activity) return 'skipped';
    if (activity.broadcast) return 'done';
    const [{ n }] = await this.db.query<{ n: number }[]>(ACTIVITY_AUDIENCE_SIZE_SQL, [activityId]);
    if (n > this.config.FEED_FANOUT_MAX) {
      await this.db.query(`UPDATE activities SET broadcast = true WHERE id = $1`, [activityId]);
      return 'done';
    }
    const audience = (
      await this.db.query<{ id: string }[]>(ACTIVITY_AUDIENCE_SQL, [activityId])
    ).map((r) => r.id);
    const ms = new Date(activity.created_at).getTime();
    for (let i = 0; i < audience.length; i += BATCH) {
      const readers = await this.readers(activityId, audience.slice(i, i + BATCH));
      await this.timelines.push(readers, activityId, ms);
      await Promise.all(
        readers.map((r) =>
          this.pubsub
            .publish(HOME_FEED_TOPIC, r, { activityId } satisfies HomeFeedMessage)
            .catch(() => undefined),
        ),
      );
    }
    return 'done';
  }

  /** Those of `ids` who may read the activity now: one query per role (the rule differs for guests). */
  private async readers(activityId: string, ids: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const role of ['ADMIN', 'MEMBER', 'GUEST'] as const) {
      const sample: Viewer = { id: '', sessionId: '', role, status: 'ACTIVE' };
      const rule = perViewer(readableActivities(sample, 'a'), 'u.id');
      const rows = await this.db.query<{ id: string }[]>(
        `SELECT u.id FROM users u WHERE u.id = ANY($1::uuid[]) AND u.status = 'ACTIVE' AND u.role = $2
            AND EXISTS (SELECT 1 FROM activities a WHERE a.id = $3 AND ${rule})`,
        [ids, role, activityId],
      );
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }
}

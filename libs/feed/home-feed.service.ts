import { Injectable } from '@nestjs/common';
import { homeFeedSources, mergedAtRead, readableActivities } from '@ruche/access';
import {
  badInput,
  decodeCursor,
  isUuid,
  pageSize,
  toPage,
  type Page,
  type Viewer,
} from '@ruche/common';
import { HotReads, statements } from '@ruche/database';
import type { ActivityVerbName } from './entities/activity.entity.js';
import { TimelinesService } from './timelines.service.js';

/** An activity as the API shows it: ids of its objects, resolved by the domains' loaders. */
export interface ActivityView {
  id: string;
  verb: ActivityVerbName;
  actorId: string;
  postId: string | null;
  commentId: string | null;
  groupId: string | null;
  createdAt: Date;
}

interface ActivityRow {
  id: string;
  verb: ActivityVerbName;
  actor_id: string;
  post_id: string | null;
  comment_id: string | null;
  group_id: string | null;
  created_at: Date;
}

const toView = (a: ActivityRow): ActivityView => ({
  id: a.id,
  verb: a.verb,
  actorId: a.actor_id,
  postId: a.post_id,
  commentId: a.comment_id,
  groupId: a.group_id,
  createdAt: a.created_at,
});

type Shape = 'full' | 'window' | 'one';

/** Timeline rebuilds running at once in one process. */
const REBUILDS_AT_ONCE = 2;

/**
 * The feed's statements, one per role, status, shape and cursor: the viewer's home feed (sources
 * and rule) newest first after the cursor, optionally kept to a timeline window, or one activity.
 */
const statement = statements((key) => {
  const [role, status, shape, paged] = key.split('/') as [
    Viewer['role'],
    Viewer['status'],
    Shape,
    string,
  ];
  const viewer: Viewer = { id: '', sessionId: '', role, status };
  const rule = readableActivities(viewer, 'a').sql;
  const columns = 'a.id, a.verb, a.actor_id, a.post_id, a.comment_id, a.group_id, a.created_at';
  if (shape === 'one') return `SELECT ${columns} FROM activities a WHERE a.id = :id AND ${rule}`;
  const where = [homeFeedSources(viewer, 'a').sql, rule];
  if (paged === 'after') where.push('(a.created_at, a.id) < (:afterAt, :afterId)');
  if (shape === 'window')
    where.push(
      `a.id IN (SELECT unnest(CAST(:candidates AS uuid[])) UNION ALL ${mergedAtRead(viewer).sql})`,
      'a.created_at > :floor',
    );
  return `SELECT ${columns} FROM activities a WHERE ${where.join(' AND ')}
    ORDER BY a.created_at DESC, a.id DESC LIMIT :limit`;
});

type Cursor = { at: string; id: string } | null;

/** How the last page was answered (tests and the bench look at it). */
export type FeedPath = 'timeline' | 'rebuild' | 'postgres';

/**
 * The home feed. PostgreSQL is the truth, Redis a list of candidates:
 * - a page is always ONE query over `activities` that ANDs where it comes from (`homeFeedSources`:
 *   own, wall, followed people, joined groups, announcements — judged now) and who may read it
 *   (`readableActivities`), newest first by the keyset (created_at, id);
 * - with a warm timeline, that query only looks at the timeline's ids plus what is merged at read
 *   time (`mergedAtRead`: broadcast activities, own, wall), above the oldest timeline id fetched —
 *   primary-key probes instead of a walk of every activity; when that window cannot fill the page
 *   (end of the timeline, items filtered out) the page is answered by the full query instead;
 * - a missing timeline: the first page is answered by the full query, and the timeline is rebuilt
 *   behind it from the same query (the latest FEED_TIMELINE_CAP items); Redis down or slow: the
 *   full query alone.
 * So an unfollow, a removal from a group, a suspension or a group made SECRET shows at the very next
 * read, whatever the timelines hold; a timeline only misses items until their fan-out runs.
 */
@Injectable()
export class HomeFeedService {
  lastPath: FeedPath = 'postgres';

  constructor(
    private readonly hot: HotReads,
    private readonly timelines: TimelinesService,
  ) {}

  /** Activities of the viewer's home feed (sources and rule), newest first after the cursor. */
  private base(
    viewer: Viewer,
    after: Cursor,
    limit: number,
    window?: { candidates: string[]; floor: string },
  ): Promise<ActivityRow[]> {
    const shape = window ? 'window' : 'full';
    const key = `${viewer.role}/${viewer.status}/${shape}/${after ? 'after' : 'first'}`;
    return this.hot.run<ActivityRow>(statement(key), {
      accessViewerId: viewer.id,
      limit,
      ...(after ? { afterAt: after.at, afterId: after.id } : {}),
      ...(window ? { ...window, mergedFloor: window.floor } : {}),
    });
  }

  private cursor(after: string | undefined): Cursor {
    const c = decodeCursor(after, 2);
    if (!c) return null;
    const [at, id] = c;
    if (
      typeof at !== 'string' ||
      Number.isNaN(Date.parse(at)) ||
      typeof id !== 'string' ||
      !isUuid(id)
    )
      throw badInput('after', 'Invalid cursor');
    return { at, id };
  }

  async homeFeed(
    viewer: Viewer,
    args: { first?: number; after?: string },
  ): Promise<Page<ActivityView>> {
    const limit = pageSize(args.first);
    const after = this.cursor(args.after);
    const rows = await this.rows(viewer, after, limit + 1);
    return toPage(rows, limit, (a) => [a.created_at.toISOString(), a.id], toView);
  }

  private async rows(viewer: Viewer, after: Cursor, want: number): Promise<ActivityRow[]> {
    if (viewer.status !== 'ACTIVE') return [];
    const windowSize = want * 2 + 20;
    const window = await this.timelines.read(
      viewer.id,
      after ? Date.parse(after.at) : null,
      windowSize,
    );
    if (!window) {
      this.lastPath = 'postgres';
      return this.base(viewer, after, want);
    }
    if (!window.exists) {
      if (after) {
        this.lastPath = 'postgres';
        return this.base(viewer, after, want);
      }
      // Cold: the first page from PostgreSQL now (the newest-first walk stops at the page), the
      // timeline (the latest FEED_TIMELINE_CAP items, a longer walk) rebuilt behind it.
      this.rebuild(viewer);
      this.lastPath = 'rebuild';
      return this.base(viewer, null, want);
    }
    if (window.lastScore === null) {
      // Nothing in the timeline below the cursor: it cannot say what is older.
      this.lastPath = 'postgres';
      return this.base(viewer, after, want);
    }
    const ids = window.ids.filter(isUuid);
    // Below the window's oldest id the timeline says nothing (not read, trimmed by the cap): nothing
    // older may enter this page, or a merged item could jump over a timeline item not read yet.
    const floor = new Date(window.lastScore).toISOString();
    const rows = await this.base(viewer, after, want, { candidates: ids, floor });
    if (rows.length === want) {
      this.lastPath = 'timeline';
      return rows;
    }
    // The window could not fill the page (the timeline's end, or items filtered out): the full query.
    this.lastPath = 'postgres';
    return this.base(viewer, after, want);
  }

  /** Users whose timeline this process is rebuilding (one rebuild at a time per user). */
  private readonly rebuilding = new Set<string>();
  /** How many rebuilds this process runs now. */
  get rebuildsRunning(): number {
    return this.rebuilding.size;
  }
  /** The last rebuild started (tests wait for it). */
  lastRebuild: Promise<void> = Promise.resolve();

  private rebuild(viewer: Viewer): void {
    // A burst of cold readers (the morning after a Redis restart) must not all walk `activities` at
    // once: beyond REBUILDS_AT_ONCE the timeline stays missing and the next read tries again (each
    // read is answered from PostgreSQL meanwhile). At 5M posts a rebuild walks for 2–7 s.
    if (this.rebuilding.has(viewer.id) || this.rebuilding.size >= REBUILDS_AT_ONCE) return;
    this.rebuilding.add(viewer.id);
    this.lastRebuild = this.base(viewer, null, this.timelines.cap)
      .then(async (all) => {
        await this.timelines.fill(
          viewer.id,
          all.map((a) => ({ id: a.id, ms: a.created_at.getTime() })),
        );
      })
      // A failed rebuild leaves the timeline missing: the next read tries again.
      .catch(() => undefined)
      .finally(() => this.rebuilding.delete(viewer.id));
  }

  /** An activity's facts whoever may read them: workers decide with them who to ask `one` for. */
  async facts(id: string): Promise<ActivityView | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.hot.db.query<ActivityRow[]>(
      'SELECT id, verb, actor_id, post_id, comment_id, group_id, created_at FROM activities WHERE id = $1',
      [id],
    );
    return row ? toView(row) : null;
  }

  /** One activity, if it is in the viewer's feed's rule (for live updates). */
  async one(viewer: Viewer, id: string): Promise<ActivityView | null> {
    if (!isUuid(id)) return null;
    const key = `${viewer.role}/${viewer.status}/one/first`;
    const [row] = await this.hot.run<ActivityRow>(statement(key), {
      accessViewerId: viewer.id,
      id,
    });
    return row ? toView(row) : null;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { IsNull, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { HotReads } from '@ruche/database';
import { readablePosts } from '@ruche/access';
import {
  accessLoader,
  badInput,
  decodeCursor,
  isUuid,
  loader,
  pageSize,
  toPage,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { FeedService } from '@ruche/feed';
import { GroupsService, type GroupPermissionName } from '@ruche/groups';
import { AttachmentsService } from '@ruche/storage';
import { UsersService } from '@ruche/identity';
import { NotifyService } from '@ruche/notify';
import { ContentErrors } from './content.errors.js';
import {
  extractHashtags,
  extractMentions,
  LIMITS,
  normalizeTag,
  renderMarkdown,
} from './content.rules.js';
import { ContentRevisionEntity } from './entities/content-revision.entity.js';
import { PostEntity } from './entities/post.entity.js';
import { PollOptionEntity, PollVoteEntity } from './entities/poll.entity.js';
import type { CreatePostInput } from './graphql/content.inputs.js';
import {
  AudienceKind,
  type PollObject,
  type PostObject,
  type ReactionSummaryObject,
} from './graphql/content.objects.js';

/**
 * What every page of posts reads with them, in the same statement: the live comments and the
 * reactions per emoji (in the order each first came) with the viewer's own.
 */
const COUNTED = {
  comments: 'SELECT count(*)::int FROM comments c WHERE c.post_id = p.id AND c.deleted_at IS NULL',
  reactions: `SELECT coalesce(json_agg(json_build_object('emoji', r.emoji, 'count', r.n, 'viewerReacted', r.mine) ORDER BY r.first, r.emoji), '[]'::json)
    FROM (SELECT emoji, count(*)::int AS n, bool_or(user_id = :accessViewerId) AS mine, min(created_at) AS first
            FROM reactions WHERE subject_id = p.id GROUP BY emoji) r`,
};

/** A row of a page read with COUNTED. */
function countedPost(r: { entity: PostEntity; extra: Record<string, unknown> }): PostObject {
  return {
    ...toPostObject(r.entity),
    counted: {
      comments: r.extra.comments as number,
      reactions: r.extra.reactions as ReactionSummaryObject[],
    },
  };
}

export function toPostObject(p: PostEntity): PostObject {
  return {
    id: p.id,
    body: p.body,
    bodyHtml: p.bodyHtml,
    hashtags: p.hashtags,
    isAnnouncement: p.isAnnouncement,
    pinned: p.pinned,
    createdAt: p.createdAt,
    editedAt: p.editedAt,
    acknowledgementRequired: p.acknowledgementRequired,
    hidden: p.hiddenAt !== null,
    hiddenReason: p.hiddenAt !== null ? p.hiddenReason : null,
    authorId: p.authorId,
    wallOwnerId: p.wallOwnerId,
    groupId: p.groupId,
    audienceKind: p.audience,
    audienceUserIds: p.audienceUserIds,
    audienceGroupIds: p.audienceGroupIds,
    mentionIds: p.mentionIds,
    hasPoll: p.pollMultipleChoice !== null,
    pollMultipleChoice: p.pollMultipleChoice ?? false,
    pollClosesAt: p.pollClosesAt,
  };
}

/** What the viewer may do to a post (or its comments) beyond reading it. */
export interface PostRights {
  edit: boolean;
  delete: boolean;
  /** Deletes others' comments: the wall owner, or a holder of MODERATE in the group. */
  moderate: boolean;
  comment: boolean;
  react: boolean;
  pin: boolean;
}

/**
 * The rights of DESIGN.md and docs/content.md, from the post and the viewer's permissions in its
 * group (null when the post stands on a wall). The viewer already reads the post.
 */
export function rightsOn(
  viewer: Viewer,
  post: Pick<PostObject, 'authorId' | 'wallOwnerId' | 'groupId' | 'audienceKind'>,
  held: readonly GroupPermissionName[] | null,
): PostRights {
  const inGroup = post.groupId !== null;
  const has = (p: GroupPermissionName) => (held ?? []).includes(p);
  const admin = viewer.role === 'ADMIN' && viewer.status === 'ACTIVE';
  const moderate = post.wallOwnerId === viewer.id || (inGroup && has('MODERATE'));
  return {
    edit: post.authorId === viewer.id,
    delete: post.authorId === viewer.id || moderate,
    moderate,
    comment: inGroup ? has('COMMENT') : true,
    react: inGroup ? has('REACT') : true,
    pin: inGroup ? has('PIN') : admin && post.audienceKind === 'NETWORK',
  };
}

export type Place =
  { wallOwnerId: string } | { groupId: string } | { company: true } | { hashtag: string };

/** Posts: writing them, and every list of them, each through the access predicate of @ruche/access. */
@Injectable()
export class PostsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly attachments: AttachmentsService,
    private readonly notify: NotifyService,
    private readonly feed: FeedService,
    private readonly hot: HotReads,
  ) {}

  /** The posts the viewer may read: the place is filtered first by the caller, then this ANDs the rule. */
  private readable(
    viewer: Viewer,
    manager: EntityManager = this.db.manager,
  ): SelectQueryBuilder<PostEntity> {
    const rule = readablePosts(viewer, 'p');
    return manager.createQueryBuilder(PostEntity, 'p').andWhere(rule.sql, rule.params);
  }

  /** The per-request loader of readable posts by id (null = not readable, not there, or deleted). */
  loader(ctx: RequestContext): DataLoader<string, PostObject | null> {
    return accessLoader(ctx, 'posts.byId', async (viewer, ids) => {
      const rule = readablePosts(viewer, 'p');
      const where = `${rule.sql} AND p.id = ANY(CAST(:ids AS uuid[]))`;
      const params = { ...rule.params, ids, accessViewerId: viewer.id };
      return (await this.hot.find(PostEntity, 'p', where, params, COUNTED)).map(countedPost);
    });
  }

  /** A readable post, fresh (mutations), or NOT_FOUND. */
  async get(
    viewer: Viewer,
    id: string,
    manager: EntityManager = this.hot.db.manager,
  ): Promise<PostEntity> {
    if (!isUuid(id)) throw ContentErrors.postNotFound();
    const row = await this.readable(viewer, manager).andWhere('p.id = :id', { id }).getOne();
    if (!row) throw ContentErrors.postNotFound();
    return row;
  }

  /** The viewer's rights on a readable post, fresh (mutations). */
  async rights(viewer: Viewer, post: PostEntity): Promise<PostRights> {
    const held = post.groupId
      ? ((await this.groups.standing(viewer, post.groupId))?.permissions ?? [])
      : null;
    return rightsOn(viewer, toPostObject(post), held);
  }

  /** The viewer's rights on posts of a listing, from batched loaders. */
  async rightsIn(ctx: RequestContext, post: PostObject): Promise<PostRights> {
    let held: GroupPermissionName[] | null = null;
    if (post.groupId) {
      const group = await this.groups.loader(ctx).load(post.groupId);
      held = group ? await this.groups.viewerPermissions(ctx, group) : [];
    }
    return rightsOn(ctx.viewer!, post, held);
  }

  // ------------------------------------------------------------------ lists

  /**
   * One page of the posts standing in a place that the viewer may read: one query, the place's
   * index walked in order (wall: created_at; group and company feed: pinned first), the rule ANDed.
   */
  async list(
    viewer: Viewer,
    place: Place,
    args: { first?: number; after?: string },
  ): Promise<Page<PostObject>> {
    const limit = pageSize(args.first);
    const pinnedFirst = 'groupId' in place || 'company' in place;
    const { where, params } = this.pageWhere(viewer, place, args);
    const rows = (await this.hot.find(PostEntity, 'p', where, params, COUNTED)).map(countedPost);
    const key = (p: PostObject) => {
      const at = p.createdAt.toISOString();
      return pinnedFirst ? [p.pinned ? 1 : 0, at, p.id] : [at, p.id];
    };
    return toPage(rows, limit, key, (p) => p);
  }

  /** The page query itself, as sent (bench/content-explain.mjs runs EXPLAIN on exactly this SQL). */
  pageQuery(
    viewer: Viewer,
    place: Place,
    args: { first?: number; after?: string },
  ): { sql: string; params: unknown[] } {
    const { where, params } = this.pageWhere(viewer, place, args);
    const statement = this.hot.statement(PostEntity, 'p', where, COUNTED);
    return { sql: statement.text, params: statement.values(params) };
  }

  /**
   * The page's WHERE (with its ORDER BY and LIMIT): the place's index walked in order, the rule
   * ANDed. Its text depends only on the place's kind, the viewer's role and the cursor's presence
   * (a handful of prepared statements on the hot pool), never on values.
   */
  private pageWhere(
    viewer: Viewer,
    place: Place,
    args: { first?: number; after?: string },
  ): { where: string; params: Record<string, unknown> } {
    const limit = pageSize(args.first);
    const where = ['p.deleted_at IS NULL'];
    const params: Record<string, unknown> = { limit: limit + 1, accessViewerId: viewer.id };
    const pinnedFirst = 'groupId' in place || 'company' in place;
    if ('wallOwnerId' in place) {
      where.push('p.wall_owner_id = :placeId');
      params.placeId = place.wallOwnerId;
    } else if ('groupId' in place) {
      where.push('p.group_id = :placeId');
      params.placeId = place.groupId;
    } else if ('company' in place) {
      where.push("p.audience = 'NETWORK'");
      // A guest reads a NETWORK post only as its author or wall owner (the rule, ANDed below, decides):
      // saying so lets the planner skip the walk of every company post.
      if (viewer.role === 'GUEST') {
        where.push('(p.author_id = :guestId OR p.wall_owner_id = :guestId)');
        params.guestId = viewer.id;
      }
    } else {
      where.push('p.hashtags @> ARRAY[CAST(:tag AS text)]');
      params.tag = place.hashtag;
    }
    const after = decodeCursor(args.after, pinnedFirst ? 3 : 2);
    if (after) {
      const [at, id] = after.slice(-2);
      if (
        typeof at !== 'string' ||
        Number.isNaN(Date.parse(at)) ||
        typeof id !== 'string' ||
        !isUuid(id)
      )
        throw badInput('after', 'Invalid cursor');
      Object.assign(params, { afterAt: at, afterId: id });
      if (pinnedFirst) {
        where.push(
          '(p.pinned, p.created_at, p.id) < (:afterPinned, CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        );
        params.afterPinned = after[0] === 1;
      } else
        where.push(
          '(p.created_at, p.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        );
    }
    const rule = readablePosts(viewer, 'p');
    where.push(rule.sql);
    Object.assign(params, rule.params);
    const order = pinnedFirst ? 'p.pinned DESC, p.created_at DESC' : 'p.created_at DESC';
    return { where: `${where.join(' AND ')} ORDER BY ${order}, p.id DESC LIMIT :limit`, params };
  }

  wall(viewer: Viewer, userId: string, args: { first?: number; after?: string }) {
    return this.list(viewer, { wallOwnerId: userId }, args);
  }

  groupFeed(viewer: Viewer, groupId: string, args: { first?: number; after?: string }) {
    return this.list(viewer, { groupId }, args);
  }

  companyFeed(viewer: Viewer, args: { first?: number; after?: string }) {
    return this.list(viewer, { company: true }, args);
  }

  byHashtag(viewer: Viewer, tag: string, args: { first?: number; after?: string }) {
    const normalized = normalizeTag(tag.trim());
    if (!/^[\p{L}\p{M}\p{N}_]+$/u.test(normalized))
      throw badInput('tag', 'tag must be letters, digits or _');
    return this.list(viewer, { hashtag: normalized }, args);
  }

  // ------------------------------------------------------------------ writes

  /** Mentioned handles → ids of the ACTIVE people the author may see (a mention grants nothing). */
  async mentionIds(viewer: Viewer, body: string): Promise<string[]> {
    const handles = extractMentions(body);
    if (!handles.length) return [];
    const found = await this.users.visibleActive(viewer, { handles });
    const byHandle = new Map(found.map((u) => [u.handle, u.id]));
    return handles.flatMap((h) => byHandle.get(h) ?? []);
  }

  async create(viewer: Viewer, input: CreatePostInput): Promise<PostObject> {
    if (!input.body.trim()) throw ContentErrors.blank('body');
    const { audience } = input;
    const guest = viewer.role === 'GUEST';
    let groupId: string | null = null;
    let wallOwnerId: string | null = null;
    let userIds: string[] = [];
    let groupIds: string[] = [];

    if (audience.kind === AudienceKind.GROUP) {
      if (!audience.groupId) throw badInput('audience.groupId', 'A GROUP audience needs groupId');
      if (input.wallOwnerId)
        throw badInput('wallOwnerId', 'A group post stands in the group, not on a wall');
      const standing = await this.groups.standing(viewer, audience.groupId);
      if (!standing) throw ContentErrors.groupNotFound('audience.groupId');
      if (!standing.permissions.includes('POST')) throw ContentErrors.lacks('POST');
      if (input.isAnnouncement && standing.role !== 'OWNER' && standing.role !== 'ADMIN')
        throw ContentErrors.announcement();
      groupId = audience.groupId;
    } else {
      if (audience.groupId) throw badInput('audience.groupId', 'groupId is for a GROUP audience');
      if (
        guest &&
        (audience.kind === AudienceKind.NETWORK || audience.kind === AudienceKind.FOLLOWERS)
      )
        throw ContentErrors.guestAudience();
      if (
        input.isAnnouncement &&
        !(viewer.role === 'ADMIN' && audience.kind === AudienceKind.NETWORK)
      )
        throw ContentErrors.announcement();
      wallOwnerId = input.wallOwnerId ?? viewer.id;
      if (
        wallOwnerId !== viewer.id &&
        !(await this.users.visibleActive(viewer, { ids: [wallOwnerId] })).length
      ) {
        throw ContentErrors.userNotFound('wallOwnerId');
      }
    }
    if (audience.kind === AudienceKind.CUSTOM) {
      userIds = [...new Set(audience.userIds ?? [])];
      groupIds = [...new Set(audience.groupIds ?? [])];
      if (!userIds.length && !groupIds.length)
        throw badInput('audience.userIds', 'A CUSTOM audience names people or groups');
      const found = new Set(
        (await this.users.visibleActive(viewer, { ids: userIds })).map((u) => u.id),
      );
      if (userIds.some((id) => !found.has(id)))
        throw ContentErrors.userNotFound('audience.userIds');
      for (const id of groupIds) {
        if (!(await this.groups.standing(viewer, id)))
          throw ContentErrors.groupNotFound('audience.groupIds');
      }
    } else if (audience.userIds?.length || audience.groupIds?.length) {
      throw badInput('audience.userIds', 'userIds and groupIds are for a CUSTOM audience');
    }
    const poll = input.poll;
    let options: string[] = [];
    if (poll) {
      options = poll.options.map((o) => o.trim());
      const blank = options.findIndex((o) => !o);
      if (blank >= 0) throw badInput('poll.options', 'Poll options must not be blank');
      if (new Set(options.map((o) => o.toLowerCase())).size !== options.length)
        throw badInput('poll.options', 'Poll options must differ');
      if (poll.closesAt && poll.closesAt.getTime() <= Date.now())
        throw badInput('poll.closesAt', 'closesAt must be in the future');
    }
    // Only an announcement (network admins, group owners and admins: checked above) asks for it.
    if (input.acknowledgementRequired && !input.isAnnouncement)
      throw badInput(
        'acknowledgementRequired',
        'Only an announcement (isAnnouncement) may require an acknowledgement',
      );
    const mentionIds = await this.mentionIds(viewer, input.body);

    const id = await this.db.transaction(async (manager) => {
      const post = await manager.save(
        manager.create(PostEntity, {
          authorId: viewer.id,
          wallOwnerId,
          groupId,
          audience: audience.kind,
          audienceUserIds: userIds,
          audienceGroupIds: groupIds,
          body: input.body,
          bodyHtml: renderMarkdown(input.body),
          mentionIds,
          hashtags: extractHashtags(input.body),
          isAnnouncement: input.isAnnouncement ?? false,
          acknowledgementRequired: input.acknowledgementRequired ?? false,
          pinned: false,
          pollMultipleChoice: poll ? (poll.multipleChoice ?? false) : null,
          pollClosesAt: poll?.closesAt ?? null,
          editedAt: null,
          deletedAt: null,
        }),
      );
      if (options.length) {
        await manager.insert(
          PollOptionEntity,
          options.map((label, position) => ({ postId: post.id, position, label })),
        );
      }
      // The uploader's own unattached files only; a name already on the post becomes a new version.
      await this.attachments.attach(manager, viewer.id, input.attachmentIds ?? [], post.id);
      // A NETWORK announcement reaches everyone: merged into feeds at read time, never copied.
      const broadcast = audience.kind === AudienceKind.NETWORK && (input.isAnnouncement ?? false);
      await this.feed.record(manager, {
        verb: 'POSTED',
        actorId: viewer.id,
        postId: post.id,
        groupId,
        broadcast,
      });
      await this.notifyCreated(manager, viewer, post);
      return post.id;
    });
    return toPostObject(await this.get(viewer, id));
  }

  /**
   * A bot's post in its one group. The caller (@ruche/integrations) has authorised it: the
   * integration is live and belongs to `groupId`. A bot is no member and reads nothing, so there is
   * no standing to check; everything else is createPost's: the Markdown rendered and sanitized, the
   * activity and its fan-out, the group's notifications, in one transaction through the outbox.
   * A bot's mentions name ACTIVE accounts by handle (the notify job keeps those who may read it).
   */
  async createByBot(botId: string, groupId: string, body: string): Promise<{ id: string }> {
    if (!body.trim()) throw ContentErrors.blank('text');
    if (body.length > LIMITS.body)
      throw badInput('text', `text must be 1 to ${LIMITS.body} characters`);
    const handles = extractMentions(body);
    const mentionIds = handles.length ? await this.users.activeByHandles(handles) : [];
    const id = await this.db.transaction(async (manager) => {
      const post = await manager.save(
        manager.create(PostEntity, {
          authorId: botId,
          wallOwnerId: null,
          groupId,
          audience: AudienceKind.GROUP,
          audienceUserIds: [],
          audienceGroupIds: [],
          body,
          bodyHtml: renderMarkdown(body),
          mentionIds,
          hashtags: extractHashtags(body),
          isAnnouncement: false,
          pinned: false,
          pollMultipleChoice: null,
          pollClosesAt: null,
          editedAt: null,
          deletedAt: null,
        }),
      );
      await this.feed.record(manager, { verb: 'POSTED', actorId: botId, postId: post.id, groupId });
      await this.notifyCreated(manager, { id: botId }, post);
      return post.id;
    });
    return { id };
  }

  /**
   * The notifications of a new post, in its transaction (the worker keeps who may read it):
   * the mentioned (MENTION), the wall's owner when someone else posts there (WALL_POST), and an
   * audience the worker computes in chunks — the group's ACTIVE members (GROUP_POST), or for an
   * announcement the group's members or every ACTIVE non-guest of the network (ANNOUNCEMENT).
   */
  private async notifyCreated(
    manager: EntityManager,
    viewer: Pick<Viewer, 'id'>,
    post: PostEntity,
  ): Promise<void> {
    const base = { actorId: viewer.id, postId: post.id };
    if (post.mentionIds.length)
      await this.notify.emit(manager, { ...base, type: 'MENTION', recipientIds: post.mentionIds });
    if (post.wallOwnerId && post.wallOwnerId !== viewer.id) {
      await this.notify.emit(manager, {
        ...base,
        type: 'WALL_POST',
        recipientIds: [post.wallOwnerId],
      });
    }
    if (post.isAnnouncement) {
      await this.notify.emit(
        manager,
        post.groupId
          ? { ...base, type: 'ANNOUNCEMENT', groupId: post.groupId, audience: 'GROUP_MEMBERS' }
          : { ...base, type: 'ANNOUNCEMENT', audience: 'NETWORK' },
      );
    } else if (post.groupId) {
      await this.notify.emit(manager, {
        ...base,
        type: 'GROUP_POST',
        groupId: post.groupId,
        audience: 'GROUP_MEMBERS',
      });
    }
  }

  // ------------------------------------------------------------------ moderation (libs/governance)

  /**
   * A moderator's decision on a post or a comment, in the caller's transaction: hide (with the
   * reason its author reads), restore, or remove (deleted for everyone, its author included).
   * The caller checked that the viewer moderates the content's place.
   */
  async moderate(
    manager: EntityManager,
    target: { type: 'POST' | 'COMMENT'; id: string },
    decision: 'HIDE' | 'RESTORE' | 'REMOVE',
    reason: string | null,
  ): Promise<void> {
    const table = target.type === 'POST' ? 'posts' : 'comments';
    const set =
      decision === 'HIDE'
        ? 'hidden_at = now(), hidden_reason = $2'
        : decision === 'RESTORE'
          ? 'hidden_at = NULL, hidden_reason = NULL'
          : 'deleted_at = COALESCE(deleted_at, now())';
    const params: unknown[] = [target.id];
    if (decision === 'HIDE') params.push(reason);
    await manager.query(`UPDATE ${table} SET ${set} WHERE id = $1`, params);
  }

  /** The bodies a readable post had before its edits, oldest first (its edit history). */
  async revisions(
    post: PostObject,
  ): Promise<{ body: string; bodyHtml: string; replacedAt: Date }[]> {
    const rows = await this.db.getRepository(ContentRevisionEntity).find({
      where: { subjectId: post.id },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: 100,
    });
    return rows.map((r) => ({
      body: r.body,
      bodyHtml: renderMarkdown(r.body),
      replacedAt: r.createdAt,
    }));
  }

  async update(viewer: Viewer, id: string, body: string): Promise<PostObject> {
    if (!body.trim()) throw ContentErrors.blank('body');
    await this.db.transaction(async (manager) => {
      const post = await this.get(viewer, id, manager);
      if (post.authorId !== viewer.id) throw ContentErrors.authorOnly();
      await manager.insert(ContentRevisionEntity, {
        subjectId: post.id,
        postId: post.id,
        body: post.body,
        editedById: viewer.id,
      });
      const mentionIds = await this.mentionIds(viewer, body);
      const added = mentionIds.filter((m) => !post.mentionIds.includes(m));
      if (added.length)
        await this.notify.emit(manager, {
          type: 'MENTION',
          actorId: viewer.id,
          postId: post.id,
          recipientIds: added,
        });
      await manager.update(
        PostEntity,
        { id },
        {
          body,
          bodyHtml: renderMarkdown(body),
          mentionIds,
          hashtags: extractHashtags(body),
          editedAt: new Date(),
        },
      );
    });
    return toPostObject(await this.get(viewer, id));
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const post = await this.get(viewer, id);
    if (!(await this.rights(viewer, post)).delete) throw ContentErrors.cannotDelete();
    await this.db.manager.update(
      PostEntity,
      { id, deletedAt: IsNull() },
      { deletedAt: new Date() },
    );
    return true;
  }

  /** docs/content.md: PIN in the group for a group post; network admins for company-feed (NETWORK) posts. */
  async pin(viewer: Viewer, id: string, pinned: boolean): Promise<PostObject> {
    const post = await this.get(viewer, id);
    if (!post.groupId && post.audience !== 'NETWORK') throw ContentErrors.notPinnable();
    if (!(await this.rights(viewer, post)).pin) throw ContentErrors.cannotPin();
    await this.db.manager.update(PostEntity, { id }, { pinned });
    return toPostObject(await this.get(viewer, id));
  }

  // ------------------------------------------------------------------ polls

  async vote(viewer: Viewer, postId: string, optionIds: string[]): Promise<PollObject> {
    await this.db.transaction(async (manager) => {
      const post = await this.get(viewer, postId, manager);
      if (post.pollMultipleChoice === null) throw ContentErrors.noPoll();
      if (post.pollClosesAt && post.pollClosesAt.getTime() <= Date.now())
        throw ContentErrors.pollClosed();
      const chosen = [...new Set(optionIds)];
      if (!post.pollMultipleChoice && chosen.length !== 1)
        throw badInput('optionIds', 'This poll takes exactly one choice');
      const options = await manager.findBy(PollOptionEntity, { postId });
      const known = new Set(options.map((o) => o.id));
      if (chosen.some((o) => !known.has(o)))
        throw badInput('optionIds', 'Unknown option for this poll');
      // One vote per person at a time: serialize that person's votes on this poll.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `poll:${postId}:${viewer.id}`,
      ]);
      await manager.delete(PollVoteEntity, { postId, userId: viewer.id });
      await manager.insert(
        PollVoteEntity,
        chosen.map((optionId) => ({ optionId, postId, userId: viewer.id })),
      );
    });
    const post = toPostObject(await this.get(viewer, postId));
    return this.pollOf(
      post,
      await this.pollOptions(viewer, [postId]).then((m) => m.get(postId) ?? []),
    );
  }

  pollOf(post: PostObject, options: PollObject['options']): PollObject {
    return { options, multipleChoice: post.pollMultipleChoice, closesAt: post.pollClosesAt };
  }

  /** Options with their vote counts and the viewer's votes, for readable posts. */
  private async pollOptions(
    viewer: Viewer,
    postIds: readonly string[],
  ): Promise<Map<string, PollObject['options']>> {
    const rows: { id: string; post_id: string; label: string; votes: number; mine: boolean }[] =
      await this.db.query(
        `SELECT o.id, o.post_id, o.label,
              (SELECT count(*)::int FROM poll_votes v WHERE v.option_id = o.id) AS votes,
              EXISTS (SELECT 1 FROM poll_votes v WHERE v.option_id = o.id AND v.user_id = $2) AS mine
         FROM poll_options o WHERE o.post_id = ANY($1::uuid[]) ORDER BY o.post_id, o.position`,
        [postIds, viewer.id],
      );
    const out = new Map<string, PollObject['options']>();
    for (const r of rows) {
      const list = out.get(r.post_id) ?? [];
      list.push({ id: r.id, label: r.label, votes: r.votes, viewerVoted: r.mine });
      out.set(r.post_id, list);
    }
    return out;
  }

  /** Polls of the posts of a listing (already read through access), batched per request. */
  pollLoader(ctx: RequestContext): DataLoader<string, PollObject['options']> {
    return loader(
      ctx,
      'posts.poll',
      () =>
        new DataLoader<string, PollObject['options']>(async (ids) => {
          const byPost = await this.pollOptions(ctx.viewer!, ids);
          return ids.map((id) => byPost.get(id) ?? []);
        }),
    );
  }
}

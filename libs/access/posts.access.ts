import type { Viewer } from '@ruche/common';
import { groupAccess, MY_ACTIVE_GROUPS } from './groups.access.js';
import type { SqlPredicate } from './people.access.js';

export type AudienceName = 'NETWORK' | 'FOLLOWERS' | 'PRIVATE' | 'GROUP' | 'CUSTOM';

/**
 * Which posts the viewer may read, as a predicate on a `posts` alias (columns author_id,
 * wall_owner_id, group_id, audience, audience_user_ids, audience_group_ids, deleted_at).
 * DESIGN.md "Access", the one SQL implementation (its twin in memory is `canReadPost`):
 * - a deleted post is read by no one, a viewer who is not ACTIVE reads nothing;
 * - the author and the wall owner always read;
 * - GROUP: whoever may read the group's content (groups.access.ts `read`);
 * - NETWORK: every ACTIVE non-guest; FOLLOWERS: who follows the author now; PRIVATE: nobody else;
 * - CUSTOM: the named users and the ACTIVE members of the named groups;
 * - guests: GROUP and CUSTOM only (besides their own posts and wall).
 * - hidden by a moderator: only its author and the moderators of its place (network admins; for a
 *   group's post also the members holding MODERATE there) — a restriction ANDed on the above.
 * Lists filter by the place first (wall, group, company feed) and AND this.
 */
export function readablePosts(viewer: Viewer, alias: string): SqlPredicate {
  if (viewer.status !== 'ACTIVE') return { sql: 'FALSE', params: {} };
  const group = groupAccess(viewer, 'apg');
  const params = { accessViewerId: viewer.id, ...group.read.params };
  const p = alias;
  const inGroup = `(${p}.audience = 'GROUP' AND EXISTS (SELECT 1 FROM groups apg WHERE apg.id = ${p}.group_id AND ${group.read.sql}))`;
  const custom = `(${p}.audience = 'CUSTOM' AND (:accessViewerId = ANY(${p}.audience_user_ids) OR ${p}.audience_group_ids && ${MY_ACTIVE_GROUPS}))`;
  const beyond =
    viewer.role === 'GUEST'
      ? [inGroup, custom]
      : [
          `${p}.audience = 'NETWORK'`,
          `(${p}.audience = 'FOLLOWERS' AND EXISTS (SELECT 1 FROM follows apf WHERE apf.follower_id = :accessViewerId AND apf.followee_id = ${p}.author_id))`,
          inGroup,
          custom,
        ];
  const hidden = `(${p}.hidden_at IS NULL OR ${p}.author_id = :accessViewerId OR ${moderatesPlace(viewer, p)})`;
  return {
    sql: `(${p}.deleted_at IS NULL AND (${p}.author_id = :accessViewerId OR ${p}.wall_owner_id = :accessViewerId OR ${beyond.join(' OR ')}) AND ${hidden})`,
    params,
  };
}

/**
 * The viewer moderates the place of the post `alias` (columns group_id): a network admin
 * everywhere, an ACTIVE member whose group role holds MODERATE (OWNER holds everything) in the
 * post's group. Uses `:accessViewerId`. Grants no reading by itself: it only lifts "hidden".
 */
export function moderatesPlace(viewer: Viewer, alias: string): string {
  if (viewer.status !== 'ACTIVE') return 'FALSE';
  if (viewer.role === 'ADMIN') return 'TRUE';
  if (viewer.role === 'GUEST') return 'FALSE';
  return `(${alias}.group_id IS NOT NULL AND EXISTS (SELECT 1 FROM group_memberships mm JOIN groups mg ON mg.id = mm.group_id
     WHERE mm.group_id = ${alias}.group_id AND mm.user_id = :accessViewerId AND mm.status = 'ACTIVE'
       AND (mm.role = 'OWNER' OR COALESCE(mg.permissions -> mm.role, '[]'::jsonb) ? 'MODERATE')))`;
}

// ------------------------------------------------------------------ the same rule in memory

/** A small world: enough of people, follows and groups to judge a post. */
export interface AccessWorld {
  users: ReadonlyMap<string, { role: Viewer['role']; status: Viewer['status'] }>;
  /** `${follower}>${followee}` */
  follows: ReadonlySet<string>;
  groups: ReadonlyMap<
    string,
    { parentId: string | null; visibility: 'PUBLIC' | 'PRIVATE' | 'SECRET' }
  >;
  /** `${userId}@${groupId}` → membership status */
  memberships: ReadonlyMap<string, 'ACTIVE' | 'PENDING' | 'INVITED'>;
  /** `${userId}@${groupId}` of the ACTIVE members holding MODERATE there (absent: none). */
  moderators?: ReadonlySet<string>;
}

export interface PostFacts {
  authorId: string;
  wallOwnerId: string | null;
  groupId: string | null;
  audience: AudienceName;
  audienceUserIds: readonly string[];
  audienceGroupIds: readonly string[];
  deleted: boolean;
  /** Hidden by a moderator (absent: not hidden). */
  hidden?: boolean;
}

const activeIn = (w: AccessWorld, userId: string, groupId: string) =>
  w.memberships.get(`${userId}@${groupId}`) === 'ACTIVE';

/** DESIGN.md's group content rule, recursively from the prose: members read; others climb PUBLIC groups. */
export function canReadGroupContent(w: AccessWorld, viewerId: string, groupId: string): boolean {
  const v = w.users.get(viewerId);
  const g = w.groups.get(groupId);
  if (!v || !g || v.status !== 'ACTIVE') return false;
  if (activeIn(w, viewerId, groupId)) return true;
  if (v.role === 'GUEST') return false;
  return (
    g.visibility === 'PUBLIC' &&
    (g.parentId === null || canReadGroupContent(w, viewerId, g.parentId))
  );
}

/** The post rule in memory: the pure twin of `readablePosts`, compared with it by property tests. */
export function canReadPost(w: AccessWorld, viewerId: string, post: PostFacts): boolean {
  const v = w.users.get(viewerId);
  if (!v || v.status !== 'ACTIVE' || post.deleted) return false;
  if (post.authorId === viewerId) return true;
  if (post.hidden && !moderatesPost(w, viewerId, post)) return false;
  if (post.wallOwnerId === viewerId) return true;
  const guest = v.role === 'GUEST';
  switch (post.audience) {
    case 'NETWORK':
      return !guest;
    case 'FOLLOWERS':
      return !guest && w.follows.has(`${viewerId}>${post.authorId}`);
    case 'PRIVATE':
      return false;
    case 'GROUP':
      return post.groupId !== null && canReadGroupContent(w, viewerId, post.groupId);
    case 'CUSTOM':
      return (
        post.audienceUserIds.includes(viewerId) ||
        post.audienceGroupIds.some((g) => activeIn(w, viewerId, g))
      );
  }
}

/** In memory, `moderatesPlace`: admins everywhere, MODERATE holders (ACTIVE) in the post's group. */
export function moderatesPost(
  w: AccessWorld,
  viewerId: string,
  post: Pick<PostFacts, 'groupId'>,
): boolean {
  const v = w.users.get(viewerId);
  if (!v || v.status !== 'ACTIVE' || v.role === 'GUEST') return false;
  if (v.role === 'ADMIN') return true;
  return (
    post.groupId !== null &&
    activeIn(w, viewerId, post.groupId) &&
    (w.moderators?.has(`${viewerId}@${post.groupId}`) ?? false)
  );
}

/**
 * Who may read the post `postAlias`, as a predicate on a `users` alias: the post rule applied to
 * each person in their own role (`perViewer` per network role), for lists of readers
 * (acknowledgements). Uses no parameter of its own.
 */
export function readersOfPost(userAlias: string, postAlias: string): string {
  const roles: Viewer['role'][] = ['MEMBER', 'ADMIN', 'GUEST'];
  const each = roles.map((role) => {
    const sample: Viewer = { id: '', sessionId: '', role, status: 'ACTIVE' };
    const rule = readablePosts(sample, postAlias).sql.replaceAll(
      ':accessViewerId',
      `${userAlias}.id`,
    );
    return `(${userAlias}.role = '${role}' AND ${rule})`;
  });
  return `(${userAlias}.status = 'ACTIVE' AND (${each.join(' OR ')}))`;
}

/**
 * The ids of the moderators of a place (`$1`: the group's id or null): ACTIVE network admins, and
 * for a group the ACTIVE non-guest members whose role holds MODERATE there. Whether each may read
 * the content is for the caller to check (the notify worker does).
 */
export const PLACE_MODERATORS_SQL = `SELECT u.id FROM users u WHERE u.status = 'ACTIVE' AND u.role = 'ADMIN'
  UNION SELECT mm.user_id FROM group_memberships mm JOIN groups mg ON mg.id = mm.group_id JOIN users mu ON mu.id = mm.user_id
   WHERE mm.group_id = $1 AND mm.status = 'ACTIVE' AND mu.status = 'ACTIVE' AND mu.role <> 'GUEST'
     AND (mm.role = 'OWNER' OR COALESCE(mg.permissions -> mm.role, '[]'::jsonb) ? 'MODERATE')`;

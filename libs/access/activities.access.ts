import type { Viewer } from '@ruche/common';
import { groupAccess, MY_ACTIVE_GROUPS } from './groups.access.js';
import { visibleUsers, type SqlPredicate } from './people.access.js';
import { readablePosts } from './posts.access.js';

/**
 * Which activities the viewer may read, as one predicate on an `activities` alias (columns verb,
 * actor_id, post_id, comment_id, group_id). DESIGN.md "Access": an activity reads as its object —
 * - POSTED and COMMENTED as the post (`readablePosts`), a COMMENTED also needs its comment alive;
 * - JOINED_GROUP as the group's members list (`groupAccess(...).read`);
 * - CREATED_GROUP as the group (`groupAccess(...).list`: name and description are shown);
 * - UPDATED_PROFILE as the person (`visibleUsers`);
 * and in every case the actor is a person the viewer sees (Activity.actor is non-null), so a hidden
 * activity is left out of a list, never shown with a null object.
 */
export function readableActivities(viewer: Viewer, alias: string): SqlPredicate {
  if (viewer.status !== 'ACTIVE') return { sql: 'FALSE', params: {} };
  const a = alias;
  const post = readablePosts(viewer, 'xp');
  const group = groupAccess(viewer, 'xg');
  const actor = visibleUsers(viewer, 'xu');
  // The actor check is a scalar sub-query, not EXISTS: the planner would flatten EXISTS into a join
  // with every visible user (a loop over the whole users table per page).
  const sql = `(COALESCE((SELECT TRUE FROM users xu WHERE xu.id = ${a}.actor_id AND ${actor.sql}), FALSE) AND CASE ${a}.verb
    WHEN 'POSTED' THEN EXISTS (SELECT 1 FROM posts xp WHERE xp.id = ${a}.post_id AND ${post.sql})
    WHEN 'COMMENTED' THEN EXISTS (SELECT 1 FROM posts xp WHERE xp.id = ${a}.post_id AND ${post.sql})
      AND EXISTS (SELECT 1 FROM comments xc WHERE xc.id = ${a}.comment_id AND xc.deleted_at IS NULL)
    WHEN 'JOINED_GROUP' THEN EXISTS (SELECT 1 FROM groups xg WHERE xg.id = ${a}.group_id AND ${group.read.sql})
    WHEN 'CREATED_GROUP' THEN EXISTS (SELECT 1 FROM groups xg WHERE xg.id = ${a}.group_id AND ${group.list.sql})
    WHEN 'UPDATED_PROFILE' THEN TRUE
    ELSE FALSE END)`;
  return {
    sql,
    params: { ...actor.params, ...post.params, ...group.read.params, ...group.list.params },
  };
}

/**
 * The places the home feed draws from (DESIGN.md "Writes, feed and fan-out"), judged now: the
 * viewer's own activities, the posts on the viewer's wall, what the people the viewer follows do,
 * what happens in the groups the viewer ACTIVEly belongs to, and NETWORK announcements. ANDed with
 * `readableActivities`, so an unfollow or a removal from a group empties the next read of them.
 * The post is probed by primary key (a scalar sub-query, not EXISTS: under a generic plan the
 * planner hashed the EXISTS over every post, a scan of the whole table per page).
 */
export function homeFeedSources(viewer: Viewer, alias: string): SqlPredicate {
  const a = alias;
  return {
    sql: `(${a}.actor_id = :accessViewerId
      OR EXISTS (SELECT 1 FROM follows sf WHERE sf.follower_id = :accessViewerId AND sf.followee_id = ${a}.actor_id)
      OR ${a}.group_id = ANY(${MY_ACTIVE_GROUPS})
      OR (${a}.verb = 'POSTED' AND COALESCE((SELECT sp.wall_owner_id = :accessViewerId OR (sp.audience = 'NETWORK' AND sp.is_announcement)
            FROM posts sp WHERE sp.id = ${a}.post_id), FALSE)))`,
    params: { accessViewerId: viewer.id },
  };
}

/**
 * Who may receive an activity in their timeline, before the rule is checked: the actor, the
 * actor's followers, the ACTIVE members of the activity's group, and the owner of the wall its post
 * stands on. `$1` is the activity id. The fan-out job checks each batch with `readableActivities`.
 */
export const ACTIVITY_AUDIENCE_SQL = `
  SELECT a.actor_id AS id FROM activities a WHERE a.id = $1
  UNION SELECT f.follower_id FROM activities a JOIN follows f ON f.followee_id = a.actor_id WHERE a.id = $1
  UNION SELECT m.user_id FROM activities a JOIN group_memberships m ON m.group_id = a.group_id AND m.status = 'ACTIVE' WHERE a.id = $1
  UNION SELECT p.wall_owner_id FROM activities a JOIN posts p ON p.id = a.post_id WHERE a.id = $1 AND p.wall_owner_id IS NOT NULL`;

/** The size of that audience (to choose between copying and merging at read time). */
export const ACTIVITY_AUDIENCE_SIZE_SQL = `SELECT count(*)::int AS n FROM (${ACTIVITY_AUDIENCE_SQL}) x`;

/**
 * The ids of the viewer's home-feed activities that are not copied into timelines but merged at read
 * time, created after `:mergedFloor`: those marked `broadcast` (large audiences, NETWORK
 * announcements), the viewer's own, and the posts standing on the viewer's wall. A set of index
 * scans (no OR over the table); still ANDed with `homeFeedSources` and `readableActivities`.
 */
export function mergedAtRead(viewer: Viewer): SqlPredicate {
  return {
    sql: `SELECT mb.id FROM activities mb WHERE mb.broadcast AND mb.created_at > :mergedFloor
      UNION ALL SELECT mo.id FROM activities mo WHERE mo.actor_id = :accessViewerId AND mo.created_at > :mergedFloor
      UNION ALL SELECT mx.id FROM posts mw JOIN activities mx ON mx.post_id = mw.id AND mx.verb = 'POSTED'
        WHERE mw.wall_owner_id = :accessViewerId AND mw.deleted_at IS NULL AND mw.created_at > :mergedFloor AND mx.created_at > :mergedFloor`,
    params: { accessViewerId: viewer.id },
  };
}

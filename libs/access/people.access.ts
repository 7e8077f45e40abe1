import type { Viewer } from '@ruche/common';
import { readablePosts } from './posts.access.js';

export interface SqlPredicate {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Which people the viewer may see, as a predicate on a `users` alias. The one place this rule
 * lives: lists join it, single reads run it on one id.
 * - a viewer who is not ACTIVE sees only themself;
 * - admins see every account (they administer them);
 * - members see every account but the unverified (PENDING) ones;
 * - guests see themself, the people who ACTIVEly share a group with them (both ACTIVE
 *   memberships) and the authors of the posts and comments they may read.
 */
export function visibleUsers(viewer: Viewer, alias: string): SqlPredicate {
  const params = { accessViewerId: viewer.id };
  if (viewer.status !== 'ACTIVE') return { sql: `${alias}.id = :accessViewerId`, params };
  switch (viewer.role) {
    case 'ADMIN':
      return { sql: 'TRUE', params: {} };
    case 'MEMBER':
      return { sql: `(${alias}.id = :accessViewerId OR ${alias}.status <> 'PENDING')`, params };
    case 'GUEST':
      return {
        sql: `(${alias}.id = :accessViewerId OR (${alias}.status <> 'PENDING' AND EXISTS (
          SELECT 1 FROM group_memberships pv JOIN group_memberships po ON po.group_id = pv.group_id
           WHERE pv.user_id = :accessViewerId AND pv.status = 'ACTIVE' AND po.user_id = ${alias}.id AND po.status = 'ACTIVE')
          OR EXISTS (SELECT 1 FROM posts ap WHERE ap.author_id = ${alias}.id AND ${readablePosts(viewer, 'ap').sql})
          OR EXISTS (SELECT 1 FROM comments ac JOIN posts ap ON ap.id = ac.post_id
                      WHERE ac.author_id = ${alias}.id AND ac.deleted_at IS NULL AND ${readablePosts(viewer, 'ap').sql})))`,
        params: { ...params, ...readablePosts(viewer, 'ap').params },
      };
  }
}

/** `column` holds the id of a person the viewer may see (for lists owned by other domains). */
export function visibleUserId(viewer: Viewer, column: string): SqlPredicate {
  const rule = visibleUsers(viewer, 'vu');
  return {
    sql: `EXISTS (SELECT 1 FROM users vu WHERE vu.id = ${column} AND ${rule.sql})`,
    params: rule.params,
  };
}

/**
 * A predicate made for one viewer, applied to many: the viewer's id becomes `column`, so a worker
 * checks a batch of recipients sharing a role and status in one query.
 */
export function perViewer(predicate: SqlPredicate, column: string): string {
  return predicate.sql.replaceAll(':accessViewerId', column);
}

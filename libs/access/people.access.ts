import type { Viewer } from '@ruche/common';

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
 * - guests see themself only until groups give them colleagues (issue 3).
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
      return { sql: `${alias}.id = :accessViewerId`, params };
  }
}

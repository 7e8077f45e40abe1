import type { Viewer } from '@ruche/common';
import type { SqlPredicate } from './people.access.js';

/** The three questions the group rule answers, each a predicate on a `groups` alias. */
export interface GroupAccess {
  /** The group object exists for the viewer (at least its name). */
  see: SqlPredicate;
  /** Name, description, member count and sub-groups are listed to the viewer. */
  list: SqlPredicate;
  /** The group's content (members list, feed) is readable by the viewer. */
  read: SqlPredicate;
}

const NONE: SqlPredicate = { sql: 'FALSE', params: {} };

/** The groups the viewer ACTIVEly belongs to, evaluated once per query (an uncorrelated sub-query). */
const MINE = `ARRAY(SELECT am.group_id FROM group_memberships am WHERE am.user_id = :accessViewerId AND am.status = 'ACTIVE')`;
/** The ids of the groups the viewer (`:accessViewerId`) ACTIVEly belongs to, as an SQL array. */
export const MY_ACTIVE_GROUPS = MINE;

/**
 * True when every non-PUBLIC group of `chain` (ids from the root down) is "covered": the viewer
 * ACTIVEly belongs to it or to one of the groups below it in the chain. Readability climbs a
 * chain through PUBLIC groups only, and a membership opens what is below it; so this is exactly
 * "the viewer may read the last group of the chain", for a non-guest. Ancestors are looked up by
 * primary key from the materialized `path`, whatever the depth: one query, no recursion.
 */
function chainReadable(chain: string): string {
  // One primary-key probe per group of the chain (a correlated scalar sub-query the planner cannot
  // turn into a scan of every group, which it did for each post of a feed).
  return `NOT EXISTS (SELECT 1 FROM unnest(${chain}) WITH ORDINALITY AS ac(id, pos)
     WHERE (SELECT ag.visibility FROM groups ag WHERE ag.id = ac.id) <> 'PUBLIC' AND NOT ((${chain})[ac.pos:] && ${MINE}))`;
}

/**
 * The group rule of DESIGN.md, as SQL predicates on a `groups` alias (columns id, path,
 * visibility). `path` holds the ancestors' ids, root first. The one implementation: lists join
 * it, single reads run it on one id, and a property test compares it with an in-memory model.
 * - a viewer who is not ACTIVE sees nothing;
 * - an ACTIVE member sees and reads; PENDING and INVITED give the name only;
 * - guests get nothing else;
 * - others: PUBLIC/PRIVATE groups are listed to the readers of the parent (the whole network at
 *   the top), PUBLIC content is read by them; SECRET groups do not exist for non-members.
 * Network admins get nothing more.
 */
export function groupAccess(viewer: Viewer, alias: string): GroupAccess {
  if (viewer.status !== 'ACTIVE') return { see: NONE, list: NONE, read: NONE };
  const params = { accessViewerId: viewer.id };
  const active = `${alias}.id = ANY(${MINE})`;
  const anyMembership = `EXISTS (SELECT 1 FROM group_memberships sm WHERE sm.group_id = ${alias}.id AND sm.user_id = :accessViewerId)`;
  if (viewer.role === 'GUEST') {
    return {
      see: { sql: anyMembership, params },
      list: { sql: active, params },
      read: { sql: active, params },
    };
  }
  const listed = `(${active} OR (${alias}.visibility <> 'SECRET' AND ${chainReadable(`${alias}.path`)}))`;
  return {
    see: { sql: `(${listed} OR ${anyMembership})`, params },
    list: { sql: listed, params },
    read: { sql: chainReadable(`(${alias}.path || ${alias}.id)`), params },
  };
}

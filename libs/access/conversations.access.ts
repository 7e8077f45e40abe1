import type { Viewer } from '@ruche/common';
import type { SqlPredicate } from './people.access.js';

/**
 * DESIGN.md "Conversations", the one SQL implementation (its twin in memory is below).
 * Messages, as a predicate on a `messages` alias (columns conversation_id, id, deleted_at):
 * - a viewer who is not ACTIVE (PENDING, SUSPENDED, ...) reads nothing; a deleted message, no one;
 * - a current participant (left_at IS NULL) reads every message of the conversation;
 * - someone removed, or who left, reads the messages up to their removal (id ≤ readable_up_to);
 * - nobody else, whatever the mention, role or group.
 * Conversations (and what hangs from them: participants, read positions, typing), as a predicate
 * on a `conversations` alias: current participants only.
 */
export function readableMessages(viewer: Viewer, alias: string): SqlPredicate {
  if (viewer.status !== 'ACTIVE') return { sql: 'FALSE', params: {} };
  return {
    sql: `(${alias}.deleted_at IS NULL AND EXISTS (SELECT 1 FROM conversation_participants amp
       WHERE amp.conversation_id = ${alias}.conversation_id AND amp.user_id = :accessViewerId
         AND (amp.left_at IS NULL OR ${alias}.id <= amp.readable_up_to)))`,
    params: { accessViewerId: viewer.id },
  };
}

/** See `readableMessages`: a conversation is read by its current participants only. */
export function readableConversations(viewer: Viewer, alias: string): SqlPredicate {
  if (viewer.status !== 'ACTIVE') return { sql: 'FALSE', params: {} };
  return {
    sql: `EXISTS (SELECT 1 FROM conversation_participants acp
       WHERE acp.conversation_id = ${alias}.id AND acp.user_id = :accessViewerId AND acp.left_at IS NULL)`,
    params: { accessViewerId: viewer.id },
  };
}

/**
 * Whom the viewer may start a conversation with (or add to one), as a predicate on a `users`
 * alias: ACTIVE accounts other than the viewer; for a GUEST, only those it ACTIVEly shares an
 * ACTIVE group with (both memberships ACTIVE). A viewer who is not ACTIVE reaches no one.
 */
export function reachableUsers(viewer: Viewer, alias: string): SqlPredicate {
  if (viewer.status !== 'ACTIVE') return { sql: 'FALSE', params: {} };
  const params = { accessViewerId: viewer.id };
  const base = `(${alias}.id <> :accessViewerId AND ${alias}.status = 'ACTIVE')`;
  if (viewer.role !== 'GUEST') return { sql: base, params };
  return {
    sql: `(${base} AND EXISTS (SELECT 1 FROM group_memberships rv JOIN group_memberships ro ON ro.group_id = rv.group_id
       WHERE rv.user_id = :accessViewerId AND rv.status = 'ACTIVE' AND ro.user_id = ${alias}.id AND ro.status = 'ACTIVE'))`,
    params,
  };
}

// ------------------------------------------------------------------ the same rule in memory

export interface ConversationWorld {
  users: ReadonlyMap<string, { role: Viewer['role']; status: Viewer['status'] }>;
  /** `${userId}@${groupId}` → membership status */
  memberships: ReadonlyMap<string, 'ACTIVE' | 'PENDING' | 'INVITED'>;
  /** `${conversationId}:${userId}` → participation; `readableUpTo` set once they left. */
  participants: ReadonlyMap<string, { left: boolean; readableUpTo: number | null }>;
}

export interface MessageFacts {
  id: number;
  conversationId: string;
  deleted: boolean;
}

const activeViewer = (w: ConversationWorld, viewerId: string) =>
  w.users.get(viewerId)?.status === 'ACTIVE';

/** The pure twin of `readableMessages`, compared with it by property tests. */
export function canReadMessage(w: ConversationWorld, viewerId: string, m: MessageFacts): boolean {
  if (!activeViewer(w, viewerId) || m.deleted) return false;
  const p = w.participants.get(`${m.conversationId}:${viewerId}`);
  if (!p) return false;
  return !p.left || (p.readableUpTo !== null && m.id <= p.readableUpTo);
}

/** The pure twin of `readableConversations`. */
export function canReadConversation(
  w: ConversationWorld,
  viewerId: string,
  conversationId: string,
): boolean {
  if (!activeViewer(w, viewerId)) return false;
  const p = w.participants.get(`${conversationId}:${viewerId}`);
  return p !== undefined && !p.left;
}

/** The pure twin of `reachableUsers`. */
export function canReach(w: ConversationWorld, viewerId: string, userId: string): boolean {
  const v = w.users.get(viewerId);
  const u = w.users.get(userId);
  if (!v || !u || v.status !== 'ACTIVE' || u.status !== 'ACTIVE' || viewerId === userId)
    return false;
  if (v.role !== 'GUEST') return true;
  const groups = [...w.memberships.entries()]
    .filter(([k, s]) => s === 'ACTIVE' && k.startsWith(`${viewerId}@`))
    .map(([k]) => k.slice(viewerId.length + 1));
  return groups.some((g) => w.memberships.get(`${userId}@${g}`) === 'ACTIVE');
}

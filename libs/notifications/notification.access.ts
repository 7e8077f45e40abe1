import type { DataSource } from 'typeorm';
import {
  groupAccess,
  perViewer,
  readableConversations,
  readableMessages,
  readablePosts,
  visibleUsers,
} from '@ruche/access';
import type { Recipient } from '@ruche/identity';

/** What a notification is about. */
export interface NotifiedObject {
  /** Checked only when given: the recipient must see the actor as a person. */
  actorId?: string | null;
  groupId?: string | null;
  postId?: string | null;
  commentId?: string | null;
  messageId?: string | null;
}

/**
 * The ids of the recipients who may see the object now: the actor as a person (when asked), the
 * group (`groupAccess(...).see`: an INVITED or PENDING member sees its name) and the post
 * (`readablePosts`, the rule every read path uses), the comment still there. The predicates of
 * @ruche/access are applied to each recipient with `perViewer`: one query per network role.
 */
export async function recipientsWhoSee(
  db: DataSource,
  recipients: readonly Recipient[],
  object: NotifiedObject,
): Promise<Set<string>> {
  const kept = new Set<string>();
  const roles = [...new Set(recipients.map((r) => r.viewer.role))];
  for (const role of roles) {
    const ids = recipients.filter((r) => r.viewer.role === role).map((r) => r.viewer.id);
    const sample = { id: '', sessionId: '', role: role, status: 'ACTIVE' as const };
    const actor = perViewer(visibleUsers(sample, 'au'), 'r.id');
    const group = perViewer(groupAccess(sample, 'g').see, 'r.id');
    const post = perViewer(readablePosts(sample, 'p'), 'r.id');
    // A message: read by the recipient now, in a conversation they are still in and have not muted.
    const message = perViewer(readableMessages(sample, 'm'), 'r.id');
    const conversation = perViewer(readableConversations(sample, 'mc'), 'r.id');
    const rows: { id: string }[] = await db.query(
      `SELECT r.id FROM unnest($1::uuid[]) AS r(id)
        WHERE ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM users au WHERE au.id = $2 AND ${actor}))
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM groups g WHERE g.id = $3 AND ${group}))
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = $4 AND ${post}))
          AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM comments c WHERE c.id = $5 AND c.post_id = $4 AND c.deleted_at IS NULL))
          AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM messages m JOIN conversations mc ON mc.id = m.conversation_id
                WHERE m.id = $6 AND ${message} AND ${conversation}
                  AND NOT EXISTS (SELECT 1 FROM conversation_participants mu
                                   WHERE mu.conversation_id = m.conversation_id AND mu.user_id = r.id AND mu.muted)))`,
      [
        ids,
        object.actorId ?? null,
        object.groupId ?? null,
        object.postId ?? null,
        object.commentId ?? null,
        object.messageId ?? null,
      ],
    );
    for (const r of rows) kept.add(r.id);
  }
  return kept;
}

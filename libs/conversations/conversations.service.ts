import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { reachableUsers, readableConversations, readableMessages } from '@ruche/access';
import {
  badInput,
  decodeCursor,
  isUuid,
  pageSize,
  toPage,
  type Page,
  type Viewer,
} from '@ruche/common';
import { AppConfig } from '@ruche/config';
import { extractMentions, renderMarkdown } from '@ruche/content';
import { UsersService } from '@ruche/identity';
import { NotifyService } from '@ruche/notify';
import { RedisRateLimiter, RedisService } from '@ruche/queue';
import { ConversationErrors } from './conversations.errors.js';
import { ConversationsPubSub } from './conversations.pubsub.js';
import type { MessageKindName } from './entities/message.entity.js';
import type { ConversationObject, MessageObject } from './graphql/conversation.objects.js';

/** Sizes bounded by DESIGN.md "Promises". */
export const CONVERSATION_LIMITS = { participants: 50, body: 10_000, title: 200 } as const;

type Named = Record<string, unknown>;

interface MessageRow {
  id: string;
  conversation_id: string;
  author_id: string | null;
  kind: MessageKindName;
  body: string;
  body_html: string;
  subject_ids: string[];
  mention_ids: string[];
  created_at: Date;
  edited_at: Date | null;
}

interface ConversationRow {
  id: string;
  title: string | null;
  pair_key: string | null;
  created_at: Date;
  updated_at: Date;
  last_activity_at: Date;
  muted: boolean;
  unread: number;
  participant_ids: string[];
  last_message_id: string | null;
}

const toMessage = (r: MessageRow): MessageObject => ({
  id: String(r.id),
  conversationId: r.conversation_id,
  authorId: r.author_id,
  kind: r.kind,
  body: r.body,
  bodyHtml: r.body_html,
  subjectIds: r.subject_ids,
  mentionIds: r.mention_ids,
  createdAt: r.created_at,
  editedAt: r.edited_at,
});

const toConversation = (r: ConversationRow): ConversationObject => ({
  id: r.id,
  title: r.title,
  unreadCount: r.unread,
  muted: r.muted,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastActivityAt: r.last_activity_at,
  participantIds: r.participant_ids,
  lastMessageId: r.last_message_id === null ? null : String(r.last_message_id),
});

const isMessageId = (id: unknown): id is string =>
  typeof id === 'string' && /^[1-9]\d{0,17}$/.test(id);

/**
 * Conversations and their messages. Every read goes through the conversations rule of
 * @ruche/access; every change is one transaction, published to the participants after commit.
 */
@Injectable()
export class ConversationsService {
  private readonly perMinute: RedisRateLimiter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly pubsub: ConversationsPubSub,
    private readonly notify: NotifyService,
    redis: RedisService,
    config: AppConfig,
  ) {
    this.perMinute = new RedisRateLimiter(redis, 'messages', config.RATE_MESSAGES_PER_MINUTE, 60);
  }

  /** A query with TypeORM-style named parameters (the access predicates use them). */
  private async q<T>(manager: EntityManager, sql: string, params: Named = {}): Promise<T[]> {
    const [query, values] = this.db.driver.escapeQueryWithParameters(sql, params);
    const result: unknown = await manager.query(query, values);
    // TypeORM answers an UPDATE or DELETE with [rows, affected].
    if (/^\s*(UPDATE|DELETE)/i.test(sql) && Array.isArray(result) && Array.isArray(result[0]))
      return result[0] as T[];
    return result as T[];
  }

  // ------------------------------------------------------------------ reads

  private conversationSelect(viewer: Viewer, where: string): { sql: string; params: Named } {
    const rule = readableConversations(viewer, 'c');
    const msg = readableMessages(viewer, 'lm');
    return {
      sql: `SELECT c.id, c.title, c.pair_key, c.created_at, c.updated_at, vp.last_activity_at, vp.muted,
          (SELECT count(*)::int FROM messages um WHERE um.conversation_id = c.id AND um.id > vp.last_read_id
              AND um.deleted_at IS NULL AND um.author_id IS DISTINCT FROM :accessViewerId) AS unread,
          ARRAY(SELECT pp.user_id FROM conversation_participants pp WHERE pp.conversation_id = c.id
              AND pp.left_at IS NULL ORDER BY pp.joined_at, pp.user_id) AS participant_ids,
          (SELECT lm.id FROM messages lm WHERE lm.conversation_id = c.id AND ${msg.sql}
              ORDER BY lm.id DESC LIMIT 1) AS last_message_id
        FROM conversation_participants vp JOIN conversations c ON c.id = vp.conversation_id
       WHERE vp.user_id = :accessViewerId AND vp.left_at IS NULL AND ${rule.sql} AND ${where}`,
      params: { ...rule.params, ...msg.params },
    };
  }

  /** The viewer's conversations, latest activity first, with unread counts. */
  async list(
    viewer: Viewer,
    args: { first?: number; after?: string },
  ): Promise<Page<ConversationObject>> {
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 2);
    let where = 'TRUE';
    const params: Named = { limit: limit + 1 };
    if (after) {
      const [at, id] = after;
      if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(String(id)))
        throw badInput('after', 'Invalid cursor');
      where = '(vp.last_activity_at, vp.conversation_id) < (:afterAt, :afterId)';
      Object.assign(params, { afterAt: at, afterId: id });
    }
    if (viewer.status !== 'ACTIVE') return toPage([], limit, () => []);
    const s = this.conversationSelect(viewer, where);
    const rows = await this.q<ConversationRow>(
      this.db.manager,
      `${s.sql} ORDER BY vp.last_activity_at DESC, vp.conversation_id DESC LIMIT :limit`,
      { ...s.params, ...params },
    );
    return toPage(rows.map(toConversation), limit, (c) => [c.lastActivityAt.toISOString(), c.id]);
  }

  /** A conversation the viewer is in, or null (it does not exist for them). */
  async find(
    viewer: Viewer,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ConversationObject | null> {
    if (!isUuid(id) || viewer.status !== 'ACTIVE') return null;
    const s = this.conversationSelect(viewer, 'c.id = :id');
    const [row] = await this.q<ConversationRow>(manager, s.sql, { ...s.params, id });
    return row ? toConversation(row) : null;
  }

  async get(viewer: Viewer, id: string, manager?: EntityManager): Promise<ConversationObject> {
    const found = await this.find(viewer, id, manager);
    if (!found) throw ConversationErrors.conversationNotFound();
    return found;
  }

  /**
   * The conversation a readable message belongs to: in full for a current participant; for
   * someone no longer in it, its id, title and dates only (nothing of what happened since).
   */
  async ofMessage(viewer: Viewer, m: MessageObject): Promise<ConversationObject> {
    const found = await this.find(viewer, m.conversationId);
    if (found) return found;
    const [c] = await this.q<{ id: string; title: string | null; created_at: Date }>(
      this.db.manager,
      'SELECT id, title, created_at FROM conversations WHERE id = :id',
      { id: m.conversationId },
    );
    return {
      id: c.id,
      title: c.title,
      unreadCount: 0,
      muted: false,
      createdAt: c.created_at,
      updatedAt: m.createdAt,
      lastActivityAt: m.createdAt,
      participantIds: [],
      lastMessageId: null,
    };
  }

  /** Messages the viewer reads, by id. */
  async messagesByIds(viewer: Viewer, ids: readonly string[]): Promise<MessageObject[]> {
    const valid = ids.filter(isMessageId);
    if (!valid.length) return [];
    const rule = readableMessages(viewer, 'm');
    const rows = await this.q<MessageRow>(
      this.db.manager,
      `SELECT m.* FROM messages m WHERE m.id = ANY(CAST(:ids AS bigint[])) AND ${rule.sql}`,
      { ...rule.params, ids: valid },
    );
    return rows.map(toMessage);
  }

  /**
   * A message as it is delivered on a subscription: judged now, with the viewer's account as it
   * is now (a suspension or a removal since the socket opened stops delivery), current
   * participants only.
   */
  async deliverable(viewerId: string, messageId: string): Promise<MessageObject | null> {
    const viewer: Viewer = { id: viewerId, sessionId: '', role: 'MEMBER', status: 'ACTIVE' };
    const rule = readableMessages(viewer, 'm');
    const conv = readableConversations(viewer, 'c');
    const [row] = await this.q<MessageRow>(
      this.db.manager,
      `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id = :id AND ${rule.sql} AND ${conv.sql}
          AND EXISTS (SELECT 1 FROM users du WHERE du.id = :accessViewerId AND du.status = 'ACTIVE')`,
      { ...rule.params, ...conv.params, id: messageId },
    );
    return row ? toMessage(row) : null;
  }

  /** Same for a change of a conversation (conversationsUpdated). */
  async deliverableConversation(
    viewerId: string,
    conversationId: string,
  ): Promise<ConversationObject | null> {
    const [user] = await this.q<{ role: Viewer['role'] }>(
      this.db.manager,
      "SELECT role FROM users WHERE id = :id AND status = 'ACTIVE'",
      { id: viewerId },
    );
    if (!user) return null;
    return this.find(
      { id: viewerId, sessionId: '', role: user.role, status: 'ACTIVE' },
      conversationId,
    );
  }

  /**
   * A conversation's messages the viewer reads, newest first; `before` pages back. Someone
   * removed still pages through what was written up to their removal.
   */
  async messages(
    viewer: Viewer,
    conversationId: string,
    args: { first?: number; before?: string },
  ): Promise<Page<MessageObject>> {
    const limit = pageSize(args.first);
    const before = decodeCursor(args.before, 1);
    if (before && !isMessageId(before[0])) throw badInput('before', 'Invalid cursor');
    if (!isUuid(conversationId) || viewer.status !== 'ACTIVE')
      throw ConversationErrors.conversationNotFound();
    const [was] = await this.q<{ n: number }>(
      this.db.manager,
      'SELECT 1 AS n FROM conversation_participants WHERE conversation_id = :id AND user_id = :viewerId',
      { id: conversationId, viewerId: viewer.id },
    );
    if (!was) throw ConversationErrors.conversationNotFound();
    const rule = readableMessages(viewer, 'm');
    const rows = await this.q<MessageRow>(
      this.db.manager,
      `SELECT m.* FROM messages m WHERE m.conversation_id = :id AND ${rule.sql}
         ${before ? 'AND m.id < CAST(:before AS bigint)' : ''}
       ORDER BY m.id DESC LIMIT :limit`,
      { ...rule.params, id: conversationId, before: before?.[0], limit: limit + 1 },
    );
    return toPage(rows.map(toMessage), limit, (m) => [m.id]);
  }

  /** Reactions on readable messages, per message: emoji, count, whether the viewer is among them. */
  async reactions(
    viewer: Viewer,
    messageIds: readonly string[],
  ): Promise<Map<string, { emoji: string; count: number; viewerReacted: boolean }[]>> {
    const rows = await this.q<{ message_id: string; emoji: string; count: number; mine: boolean }>(
      this.db.manager,
      `SELECT message_id, emoji, count(*)::int AS count, bool_or(user_id = :viewerId) AS mine
         FROM message_reactions WHERE message_id = ANY(CAST(:ids AS bigint[]))
        GROUP BY message_id, emoji ORDER BY min(created_at)`,
      { ids: messageIds.filter(isMessageId), viewerId: viewer.id },
    );
    const out = new Map<string, { emoji: string; count: number; viewerReacted: boolean }[]>();
    for (const r of rows) {
      const list = out.get(String(r.message_id)) ?? [];
      list.push({ emoji: r.emoji, count: r.count, viewerReacted: r.mine });
      out.set(String(r.message_id), list);
    }
    return out;
  }

  // ------------------------------------------------------------------ writes

  private checkBody(body: string, field = 'body'): void {
    if (!body.trim()) throw ConversationErrors.blank(field);
    if (body.length > CONVERSATION_LIMITS.body)
      throw ConversationErrors.tooLong(field, CONVERSATION_LIMITS.body);
  }

  /** The subset of `ids` the viewer may write to (reachableUsers); NOT_FOUND for any other. */
  private async reachable(
    manager: EntityManager,
    viewer: Viewer,
    ids: string[],
    field: string,
  ): Promise<void> {
    if (ids.some((id) => !isUuid(id))) throw ConversationErrors.userNotFound(field);
    const rule = reachableUsers(viewer, 'ru');
    const rows = await this.q<{ id: string }>(
      manager,
      `SELECT ru.id FROM users ru WHERE ru.id = ANY(CAST(:ids AS uuid[])) AND ${rule.sql}`,
      { ...rule.params, ids },
    );
    if (rows.length !== ids.length) throw ConversationErrors.userNotFound(field);
  }

  /** The viewer's current participation, locked for this transaction; NOT_FOUND otherwise. */
  private async lockIn(
    manager: EntityManager,
    viewer: Viewer,
    conversationId: string,
  ): Promise<{ pair_key: string | null }> {
    if (!isUuid(conversationId) || viewer.status !== 'ACTIVE')
      throw ConversationErrors.conversationNotFound();
    const rule = readableConversations(viewer, 'c');
    const [row] = await this.q<{ pair_key: string | null }>(
      manager,
      `SELECT c.pair_key FROM conversations c WHERE c.id = :id AND ${rule.sql} FOR UPDATE`,
      { ...rule.params, id: conversationId },
    );
    if (!row) throw ConversationErrors.conversationNotFound();
    return row;
  }

  private async insertMessage(
    manager: EntityManager,
    m: {
      conversationId: string;
      authorId: string | null;
      kind: MessageKindName;
      body?: string;
      bodyHtml?: string;
      subjectIds?: string[];
      mentionIds?: string[];
    },
  ): Promise<MessageRow> {
    const [row] = await this.q<MessageRow>(
      manager,
      `INSERT INTO messages (conversation_id, author_id, kind, body, body_html, subject_ids, mention_ids)
       VALUES (:c, :a, :k, :b, :h, CAST(:s AS uuid[]), CAST(:mn AS uuid[])) RETURNING *`,
      {
        c: m.conversationId,
        a: m.authorId,
        k: m.kind,
        b: m.body ?? '',
        h: m.bodyHtml ?? '',
        s: m.subjectIds ?? [],
        mn: m.mentionIds ?? [],
      },
    );
    await this.q(manager, `UPDATE conversations SET updated_at = :at WHERE id = :c`, {
      at: row.created_at,
      c: m.conversationId,
    });
    await this.q(
      manager,
      `UPDATE conversation_participants SET last_activity_at = :at
        WHERE conversation_id = :c AND left_at IS NULL`,
      { at: row.created_at, c: m.conversationId },
    );
    if (m.authorId)
      await this.q(
        manager,
        `UPDATE conversation_participants SET last_read_id = GREATEST(last_read_id, :id)
          WHERE conversation_id = :c AND user_id = :u`,
        { id: row.id, c: m.conversationId, u: m.authorId },
      );
    return row;
  }

  private async currentIds(manager: EntityManager, conversationId: string): Promise<string[]> {
    const rows = await this.q<{ user_id: string }>(
      manager,
      'SELECT user_id FROM conversation_participants WHERE conversation_id = :c AND left_at IS NULL',
      { c: conversationId },
    );
    return rows.map((r) => r.user_id);
  }

  /** After commit: to everyone in it now (and those just removed, who are re-checked and refused). */
  private async publish(conversationId: string, messageIds: string[], extra: string[] = []) {
    const ids = [
      ...new Set([...(await this.currentIds(this.db.manager, conversationId)), ...extra]),
    ];
    await this.pubsub.publish(ids, { conversationId, messageIds });
  }

  private async mentionIds(viewer: Viewer, body: string, participants: string[]) {
    const handles = extractMentions(body);
    if (!handles.length) return [];
    const found = await this.users.visibleActive(viewer, { handles });
    // A mention grants nothing: only people already in the conversation are mentioned.
    return found.filter((u) => participants.includes(u.id)).map((u) => u.id);
  }

  /**
   * The other participants, through the notification pipeline (outbox, in the write's
   * transaction): the worker checks each again (still in, not muted, reads the message) and
   * applies preferences and quiet hours.
   */
  private async notifyOthers(
    manager: EntityManager,
    viewer: Viewer,
    m: MessageRow,
    participants: string[],
  ): Promise<void> {
    await this.notify.emit(manager, {
      type: 'MESSAGE',
      actorId: viewer.id,
      recipientIds: participants.filter((id) => id !== viewer.id),
      messageId: String(m.id),
    });
  }

  async start(
    viewer: Viewer,
    input: { participantIds: string[]; body: string; title?: string | null },
  ): Promise<ConversationObject> {
    const others = [...new Set(input.participantIds)].filter((id) => id !== viewer.id);
    if (!others.length) throw ConversationErrors.noOne();
    if (others.length + 1 > CONVERSATION_LIMITS.participants)
      throw ConversationErrors.tooMany('participantIds', CONVERSATION_LIMITS.participants);
    this.checkBody(input.body);
    const title = input.title?.trim() || null;
    if (title && title.length > CONVERSATION_LIMITS.title)
      throw ConversationErrors.tooLong('title', CONVERSATION_LIMITS.title);
    await this.perMinute.consume(viewer.id);
    const pairKey = others.length === 1 ? [viewer.id, others[0]].sort().join(':') : null;
    const { id, messageId } = await this.db.transaction(async (manager) => {
      await this.reachable(manager, viewer, others, 'participantIds');
      let id: string;
      if (pairKey) {
        // One per pair, even when both start it at once: the unique index decides.
        const [row] = await this.q<{ id: string }>(
          manager,
          `INSERT INTO conversations (created_by_id, pair_key) VALUES (:v, :k)
           ON CONFLICT (pair_key) WHERE pair_key IS NOT NULL DO UPDATE SET pair_key = EXCLUDED.pair_key
           RETURNING id`,
          { v: viewer.id, k: pairKey },
        );
        id = row.id;
      } else {
        const [row] = await this.q<{ id: string }>(
          manager,
          'INSERT INTO conversations (created_by_id, title) VALUES (:v, :t) RETURNING id',
          { v: viewer.id, t: title },
        );
        id = row.id;
      }
      // Both people of a one-to-one are (back) in it when either writes.
      await this.q(
        manager,
        `INSERT INTO conversation_participants (conversation_id, user_id)
         SELECT :c, u FROM unnest(CAST(:ids AS uuid[])) AS u
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET left_at = NULL, readable_up_to = NULL`,
        { c: id, ids: [viewer.id, ...others] },
      );
      const html = renderMarkdown(input.body);
      const mentionIds = await this.mentionIds(viewer, input.body, others);
      const m = await this.insertMessage(manager, {
        conversationId: id,
        authorId: viewer.id,
        kind: 'TEXT',
        body: input.body,
        bodyHtml: html,
        mentionIds,
      });
      await this.notifyOthers(manager, viewer, m, [viewer.id, ...others]);
      return { id, messageId: String(m.id) };
    });
    await this.publish(id, [messageId]);
    return this.get(viewer, id);
  }

  async send(
    viewer: Viewer,
    conversationId: string,
    body: string,
    attachmentIds: string[] = [],
  ): Promise<MessageObject> {
    this.checkBody(body);
    if (attachmentIds.length)
      throw badInput('attachmentIds', 'Attachments on messages are not supported yet');
    await this.perMinute.consume(viewer.id);
    const row = await this.db.transaction(async (manager) => {
      await this.lockIn(manager, viewer, conversationId);
      const participants = await this.currentIds(manager, conversationId);
      const m = await this.insertMessage(manager, {
        conversationId,
        authorId: viewer.id,
        kind: 'TEXT',
        body,
        bodyHtml: renderMarkdown(body),
        mentionIds: await this.mentionIds(viewer, body, participants),
      });
      await this.notifyOthers(manager, viewer, m, participants);
      return m;
    });
    await this.publish(conversationId, [String(row.id)]);
    return toMessage(row);
  }

  private async ownMessage(
    manager: EntityManager,
    viewer: Viewer,
    id: string,
  ): Promise<MessageRow> {
    if (!isMessageId(id)) throw ConversationErrors.messageNotFound();
    const rule = readableMessages(viewer, 'm');
    const conv = readableConversations(viewer, 'c');
    const [row] = await this.q<MessageRow>(
      manager,
      `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id = :id AND ${rule.sql} AND ${conv.sql} FOR UPDATE OF m`,
      { ...rule.params, ...conv.params, id },
    );
    if (!row) throw ConversationErrors.messageNotFound();
    if (row.kind !== 'TEXT') throw ConversationErrors.systemLine();
    if (row.author_id !== viewer.id) throw ConversationErrors.authorOnly();
    return row;
  }

  /** The author, still in the conversation, changes the body; the earlier one is kept. */
  async edit(viewer: Viewer, id: string, body: string): Promise<MessageObject> {
    this.checkBody(body);
    return this.db.transaction(async (manager) => {
      const old = await this.ownMessage(manager, viewer, id);
      await this.q(manager, 'INSERT INTO message_revisions (message_id, body) VALUES (:id, :b)', {
        id,
        b: old.body,
      });
      const participants = await this.currentIds(manager, old.conversation_id);
      const [row] = await this.q<MessageRow>(
        manager,
        `UPDATE messages SET body = :b, body_html = :h, mention_ids = CAST(:mn AS uuid[]), edited_at = now()
          WHERE id = :id RETURNING *`,
        {
          id,
          b: body,
          h: renderMarkdown(body),
          mn: await this.mentionIds(viewer, body, participants),
        },
      );
      return toMessage(row);
    });
  }

  async remove(viewer: Viewer, id: string): Promise<boolean> {
    await this.db.transaction(async (manager) => {
      await this.ownMessage(manager, viewer, id);
      await this.q(manager, 'UPDATE messages SET deleted_at = now() WHERE id = :id', { id });
    });
    return true;
  }

  async addParticipants(
    viewer: Viewer,
    conversationId: string,
    userIds: string[],
  ): Promise<ConversationObject> {
    const { messageId } = await this.db.transaction(async (manager) => {
      const c = await this.lockIn(manager, viewer, conversationId);
      if (c.pair_key) throw ConversationErrors.oneToOne('conversationId');
      const current = await this.currentIds(manager, conversationId);
      const added = [...new Set(userIds)].filter((id) => !current.includes(id));
      if (!added.length) return { messageId: null };
      if (current.length + added.length > CONVERSATION_LIMITS.participants)
        throw ConversationErrors.tooMany('userIds', CONVERSATION_LIMITS.participants);
      await this.reachable(manager, viewer, added, 'userIds');
      await this.q(
        manager,
        `INSERT INTO conversation_participants (conversation_id, user_id)
         SELECT :c, u FROM unnest(CAST(:ids AS uuid[])) AS u
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET left_at = NULL, readable_up_to = NULL,
           joined_at = now(), last_activity_at = now()`,
        { c: conversationId, ids: added },
      );
      const m = await this.insertMessage(manager, {
        conversationId,
        authorId: null,
        kind: 'PARTICIPANT_ADDED',
        subjectIds: added,
      });
      return { messageId: String(m.id) };
    });
    if (messageId) await this.publish(conversationId, [messageId]);
    return this.get(viewer, conversationId);
  }

  /** Someone leaves or is removed: a system line, which is the last message they read. */
  private async takeOut(viewer: Viewer, conversationId: string, userId: string): Promise<void> {
    const messageId = await this.db.transaction(async (manager) => {
      const c = await this.lockIn(manager, viewer, conversationId);
      if (c.pair_key && userId !== viewer.id) throw ConversationErrors.oneToOne('userId');
      const current = await this.currentIds(manager, conversationId);
      if (!isUuid(userId) || !current.includes(userId))
        throw ConversationErrors.userNotFound('userId');
      const m = await this.insertMessage(manager, {
        conversationId,
        authorId: null,
        kind: 'PARTICIPANT_LEFT',
        subjectIds: [userId],
      });
      await this.q(
        manager,
        `UPDATE conversation_participants SET left_at = now(), readable_up_to = :m
          WHERE conversation_id = :c AND user_id = :u`,
        { m: m.id, c: conversationId, u: userId },
      );
      return String(m.id);
    });
    await this.publish(conversationId, [messageId], [userId]);
  }

  async removeParticipant(
    viewer: Viewer,
    conversationId: string,
    userId: string,
  ): Promise<ConversationObject> {
    await this.takeOut(viewer, conversationId, userId);
    return this.get(viewer, conversationId);
  }

  async leave(viewer: Viewer, conversationId: string): Promise<boolean> {
    await this.takeOut(viewer, conversationId, viewer.id);
    return true;
  }

  async markRead(
    viewer: Viewer,
    conversationId: string,
    upTo?: string | null,
  ): Promise<ConversationObject> {
    if (upTo != null && !isMessageId(upTo)) throw ConversationErrors.messageNotFound();
    await this.db.transaction(async (manager) => {
      await this.lockIn(manager, viewer, conversationId);
      const [row] = await this.q<{ id: string | null }>(
        manager,
        upTo == null
          ? 'SELECT max(id) AS id FROM messages WHERE conversation_id = :c'
          : 'SELECT id FROM messages WHERE conversation_id = :c AND id = :m',
        { c: conversationId, m: upTo },
      );
      if (upTo != null && !row) throw ConversationErrors.messageNotFound();
      await this.q(
        manager,
        `UPDATE conversation_participants SET last_read_id = GREATEST(last_read_id, :id)
          WHERE conversation_id = :c AND user_id = :u`,
        { id: row?.id ?? 0, c: conversationId, u: viewer.id },
      );
    });
    await this.pubsub.publish([viewer.id], { conversationId, messageIds: [] });
    return this.get(viewer, conversationId);
  }

  async mute(viewer: Viewer, conversationId: string, muted: boolean): Promise<ConversationObject> {
    await this.db.transaction(async (manager) => {
      await this.lockIn(manager, viewer, conversationId);
      await this.q(
        manager,
        'UPDATE conversation_participants SET muted = :muted WHERE conversation_id = :c AND user_id = :u',
        { muted, c: conversationId, u: viewer.id },
      );
    });
    return this.get(viewer, conversationId);
  }
}

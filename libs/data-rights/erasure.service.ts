import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { badInput, forbidden, isUuid, notFound } from '@ruche/common';
import { renderMarkdown } from '@ruche/content';
import { NetworkService } from '@ruche/network';

export type ErasedPosts = 'REMOVE' | 'KEEP_AS_FORMER_MEMBER';
import { OutboxService, QueuesService, QUEUE_NAMES, RedisService } from '@ruche/queue';
import { StorageDriver } from '@ruche/storage';

export const FORMER_MEMBER = 'Former member';

export interface ErasureResult {
  erasureId: string;
  userId: string;
  posts: ErasedPosts;
  /** False when the Redis or storage part failed: the `erasure-cleanup` job finishes it. */
  cleanedUp: boolean;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Erases an account (GDPR art. 17). Crosses every domain's tables on purpose, like `access`: the
 * erasure must be one PostgreSQL transaction, so it cannot go through each module's services.
 *
 * The user row stays (ids in posts, follows and logs keep pointing somewhere) but is anonymised:
 * "Former member", a random handle and address, no password, DEACTIVATED. Then, after commit, the
 * Redis keys and values, the queued jobs and the stored files that mention the person are removed;
 * an outbox job (`erasure-cleanup`) redoes that part until it has finished, so a crash between
 * the two completes later. The needles (old email, name, handle) are kept in `data_erasures` only
 * until that cleanup has run, then wiped.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Erasure');

  constructor(
    private readonly db: DataSource,
    private readonly network: NetworkService,
    private readonly outbox: OutboxService,
    private readonly redis: RedisService,
    private readonly queues: QueuesService,
    private readonly storage: StorageDriver,
  ) {}

  async eraseByEmail(email: string, posts?: ErasedPosts): Promise<ErasureResult> {
    const rows: { id: string }[] = await this.db.query('SELECT id FROM users WHERE email = $1', [
      email.trim().toLowerCase(),
    ]);
    if (!rows[0]) throw notFound('No account has this email address');
    return this.erase(rows[0].id, posts);
  }

  /** Callers are network admins (the resolver's guard) or the operator's CLI. */
  async erase(userId: string, posts?: ErasedPosts, actorId?: string): Promise<ErasureResult> {
    if (!isUuid(userId)) throw notFound('No such user');
    if (actorId && actorId === userId) throw forbidden('An administrator cannot erase themselves');
    const mode = posts ?? (await this.network.get()).erasedPosts;
    const erasureId = await this.db.transaction((m) => this.eraseInDb(m, userId, mode));
    const cleanedUp = await this.cleanup(erasureId).then(
      () => true,
      (e: Error) => {
        this.logger.warn(`erasure ${erasureId}: cleanup left to its job (${e.message})`);
        return false;
      },
    );
    return { erasureId, userId, posts: mode, cleanedUp };
  }

  private async eraseInDb(m: EntityManager, userId: string, mode: ErasedPosts): Promise<string> {
    const [user] = await m.query<
      { id: string; email: string; handle: string; display_name: string; status: string }[]
    >(`SELECT id, email, handle, display_name, status FROM users WHERE id = $1 FOR UPDATE`, [
      userId,
    ]);
    if (!user) throw notFound('No such user');
    if (user.display_name === FORMER_MEMBER && user.email.endsWith('@erased.invalid'))
      throw badInput('userId', 'This account is already erased');
    const needles = [user.email, user.handle, user.display_name].filter((n) => n.length >= 3);

    // Files: every upload of theirs goes, in both modes (file names and bytes are theirs).
    const files = await m.query<[{ storage_key: string }[], number]>(
      'DELETE FROM attachments WHERE uploader_id = $1 RETURNING storage_key',
      [userId],
    );
    const storageKeys = files[0].map((f) => f.storage_key);

    if (mode === 'REMOVE') {
      const posts = await m.query<
        {
          id: string;
        }[]
      >('SELECT id FROM posts WHERE author_id = $1', [userId]);
      const postIds = posts.map((p) => p.id);
      const postFiles = await m.query<[{ storage_key: string }[], number]>(
        'DELETE FROM attachments WHERE post_id = ANY($1::uuid[]) RETURNING storage_key',
        [postIds],
      );
      storageKeys.push(...postFiles[0].map((f) => f.storage_key));
      await m.query(
        'DELETE FROM content_revisions WHERE post_id = ANY($1::uuid[]) OR edited_by_id = $2',
        [postIds, userId],
      );
      await m.query(
        `DELETE FROM content_revisions WHERE subject_id IN (SELECT id FROM comments WHERE author_id = $1)`,
        [userId],
      );
      await m.query(
        `DELETE FROM notifications WHERE post_id = ANY($1::uuid[]) OR comment_id IN (SELECT id FROM comments WHERE author_id = $2)`,
        [postIds, userId],
      );
      await m.query(
        `DELETE FROM activities WHERE post_id = ANY($1::uuid[]) OR comment_id IN (SELECT id FROM comments WHERE author_id = $2)`,
        [postIds, userId],
      );
      await m.query('DELETE FROM reactions WHERE user_id = $1 OR post_id = ANY($2::uuid[])', [
        userId,
        postIds,
      ]);
      await m.query(
        'DELETE FROM reactions WHERE subject_id IN (SELECT id FROM comments WHERE author_id = $1)',
        [userId],
      );
      await m.query('DELETE FROM poll_votes WHERE user_id = $1', [userId]);
      await m.query('DELETE FROM comments WHERE author_id = $1', [userId]); // replies cascade
      await m.query('DELETE FROM posts WHERE id = ANY($1::uuid[])', [postIds]); // the rest cascades
      await m.query('DELETE FROM activities WHERE actor_id = $1', [userId]);
    } else {
      // Kept content stays readable; what only described the person goes.
      await m.query(
        `DELETE FROM activities WHERE actor_id = $1 AND verb NOT IN ('POSTED', 'COMMENTED')`,
        [userId],
      );
    }

    // Everything that is about the account itself.
    await m.query('DELETE FROM sessions WHERE user_id = $1', [userId]); // refresh tokens cascade
    await m.query('DELETE FROM account_tokens WHERE user_id = $1', [userId]);
    await m.query('DELETE FROM push_subscriptions WHERE user_id = $1', [userId]);
    await m.query('DELETE FROM notification_preferences WHERE user_id = $1', [userId]);
    await m.query(
      `DELETE FROM notification_deliveries WHERE user_id = $1
          OR notification_id IN (SELECT id FROM notifications WHERE recipient_id = $1 OR actor_id = $1)`,
      [userId],
    );
    await m.query('DELETE FROM notifications WHERE recipient_id = $1 OR actor_id = $1', [userId]);
    await m.query('DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1', [userId]);
    await m.query('DELETE FROM group_memberships WHERE user_id = $1', [userId]);
    await m.query('UPDATE group_memberships SET invited_by_id = NULL WHERE invited_by_id = $1', [
      userId,
    ]);
    await m.query('DELETE FROM invitations WHERE lower(email) = $1', [user.email.toLowerCase()]);
    await m.query('UPDATE invitations SET invited_by_id = NULL WHERE invited_by_id = $1', [userId]);
    await m.query('UPDATE users SET manager_id = NULL WHERE manager_id = $1', [userId]);
    await m.query('DELETE FROM data_exports WHERE user_id = $1', [userId]);

    // The account row, anonymised.
    const tag = randomBytes(6).toString('hex');
    await m.query(
      `UPDATE users SET email = $2, handle = $3, display_name = $4, password_hash = NULL,
              status = 'DEACTIVATED', role = 'MEMBER', email_verified_at = NULL, job_title = NULL,
              department = NULL, location = NULL, phone = NULL, bio = NULL, skills = '{}',
              avatar_url = NULL, manager_id = NULL, sort_name = 'former member',
              search_text = '', search_vector = ''::tsvector, updated_at = now()
        WHERE id = $1`,
      [userId, `erased-${tag}@erased.invalid`, `former-${tag}`, FORMER_MEMBER],
    );

    // Mentions and other traces in anyone's text: @handle becomes the new handle, the name and
    // the address "Former member"; the HTML is rendered again and the search vectors follow
    // (their triggers recompute on a body change).
    const newHandle = `former-${tag}`;
    await this.scrubContent(m, user, newHandle);

    // Jobs waiting in the outbox that mention the person (an email to them, an invitation by them).
    await m.query(`DELETE FROM outbox WHERE payload::text ILIKE ANY($1::text[])`, [
      needles.map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`),
    ]);

    const [erasure] = await m.query<{ id: string }[]>(
      `INSERT INTO data_erasures (user_id, posts, needles, storage_keys) VALUES ($1, $2, $3, $4) RETURNING id`,
      [userId, mode, needles.concat(userId), storageKeys],
    );
    await this.outbox.enqueue(m, 'erasure-cleanup', { erasureId: erasure.id });
    return erasure.id;
  }

  private async scrubContent(
    m: EntityManager,
    user: { id: string; email: string; handle: string; display_name: string },
    newHandle: string,
  ): Promise<void> {
    // In their own writing, each word of their name (4+ letters: "Quillfeather" in a hashtag or a
    // signature) goes too; in others' writing only the whole name, so "Marie" stays elsewhere.
    const parts = user.display_name.split(/[\s,.'-]+/u).filter((w) => w.length >= 4);
    const own = parts.map(
      (w) =>
        [new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(w)}`, 'giu'), 'former'] as [RegExp, string],
    );
    const scrubOwn = (text: string) => own.reduce((t, [re, by]) => t.replace(re, by), scrub(text));
    const ownLikes = parts.map((w) => `%${w.replace(/[\\%_]/g, '\\$&')}%`);
    const patterns: [RegExp, string][] = [
      [new RegExp(escapeRegex(user.email), 'giu'), FORMER_MEMBER],
      [new RegExp(`@${escapeRegex(user.handle)}(?![\\p{L}\\p{N}_-])`, 'giu'), `@${newHandle}`],
      [new RegExp(escapeRegex(user.handle), 'giu'), newHandle],
    ];
    if (user.display_name.length >= 3)
      patterns.push([new RegExp(escapeRegex(user.display_name), 'giu'), FORMER_MEMBER]);
    const scrub = (text: string) => patterns.reduce((t, [re, by]) => t.replace(re, by), text);
    const likes = [user.email, user.handle, user.display_name]
      .filter((n) => n.length >= 3)
      .map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`);

    for (const [table, sql] of [
      ['posts', 'SELECT id, body, hashtags FROM posts WHERE author_id = $1 AND body ILIKE ANY($2)'],
      ['comments', 'SELECT id, body FROM comments WHERE author_id = $1 AND body ILIKE ANY($2)'],
      [
        'content_revisions',
        'SELECT id, body FROM content_revisions WHERE edited_by_id = $1 AND body ILIKE ANY($2)',
      ],
    ] as const) {
      const rows = await m.query<
        {
          id: string;
          body: string;
          hashtags?: string[];
        }[]
      >(sql, [user.id, ownLikes]);
      for (const row of rows) {
        const body = scrubOwn(row.body);
        if (table === 'content_revisions')
          await m.query('UPDATE content_revisions SET body = $2 WHERE id = $1', [row.id, body]);
        else
          await m.query(`UPDATE ${table} SET body = $2, body_html = $3 WHERE id = $1`, [
            row.id,
            body,
            renderMarkdown(body),
          ]);
        if (row.hashtags)
          await m.query('UPDATE posts SET hashtags = $2 WHERE id = $1', [
            row.id,
            row.hashtags.map((t) => scrubOwn(t)),
          ]);
      }
    }
    for (const table of ['posts', 'comments'] as const) {
      const rows = await m.query<{ id: string; body: string }[]>(
        `SELECT id, body FROM ${table} WHERE body ILIKE ANY($1)`,
        [likes],
      );
      for (const row of rows) {
        const body = scrub(row.body);
        await m.query(`UPDATE ${table} SET body = $2, body_html = $3 WHERE id = $1`, [
          row.id,
          body,
          renderMarkdown(body),
        ]);
      }
    }
    const revisions = await m.query<{ id: string; body: string }[]>(
      'SELECT id, body FROM content_revisions WHERE body ILIKE ANY($1)',
      [likes],
    );
    for (const r of revisions)
      await m.query('UPDATE content_revisions SET body = $2 WHERE id = $1', [r.id, scrub(r.body)]);
    // Poll options and group texts may name them too.
    for (const [table, column] of [
      ['poll_options', 'label'],
      ['groups', 'description'],
      ['notification_deliveries', 'last_error'],
    ] as const) {
      const found = await m.query<{ ref: string; text: string }[]>(
        `SELECT ctid::text AS ref, ${column} AS text FROM ${table} WHERE ${column} ILIKE ANY($1)`,
        [likes],
      );
      for (const f of found)
        await m.query(`UPDATE ${table} SET ${column} = $2 WHERE ctid = $1::tid`, [
          f.ref,
          scrub(f.text),
        ]);
    }
  }

  /**
   * The part outside PostgreSQL, idempotent: Redis keys and values mentioning the person (rate
   * limits keyed by their address, their timeline, cached values), queued BullMQ jobs carrying
   * their address or name, and their stored files. Wipes the needles when done.
   */
  async cleanup(erasureId: string): Promise<'done' | 'skipped'> {
    const [row] = await this.db.query<
      {
        user_id: string;
        needles: string[] | null;
        storage_keys: string[];
        completed_at: Date | null;
      }[]
    >('SELECT user_id, needles, storage_keys, completed_at FROM data_erasures WHERE id = $1', [
      erasureId,
    ]);
    if (!row || row.completed_at || !row.needles) return 'skipped';
    const needles = row.needles.map((n) => n.toLowerCase());
    // Jobs are matched on what names the person; a job that only carries their id among others
    // (a notification for many) stays and finds their rows gone.
    const names = needles.filter((n) => n !== row.user_id);
    const named = (s: string) => {
      const low = s.toLowerCase();
      return names.some((n) => low.includes(n));
    };
    const mentions = (s: string) => {
      const low = s.toLowerCase();
      return needles.some((n) => low.includes(n));
    };

    for (const key of row.storage_keys) await this.storage.remove(key);

    // Queued jobs first, through BullMQ (it keeps its own indexes), then every other key.
    const bull = `${this.queues.bullPrefix}:`;
    for (const name of QUEUE_NAMES) {
      const queue = this.queues.get(name);
      const jobs = await queue.getJobs(
        ['waiting', 'delayed', 'prioritized', 'failed', 'completed', 'active'],
        0,
        -1,
      );
      for (const job of jobs) {
        if (!job?.id) continue;
        if (!named(JSON.stringify(job.data ?? {}) + (job.failedReason ?? ''))) continue;
        await job.remove().catch(async () => {
          // A job being run holds a lock: let it no-op on retry by emptying what it carries.
          await this.redis.client.hset(`${bull}${name}:${job.id}`, 'data', '{}');
        });
      }
    }

    const client = this.redis.client;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(
        cursor,
        'MATCH',
        `${this.redis.prefix}:*`,
        'COUNT',
        500,
      );
      cursor = next;
      for (const key of keys) {
        if (mentions(key)) {
          await client.del(key);
          continue;
        }
        if (key.startsWith(bull)) {
          // A BullMQ job hash left (removed jobs are gone): empty its payload if it names them.
          if ((await client.type(key)) === 'hash') {
            const data = await client.hget(key, 'data');
            if (data && named(data)) await client.hset(key, 'data', '{}');
          }
          continue;
        }
        if (await this.valueMentions(key, mentions)) await client.del(key);
      }
    } while (cursor !== '0');

    await this.db.query(
      `UPDATE data_erasures SET needles = NULL, storage_keys = '{}', completed_at = now() WHERE id = $1`,
      [erasureId],
    );
    return 'done';
  }

  private async valueMentions(key: string, mentions: (s: string) => boolean): Promise<boolean> {
    const c = this.redis.client;
    switch (await c.type(key)) {
      case 'string':
        return mentions((await c.get(key)) ?? '');
      case 'hash':
        return mentions(JSON.stringify(await c.hgetall(key)));
      case 'list':
        return mentions((await c.lrange(key, 0, -1)).join('\n'));
      case 'set':
        return mentions((await c.smembers(key)).join('\n'));
      case 'zset':
        return mentions((await c.zrange(key, 0, -1)).join('\n'));
      case 'stream':
        return mentions(JSON.stringify(await c.xrange(key, '-', '+')));
      default:
        return false;
    }
  }

  /** Erasures whose cleanup has not finished (the worker's job retries them). */
  async unfinished(): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      'SELECT id FROM data_erasures WHERE completed_at IS NULL ORDER BY created_at',
    );
    return rows.map((r) => r.id);
  }
}

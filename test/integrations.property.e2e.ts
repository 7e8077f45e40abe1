import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { canReadPost, readablePosts, type AccessWorld } from '@ruche/access';
import type { Viewer } from '@ruche/common';
import { AccountsService, UsersService } from '@ruche/identity';
import { WebhookDeliverHandler } from '@ruche/integrations';
import { Harness } from './support/harness.js';
import { someone } from './support/people.js';

/**
 * Bots and webhook payloads as read paths, on random networks (people of every role and status,
 * nested groups of every visibility, memberships, posts by people and by a bot, some deleted):
 * - a bot reads nothing: the SQL predicate and the in-memory rule give it no post;
 * - a bot's posts are read by exactly whom the in-memory rule says (the bot being no person and
 *   no member changes nothing for its readers);
 * - the payload a webhook would carry about each post's activity, built by the worker's own
 *   handler for each possible owner, holds the post exactly when the in-memory rule lets that
 *   owner read it, and nothing at all otherwise.
 */
type Role = 'ADMIN' | 'MEMBER' | 'GUEST';
type Status = 'ACTIVE' | 'PENDING' | 'SUSPENDED';
type Visibility = 'PUBLIC' | 'PRIVATE' | 'SECRET';
const MAX_USERS = 5;

let h: Harness;
const pool: string[] = [];
let botId: string;
beforeAll(async () => {
  h = await Harness.start({ worker: true });
  for (let i = 0; i < MAX_USERS; i++) pool.push((await someone(h)).id);
  const db = h.api.get(DataSource);
  botId = (await db.transaction((m) => h.api.get(AccountsService).createBot(m, 'Property bot'))).id;
}, 60000);
afterAll(() => h.stop());

const arb = fc.record({
  users: fc.array(
    fc.record({
      role: fc.constantFrom<Role>('ADMIN', 'MEMBER', 'MEMBER', 'GUEST'),
      status: fc.constantFrom<Status>('ACTIVE', 'ACTIVE', 'ACTIVE', 'PENDING', 'SUSPENDED'),
    }),
    { minLength: MAX_USERS, maxLength: MAX_USERS },
  ),
  groups: fc.array(
    fc.record({
      parent: fc.option(fc.nat(), { freq: 3 }),
      visibility: fc.constantFrom<Visibility>('PUBLIC', 'PRIVATE', 'SECRET'),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  memberships: fc.array(fc.constantFrom(null, null, 'ACTIVE', 'ACTIVE', 'PENDING', 'INVITED'), {
    minLength: MAX_USERS * 4,
    maxLength: MAX_USERS * 4,
  }),
  posts: fc.array(
    fc.record({
      byBot: fc.boolean(),
      author: fc.nat(),
      group: fc.nat(),
      network: fc.constantFrom(false, false, true),
      deleted: fc.constantFrom(false, false, false, true),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

it('bots read nothing, and webhook payloads carry exactly what their owner reads', async () => {
  const db = h.api.get(DataSource);
  const users = h.worker!.get(UsersService);
  const handler = h.worker!.get(WebhookDeliverHandler);
  await fc.assert(
    fc.asyncProperty(arb, async (net) => {
      await db.query(`TRUNCATE posts, group_memberships, groups, activities CASCADE`);
      await db.query(
        `UPDATE users SET role = x.role, status = x.status FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, role, status) WHERE users.id = x.id`,
        [pool, net.users.map((u) => u.role), net.users.map((u) => u.status)],
      );
      const groups = net.groups.map((g, i) => ({
        id: randomUUID(),
        parent: g.parent === null || i === 0 ? null : g.parent % i,
        visibility: g.visibility,
      }));
      const path = (g: number): string[] => {
        const p = groups[g].parent;
        return p === null ? [] : [...path(p), groups[p].id];
      };
      for (const [i, g] of groups.entries())
        await db.query(
          `INSERT INTO groups (id, slug, name, sort_name, visibility, join_policy, parent_id, path, permissions)
           VALUES ($1, $2, $2, $2, $3, 'OPEN', $4, $5::uuid[], '{}')`,
          [
            g.id,
            `g-${g.id}`,
            g.visibility,
            g.parent === null ? null : groups[g.parent].id,
            path(i),
          ],
        );
      const memberships = new Map<string, 'ACTIVE' | 'PENDING' | 'INVITED'>();
      for (const [u, id] of pool.entries())
        for (const [gi, g] of groups.entries()) {
          const s = net.memberships[u * 4 + gi];
          if (!s) continue;
          memberships.set(`${id}@${g.id}`, s);
          await db.query(
            `INSERT INTO group_memberships (group_id, user_id, role, status) VALUES ($1, $2, 'MEMBER', $3)`,
            [g.id, id, s],
          );
        }
      // People who could write (not PENDING), or the bot.
      const writers = pool.filter((_, i) => net.users[i].status !== 'PENDING');
      const audienceOf = (network: boolean): 'NETWORK' | 'GROUP' => (network ? 'NETWORK' : 'GROUP');
      const posts = net.posts.map((p, i) => ({
        id: randomUUID(),
        authorId: p.byBot || !writers.length ? botId : writers[p.author % writers.length],
        groupId:
          p.network && !p.byBot && writers.length ? null : groups[p.group % groups.length].id,
        audience: audienceOf(p.network && !p.byBot && writers.length > 0),
        deleted: p.deleted,
        body: `body ${i}`,
      }));
      const activity = new Map<string, string>();
      for (const p of posts) {
        await db.query(
          `INSERT INTO posts (id, author_id, wall_owner_id, group_id, audience, audience_user_ids, audience_group_ids, body, body_html, hashtags, deleted_at)
           VALUES ($1, $2, $3, $4, $5, '{}', '{}', $6, $6, '{}', CASE WHEN $7 THEN now() END)`,
          [
            p.id,
            p.authorId,
            p.groupId ? null : p.authorId,
            p.groupId,
            p.audience,
            p.body,
            p.deleted,
          ],
        );
        const [{ id }] = await db.query(
          `INSERT INTO activities (verb, actor_id, post_id, group_id) VALUES ('POSTED', $1, $2, $3) RETURNING id`,
          [p.authorId, p.id, p.groupId],
        );
        activity.set(p.id, id);
      }
      const world: AccessWorld = {
        users: new Map<string, { role: Viewer['role']; status: Viewer['status'] }>([
          ...pool.map((id, i): [string, Viewer & object] => [
            id,
            { id, sessionId: '', ...net.users[i] },
          ]),
          [botId, { role: 'MEMBER', status: 'DEACTIVATED' }],
        ]),
        follows: new Set(),
        groups: new Map(
          groups.map((g) => [
            g.id,
            { parentId: g.parent === null ? null : groups[g.parent].id, visibility: g.visibility },
          ]),
        ),
        memberships,
      };
      const facts = (p: (typeof posts)[number]) => ({
        authorId: p.authorId,
        wallOwnerId: p.groupId ? null : p.authorId,
        groupId: p.groupId,
        audience: p.audience,
        audienceUserIds: [],
        audienceGroupIds: [],
        deleted: p.deleted,
      });
      const sqlReadable = async (viewer: Viewer) => {
        const rule = readablePosts(viewer, 'p');
        const rows: { id: string }[] = await db
          .createQueryBuilder()
          .select('p.id', 'id')
          .from('posts', 'p')
          .where(rule.sql, rule.params)
          .getRawMany();
        return new Set(rows.map((r) => r.id));
      };

      // The bot, as the account it is: reads nothing by either form.
      const [bot] = await db.query('SELECT role, status, is_bot FROM users WHERE id = $1', [botId]);
      expect(bot).toMatchObject({ status: 'DEACTIVATED', is_bot: true });
      const asBot = await sqlReadable({
        id: botId,
        sessionId: '',
        role: bot.role,
        status: bot.status,
      });
      expect([...asBot]).toEqual([]);
      for (const p of posts) expect(canReadPost(world, botId, facts(p))).toBe(false);
      expect(await users.recipients([botId])).toEqual([]);

      for (const [u, id] of pool.entries()) {
        const viewer: Viewer = { id, sessionId: '', ...net.users[u] };
        const sql = await sqlReadable(viewer);
        const [owner] = await users.recipients([id]);
        for (const p of posts) {
          const expected = canReadPost(world, id, facts(p));
          expect([u, p.id, sql.has(p.id)]).toEqual([u, p.id, expected]);
          // The payload of a webhook owned by this person, built as the worker builds it.
          const payload = owner ? await handler.payload(owner, activity.get(p.id)!) : null;
          expect([u, p.id, payload !== null]).toEqual([u, p.id, expected]);
          if (payload) expect((payload.post as { body: string }).body).toBe(p.body);
        }
      }
    }),
    { numRuns: 30, plugins: [fc.interruptAfterTimeLimit(40_000)] },
  );
}, 60_000);

import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  canReach,
  canReadConversation,
  canReadMessage,
  reachableUsers,
  readableConversations,
  readableMessages,
  type ConversationWorld,
} from '@ruche/access';
import type { Viewer } from '@ruche/common';
import { Harness } from './support/harness.js';
import { someone } from './support/people.js';

/**
 * DESIGN.md "Conversations", written once more here from the prose, compared on random networks
 * (people of every role and status, groups and memberships, conversations) with the in-memory form
 * of @ruche/access and its SQL predicates on every (viewer, message), (viewer, conversation) and
 * (viewer, person) pair — after each step of a random history in which messages are written and
 * deleted while participants are removed, leave and are added back.
 */
type Role = 'ADMIN' | 'MEMBER' | 'GUEST';
type Status = 'ACTIVE' | 'PENDING' | 'SUSPENDED';
type MStatus = 'ACTIVE' | 'PENDING' | 'INVITED';

const MAX_USERS = 5;

type Step =
  | { kind: 'send'; conv: number; who: number }
  | { kind: 'remove'; conv: number; who: number }
  | { kind: 'add'; conv: number; who: number }
  | { kind: 'delete'; pick: number };

interface Net {
  users: { id: string; role: Role; status: Status }[];
  groups: string[];
  memberships: (MStatus | null)[][];
  convs: { id: string; members: number[] }[];
  steps: Step[];
}

/** What the history made: who is in, who left and up to which message, the messages. */
interface State {
  /** conv → user → { left, upTo } */
  part: Map<number, Map<number, { left: boolean; upTo: number | null }>>;
  messages: { id: number; conv: number; deleted: boolean }[];
}

// ------------------------------------------------------------------ the rule, from the prose

function readsMessage(net: Net, s: State, u: number, m: State['messages'][number]): boolean {
  if (net.users[u].status !== 'ACTIVE' || m.deleted) return false;
  const p = s.part.get(m.conv)?.get(u);
  if (!p) return false;
  // Someone removed, or who left, reads the messages written up to that moment and nothing after.
  return !p.left || m.id <= (p.upTo ?? 0);
}

function readsConversation(net: Net, s: State, u: number, c: number): boolean {
  if (net.users[u].status !== 'ACTIVE') return false;
  const p = s.part.get(c)?.get(u);
  return !!p && !p.left;
}

function reaches(net: Net, u: number, v: number): boolean {
  const a = net.users[u];
  const b = net.users[v];
  if (u === v || a.status !== 'ACTIVE' || b.status !== 'ACTIVE') return false;
  if (a.role !== 'GUEST') return true;
  return net.groups.some(
    (_, g) => net.memberships[u][g] === 'ACTIVE' && net.memberships[v][g] === 'ACTIVE',
  );
}

function world(net: Net, s: State): ConversationWorld {
  return {
    users: new Map(net.users.map((u) => [u.id, { role: u.role, status: u.status }])),
    memberships: new Map(
      net.users.flatMap((u, i) =>
        net.groups.flatMap((g, j) =>
          net.memberships[i][j] ? [[`${u.id}@${g}`, net.memberships[i][j]] as const] : [],
        ),
      ),
    ),
    participants: new Map(
      [...s.part.entries()].flatMap(([c, ps]) =>
        [...ps.entries()].map(
          ([u, p]) =>
            [
              `${net.convs[c].id}:${net.users[u].id}`,
              { left: p.left, readableUpTo: p.upTo },
            ] as const,
        ),
      ),
    ),
  };
}

// ------------------------------------------------------------------ random networks

const netArb = fc
  .record({
    users: fc.array(
      fc.record({
        role: fc.constantFrom<Role>('ADMIN', 'MEMBER', 'MEMBER', 'GUEST'),
        status: fc.constantFrom<Status>('ACTIVE', 'ACTIVE', 'ACTIVE', 'PENDING', 'SUSPENDED'),
      }),
      { minLength: 2, maxLength: MAX_USERS },
    ),
    groups: fc.nat({ max: 3 }),
    seed: fc.array(
      fc.constantFrom<MStatus | null>(null, 'ACTIVE', 'ACTIVE', 'PENDING', 'INVITED'),
      {
        minLength: 20,
        maxLength: 20,
      },
    ),
    convs: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), {
      minLength: 1,
      maxLength: 3,
    }),
    steps: fc.array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('send' as const),
            conv: fc.nat(),
            who: fc.nat(),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant('remove' as const),
            conv: fc.nat(),
            who: fc.nat(),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('add' as const),
            conv: fc.nat(),
            who: fc.nat(),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
        },
      ),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map(({ users, groups, seed, convs, steps }): Net => {
    const U = users.length;
    const gs = [...Array(groups).keys()].map(() => randomUUID());
    return {
      users: users.map((u, i) => ({ id: pool[i], ...u })),
      groups: gs,
      memberships: users.map((_, u) => gs.map((__, g) => seed[(u * gs.length + g) % seed.length])),
      convs: convs.map((ms) => ({ id: randomUUID(), members: [...new Set(ms.map((m) => m % U))] })),
      steps: steps.map((s) =>
        s.kind === 'delete' ? s : { ...s, conv: s.conv % convs.length, who: s.who % U },
      ),
    };
  });

// ------------------------------------------------------------------ the run

let h: Harness;
const pool: string[] = [];
beforeAll(async () => {
  h = await Harness.start();
  for (let i = 0; i < MAX_USERS; i++) pool.push((await someone(h)).id);
});
afterAll(async () => {
  await h.stop();
});

async function insert(net: Net): Promise<State> {
  await h.db.query(`TRUNCATE conversations, group_memberships, groups CASCADE`);
  await h.db.query(
    `UPDATE users SET role = x.role, status = x.status FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, role, status) WHERE users.id = x.id`,
    [net.users.map((u) => u.id), net.users.map((u) => u.role), net.users.map((u) => u.status)],
  );
  for (const g of net.groups) {
    await h.db.query(
      `INSERT INTO groups (id, slug, name, sort_name, visibility, join_policy, parent_id, path, permissions)
       VALUES ($1, $2, $2, $2, 'PRIVATE', 'OPEN', NULL, '{}', '{}')`,
      [g, `g-${g}`],
    );
  }
  for (const [u, row] of net.memberships.entries()) {
    for (const [g, s] of row.entries()) {
      if (s)
        await h.db.query(
          `INSERT INTO group_memberships (group_id, user_id, role, status) VALUES ($1, $2, 'MEMBER', $3)`,
          [net.groups[g], net.users[u].id, s],
        );
    }
  }
  const state: State = { part: new Map(), messages: [] };
  for (const [c, conv] of net.convs.entries()) {
    await h.db.query(`INSERT INTO conversations (id, created_by_id) VALUES ($1, $2)`, [
      conv.id,
      net.users[conv.members[0]].id,
    ]);
    state.part.set(c, new Map());
    for (const m of conv.members) {
      await h.db.query(
        `INSERT INTO conversation_participants (conversation_id, user_id) VALUES ($1, $2)`,
        [conv.id, net.users[m].id],
      );
      state.part.get(c)!.set(m, { left: false, upTo: null });
    }
  }
  return state;
}

/** One step of history, in the database and in the model: the writes the service makes. */
async function apply(net: Net, s: State, step: Step): Promise<void> {
  if (step.kind === 'delete') {
    if (!s.messages.length) return;
    const m = s.messages[step.pick % s.messages.length];
    m.deleted = true;
    await h.db.query(`UPDATE messages SET deleted_at = now() WHERE id = $1`, [m.id]);
    return;
  }
  const conv = net.convs[step.conv];
  const ps = s.part.get(step.conv)!;
  const p = ps.get(step.who);
  const userId = net.users[step.who].id;
  if (step.kind === 'send') {
    if (!p || p.left) return;
    const { rows } = await h.db.query(
      `INSERT INTO messages (conversation_id, author_id, body) VALUES ($1, $2, 'hello') RETURNING id`,
      [conv.id, userId],
    );
    s.messages.push({
      id: Number((rows[0] as { id: string }).id),
      conv: step.conv,
      deleted: false,
    });
  } else if (step.kind === 'remove') {
    if (!p || p.left) return;
    const { rows } = await h.db.query(
      `UPDATE conversation_participants SET left_at = now(),
         readable_up_to = (SELECT coalesce(max(id), 0) FROM messages WHERE conversation_id = $1)
       WHERE conversation_id = $1 AND user_id = $2 RETURNING readable_up_to`,
      [conv.id, userId],
    );
    ps.set(step.who, {
      left: true,
      upTo: Number((rows[0] as { readable_up_to: string }).readable_up_to),
    });
  } else {
    if (p && !p.left) return;
    await h.db.query(
      `INSERT INTO conversation_participants (conversation_id, user_id) VALUES ($1, $2)
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET left_at = NULL, readable_up_to = NULL`,
      [conv.id, userId],
    );
    ps.set(step.who, { left: false, upTo: null });
  }
}

const viewerOf = (u: Net['users'][number]): Viewer => ({
  id: u.id,
  sessionId: 's',
  role: u.role,
  status: u.status,
});
const pgSql = (sql: string) => sql.replaceAll(':accessViewerId', '$1::uuid');

async function check(net: Net, s: State): Promise<void> {
  const w = world(net, s);
  for (const [u, user] of net.users.entries()) {
    const viewer = viewerOf(user);
    const mr = readableMessages(viewer, 'm');
    const params = mr.sql === 'FALSE' ? [] : [user.id];
    const { rows: ms } = await h.db.query(
      `SELECT m.id FROM messages m WHERE ${pgSql(mr.sql)} ORDER BY m.id`,
      params,
    );
    const expected = s.messages.filter((m) => readsMessage(net, s, u, m)).map((m) => String(m.id));
    expect((ms as { id: string }[]).map((r) => r.id)).toEqual(expected);
    expect(
      s.messages
        .filter((m) =>
          canReadMessage(w, user.id, {
            id: m.id,
            conversationId: net.convs[m.conv].id,
            deleted: m.deleted,
          }),
        )
        .map((m) => String(m.id)),
    ).toEqual(expected);

    const cr = readableConversations(viewer, 'c');
    const { rows: cs } = await h.db.query(
      `SELECT c.id FROM conversations c WHERE ${pgSql(cr.sql)}`,
      cr.sql === 'FALSE' ? [] : [user.id],
    );
    const convs = net.convs.map((c, i) => ({ id: c.id, i }));
    const expectedConvs = convs.filter((c) => readsConversation(net, s, u, c.i)).map((c) => c.id);
    expect((cs as { id: string }[]).map((r) => r.id).sort()).toEqual([...expectedConvs].sort());
    expect(
      convs
        .filter((c) => canReadConversation(w, user.id, c.id))
        .map((c) => c.id)
        .sort(),
    ).toEqual([...expectedConvs].sort());
  }
}

async function checkReach(net: Net, s: State): Promise<void> {
  const w = world(net, s);
  for (const [u, user] of net.users.entries()) {
    const rr = reachableUsers(viewerOf(user), 'ru');
    const { rows } = await h.db.query(
      `SELECT ru.id FROM users ru WHERE ru.id = ANY($2::uuid[]) AND (${pgSql(rr.sql)} OR $1::uuid IS NULL)`,
      [user.id, net.users.map((v) => v.id)],
    );
    const expected = net.users
      .filter((_, v) => reaches(net, u, v))
      .map((v) => v.id)
      .sort();
    expect((rows as { id: string }[]).map((r) => r.id).sort()).toEqual(expected);
    expect(
      net.users
        .filter((v) => canReach(w, user.id, v.id))
        .map((v) => v.id)
        .sort(),
    ).toEqual(expected);
  }
}

it('messages, conversations and whom one may reach: SQL and memory agree with the prose as participants change', async () => {
  await fc.assert(
    fc.asyncProperty(netArb, async (net) => {
      const s = await insert(net);
      await checkReach(net, s);
      await check(net, s);
      for (const step of net.steps) {
        await apply(net, s, step);
        await check(net, s);
      }
    }),
    { numRuns: 40 },
  );
}, 120_000);

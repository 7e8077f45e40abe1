import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { groupAccess } from '@ruche/access';
import type { Viewer } from '@ruche/common';
import { Harness } from './support/harness.js';
import { someone, tokenFor } from './support/people.js';

/**
 * The group rule of DESIGN.md, written a second time in memory (recursively, from the prose) and
 * compared on random networks with what the SQL predicate and the GraphQL listings answer.
 */
type Role = 'ADMIN' | 'MEMBER' | 'GUEST';
type Status = 'ACTIVE' | 'PENDING' | 'SUSPENDED';
type Visibility = 'PUBLIC' | 'PRIVATE' | 'SECRET';
type MStatus = 'ACTIVE' | 'PENDING' | 'INVITED';

const MAX_USERS = 6;

interface Net {
  users: { id: string; role: Role; status: Status }[];
  groups: { id: string; parent: number | null; visibility: Visibility }[];
  /** memberships[u][g] */
  memberships: (MStatus | null)[][];
}

// ------------------------------------------------------------------ the model

const ms = (net: Net, u: number, g: number) => net.memberships[u][g];

function reads(net: Net, u: number, g: number): boolean {
  const v = net.users[u];
  if (v.status !== 'ACTIVE') return false;
  if (ms(net, u, g) === 'ACTIVE') return true;
  if (v.role === 'GUEST') return false;
  const group = net.groups[g];
  return group.visibility === 'PUBLIC' && (group.parent === null || reads(net, u, group.parent));
}

function lists(net: Net, u: number, g: number): boolean {
  const v = net.users[u];
  if (v.status !== 'ACTIVE') return false;
  if (ms(net, u, g) === 'ACTIVE') return true;
  if (v.role === 'GUEST') return false;
  const group = net.groups[g];
  return group.visibility !== 'SECRET' && (group.parent === null || reads(net, u, group.parent));
}

function sees(net: Net, u: number, g: number): boolean {
  if (net.users[u].status !== 'ACTIVE') return false;
  return ms(net, u, g) !== null || lists(net, u, g);
}

/** DESIGN.md on people, as issue 3 leaves it (guests: themself and ACTIVE co-members). */
function seesPerson(net: Net, u: number, other: number): boolean {
  const v = net.users[u];
  if (u === other) return true;
  if (v.status !== 'ACTIVE') return false;
  if (v.role === 'ADMIN') return true;
  if (net.users[other].status === 'PENDING') return false;
  if (v.role === 'MEMBER') return true;
  return net.groups.some((_, g) => ms(net, u, g) === 'ACTIVE' && ms(net, other, g) === 'ACTIVE');
}

// ------------------------------------------------------------------ random networks

const netArb: fc.Arbitrary<Net> = fc
  .record({
    users: fc.array(
      fc.record({
        role: fc.constantFrom<Role>('ADMIN', 'MEMBER', 'MEMBER', 'GUEST'),
        status: fc.constantFrom<Status>('ACTIVE', 'ACTIVE', 'ACTIVE', 'PENDING', 'SUSPENDED'),
      }),
      { minLength: 2, maxLength: MAX_USERS },
    ),
    groups: fc.array(
      fc.record({
        parentPick: fc.option(fc.nat(), { freq: 3 }),
        visibility: fc.constantFrom<Visibility>('PUBLIC', 'PRIVATE', 'SECRET'),
      }),
      { minLength: 1, maxLength: 9 },
    ),
    seed: fc.array(
      fc.constantFrom<MStatus | null>(null, null, null, 'ACTIVE', 'ACTIVE', 'PENDING', 'INVITED'),
      { minLength: 54, maxLength: 54 },
    ),
  })
  .map(({ users, groups, seed }) => {
    const depth: number[] = [];
    const gs = groups.map((g, i) => {
      // A parent among the earlier groups, keeping depth ≤ 4 (root = depth 1).
      const candidates = [...Array(i).keys()].filter((j) => depth[j] < 4);
      const parent =
        g.parentPick === null || !candidates.length
          ? null
          : candidates[g.parentPick % candidates.length];
      depth[i] = parent === null ? 1 : depth[parent] + 1;
      return { id: randomUUID(), parent, visibility: g.visibility };
    });
    return {
      users: users.map((u, i) => ({ id: pool[i], ...u })),
      groups: gs,
      memberships: users.map((_, u) => gs.map((__, g) => seed[(u * gs.length + g) % seed.length])),
    };
  });

// ------------------------------------------------------------------ the run

let h: Harness;
/** The people of every network, made once by identity; each run gives them a role and a status. */
const pool: string[] = [];
beforeAll(async () => {
  h = await Harness.start({ env: { GRAPHQL_MAX_COST: '100000000', GRAPHQL_MAX_DEPTH: '20' } });
  for (let i = 0; i < MAX_USERS; i++) pool.push((await someone(h)).id);
  tokens = new Map(await Promise.all(pool.map(async (id) => [id, await tokenFor(h, id)] as const)));
});
let tokens: Map<string, string>;
afterAll(() => h.stop());

async function insert(net: Net): Promise<void> {
  await h.db.query(`TRUNCATE group_memberships, groups CASCADE`);
  // Users beyond this network's count sit out as DEACTIVATED (seen by admins only: left out of the checks).
  await h.db.query(
    `UPDATE users SET role = 'MEMBER', status = 'DEACTIVATED' WHERE id = ANY($1::uuid[])`,
    [pool],
  );
  await h.db.query(
    `UPDATE users SET role = x.role, status = x.status
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, role, status) WHERE users.id = x.id`,
    [net.users.map((u) => u.id), net.users.map((u) => u.role), net.users.map((u) => u.status)],
  );
  const path = (g: number): string[] => {
    const p = net.groups[g].parent;
    return p === null ? [] : [...path(p), net.groups[p].id];
  };
  // Parents come first in the array, so one INSERT … SELECT in order satisfies the foreign key.
  for (const [i, g] of net.groups.entries()) {
    await h.db.query(
      `INSERT INTO groups (id, slug, name, sort_name, description, visibility, join_policy, parent_id, path, permissions)
       VALUES ($1, $2, $2, $2, 'd', $3, 'OPEN', $4, $5::uuid[], '{}')`,
      [
        g.id,
        `g-${g.id}`,
        g.visibility,
        g.parent === null ? null : net.groups[g.parent].id,
        path(i),
      ],
    );
  }
  const rows = net.users.flatMap((u, ui) =>
    net.groups.flatMap((g, gi) => (ms(net, ui, gi) ? [[g.id, u.id, ms(net, ui, gi)!]] : [])),
  );
  await h.db.query(
    `INSERT INTO group_memberships (group_id, user_id, role, status)
     SELECT g, u, 'MEMBER', s FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS x(g, u, s)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
}

/** What the SQL predicates answer for one viewer: one query for every group. */
async function sqlFlags(
  viewer: Viewer,
): Promise<Map<string, { see: boolean; list: boolean; read: boolean }>> {
  const a = groupAccess(viewer, 'g');
  const rows: { id: string; see: boolean; list: boolean; read: boolean }[] = await h.api
    .get(DataSource)
    .createQueryBuilder()
    .select('g.id', 'id')
    .addSelect(a.see.sql, 'see')
    .addSelect(a.list.sql, 'list')
    .addSelect(a.read.sql, 'read')
    .from('groups', 'g')
    .setParameters({ ...a.see.params })
    .getRawMany();
  return new Map(rows.map((r) => [r.id, r]));
}

const sorted = (ids: string[]) => [...ids].sort();

it('the SQL rule and the GraphQL listings agree with the in-memory rule on random networks', async () => {
  await fc.assert(
    fc.asyncProperty(netArb, async (net) => {
      await insert(net);
      const gids = net.groups.map((g) => g.id);
      for (const [u, user] of net.users.entries()) {
        const viewer: Viewer = {
          id: user.id,
          sessionId: 's',
          role: user.role,
          status: user.status,
        };
        const flags = await sqlFlags(viewer);
        for (const [g, group] of net.groups.entries()) {
          expect([group.id, flags.get(group.id)]).toEqual([
            group.id,
            { id: group.id, see: sees(net, u, g), list: lists(net, u, g), read: reads(net, u, g) },
          ]);
        }
        if (user.status !== 'ACTIVE') continue; // the guard refuses them every listing

        const accessToken = tokens.get(user.id)!;
        const page = `first: 100) { nodes { id } }`;
        const query = `{
          all: groups(${page}
          mine: groups(memberOnly: true, ${page}
          ${gids.map((id, i) => `p${i}: groups(parentId: "${id}", ${page}`).join('\n')}
          ${gids.map((id, i) => `g${i}: group(id: "${id}") { id description membersCount members(first: 100) { totalCount } }`).join('\n')}
          ${net.users.map((o, i) => `u${i}: user(id: "${o.id}") { id groups(${page} }`).join('\n')}
        }`;
        const data = await h.ok(query, {}, accessToken);
        const ids = (c: { nodes: { id: string }[] }) => sorted(c.nodes.map((n) => n.id));
        const where = (pred: (g: number) => boolean) => sorted(gids.filter((_, g) => pred(g)));

        expect(ids(data.all)).toEqual(where((g) => sees(net, u, g)));
        expect(ids(data.mine)).toEqual(where((g) => ms(net, u, g) === 'ACTIVE'));
        for (const [p] of net.groups.entries()) {
          const expected = sees(net, u, p)
            ? where((g) => net.groups[g].parent === p && sees(net, u, g))
            : [];
          expect([p, ids(data[`p${p}`])]).toEqual([p, expected]);
        }
        for (const [g] of net.groups.entries()) {
          const got = data[`g${g}`];
          if (!sees(net, u, g)) {
            expect([g, got]).toEqual([g, null]);
            continue;
          }
          const activeMembers = net.users.filter((_, o) => ms(net, o, g) === 'ACTIVE');
          const readableMembers = net.users.filter(
            (_, o) => ms(net, o, g) === 'ACTIVE' && seesPerson(net, u, o),
          );
          expect([g, got]).toEqual([
            g,
            {
              id: gids[g],
              description: lists(net, u, g) ? 'd' : null,
              membersCount: lists(net, u, g) ? activeMembers.length : 0,
              members: { totalCount: reads(net, u, g) ? readableMembers.length : 0 },
            },
          ]);
        }
        for (const [o, other] of net.users.entries()) {
          const got = data[`u${o}`];
          if (!seesPerson(net, u, o)) {
            expect([o, got]).toEqual([o, null]);
            continue;
          }
          expect([o, got.id, ids(got.groups)]).toEqual([
            o,
            other.id,
            where((g) => ms(net, o, g) === 'ACTIVE' && reads(net, u, g)),
          ]);
        }
      }
    }),
    { numRuns: 20 },
  );
}, 60_000);

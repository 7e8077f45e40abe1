import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

let h: Harness;
let owner: Someone;
let member: Someone;
let outsider: Someone;
let guest: Someone;

const SEARCH = `query($q: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
  search(query: $q, kinds: $kinds, first: $first, after: $after) {
    nodes { __typename ... on User { id displayName handle } ... on Group { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function search(who: Someone, q: string, extra: Record<string, unknown> = {}) {
  const { search: s } = await h.ok(SEARCH, { q, ...extra }, who.token);
  return s as {
    nodes: { __typename: string; id: string; name?: string; displayName?: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const names = (nodes: { name?: string; displayName?: string }[]) =>
  nodes.map((n) => n.name ?? n.displayName).sort();

async function group(
  name: string,
  visibility: string,
  by: Someone,
  description = '',
  parentId?: string,
) {
  const { createGroup } = await h.ok(
    `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`,
    { input: { name, description, visibility, joinPolicy: 'OPEN', parentId } },
    by.token,
  );
  return createGroup.id as string;
}

beforeAll(async () => {
  h = await Harness.start();
  owner = await someone(h, 'MEMBER', 'ACTIVE', 'Élodie Lefèvre');
  member = await someone(h, 'MEMBER', 'ACTIVE', 'Marc Durand');
  outsider = await someone(h, 'ADMIN', 'ACTIVE', 'Olivier Admin');
  guest = await someone(h, 'GUEST', 'ACTIVE', 'Gaston Guest');
  await someone(h, 'MEMBER', 'PENDING', 'Élodie Pending');
  await someone(h, 'MEMBER', 'SUSPENDED', 'Élodie Suspended');
  await group('Bureau de Lyon', 'PUBLIC', owner, "L'équipe lyonnaise et ses événements");
  await group('Comité secret Lyon', 'SECRET', owner, 'Réorganisation');
  const priv = await group('Direction Lyon', 'PRIVATE', owner, 'Les décisions');
  await group('Projet caché', 'SECRET', owner, 'lyon', priv);
  await h.ok(
    `mutation($id: ID!) { joinGroup(groupId: $id) { status } }`,
    { id: priv },
    member.token,
  );
});
afterAll(() => h.stop());

describe('search', () => {
  it('finds people accent- and case-blind, as they type, but no pending or suspended account', async () => {
    expect(names((await search(member, 'elod')).nodes)).toEqual(['Élodie Lefèvre']);
    expect(names((await search(member, 'LEFÈVRE')).nodes)).toEqual(['Élodie Lefèvre']);
    expect((await search(member, `@${owner.handle}`)).nodes.map((n) => n.id)).toEqual([owner.id]);
  });

  it('finds groups by name and description, never a secret one the viewer is not in', async () => {
    expect(names((await search(member, 'lyon', { kinds: ['GROUP'] })).nodes)).toEqual([
      'Bureau de Lyon',
      'Direction Lyon',
    ]);
    expect(names((await search(outsider, 'lyon', { kinds: ['GROUP'] })).nodes)).toEqual([
      'Bureau de Lyon',
      'Direction Lyon',
    ]);
    expect(names((await search(owner, 'lyon', { kinds: ['GROUP'] })).nodes)).toEqual([
      'Bureau de Lyon',
      'Comité secret Lyon',
      'Direction Lyon',
      'Projet caché',
    ]);
    expect(
      names((await search(member, 'evenements lyonnaise', { kinds: ['GROUP'] })).nodes),
    ).toEqual(['Bureau de Lyon']);
    // The secret group's description words find nothing either.
    expect((await search(outsider, 'reorganisation')).nodes).toEqual([]);
  });

  it('shows a guest only its own groups and itself', async () => {
    expect((await search(guest, 'lyon')).nodes).toEqual([]);
    expect(names((await search(guest, 'gaston')).nodes)).toEqual(['Gaston Guest']);
    expect((await search(guest, 'elodie')).nodes).toEqual([]);
  });

  it('mixes kinds and pages with a stable cursor, no duplicates, no gaps', async () => {
    for (let i = 0; i < 7; i++) await group(`Lyon atelier ${i}`, 'PUBLIC', owner);
    const all = await search(member, 'lyon', { first: 100 });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof search>> = await search(member, 'lyon', {
        first: 3,
        after,
      });
      seen.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.nodes.map((n) => n.id));
    expect(new Set(seen).size).toBe(9);
  });

  it.each([
    ['empty', ''],
    ['only tsquery syntax', '& | ! :* ( ) <->'],
    ['10,000 characters', 'lyon '.repeat(2000)],
  ])('refuses %s with BAD_USER_INPUT on query', async (_, q) => {
    const res = await h.gql(SEARCH, { q }, { token: member.token });
    expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'query']);
  });

  it('treats hostile text as words, and refuses a forged cursor', async () => {
    expect((await search(member, "lyon'; DROP TABLE users; --")).nodes).toEqual([]);
    expect(
      names((await search(member, 'lyon & ! | (direction):*', { kinds: ['GROUP'] })).nodes),
    ).toEqual(['Direction Lyon']);
    const res = await h.gql(
      SEARCH,
      { q: 'lyon', after: Buffer.from('["1","x","y"]').toString('base64url') },
      { token: member.token },
    );
    expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'after']);
  });

  it('needs a signed-in viewer', async () => {
    expect(codeOf(await h.gql(SEARCH, { q: 'lyon' }))).toBe('UNAUTHENTICATED');
  });
});

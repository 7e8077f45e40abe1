import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

let h: Harness;
let alice: Someone, bob: Someone, carol: Someone, guest: Someone;

const SEARCH = `query($q: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
  search(query: $q, kinds: $kinds, first: $first, after: $after) {
    nodes { __typename ... on User { id } ... on Group { id } ... on Post { id body } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CREATE = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $body: String!) { updatePost(id: $id, body: $body) { id } }`;
const DELETE = `mutation($id: ID!) { deletePost(id: $id) }`;
const COMMENT = `mutation($postId: ID!, $body: String!) { addComment(postId: $postId, body: $body) { id } }`;
const DELETE_COMMENT = `mutation($id: ID!) { deleteComment(id: $id) }`;
const UPDATE_COMMENT = `mutation($id: ID!, $body: String!) { updateComment(id: $id, body: $body) { id } }`;
const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`;
const FOLLOW = `mutation($u: ID!) { follow(userId: $u) { id } }`;

type Page = {
  nodes: { __typename: string; id: string; body?: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};
async function search(who: Someone, q: string, extra: Record<string, unknown> = {}): Promise<Page> {
  return (await h.ok(SEARCH, { q, kinds: ['POST'], first: 50, ...extra }, who.token))
    .search as Page;
}
const ids = async (who: Someone, q: string, extra: Record<string, unknown> = {}) =>
  (await search(who, q, extra)).nodes.map((n) => n.id);

type Audience = { kind: string; groupId?: string; userIds?: string[]; groupIds?: string[] };
async function post(
  by: Someone,
  body: string,
  audience: Audience = { kind: 'NETWORK' },
): Promise<string> {
  return (
    (await h.ok(CREATE, { input: { body, audience } }, by.token)).createPost as { id: string }
  ).id;
}

beforeAll(async () => {
  h = await Harness.start();
  [alice, bob, carol, guest] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Alice Martin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Bob Durand'),
    someone(h, 'MEMBER', 'ACTIVE', 'Carol Petit'),
    someone(h, 'GUEST', 'ACTIVE', 'Gus Guest'),
  ]);
});
afterAll(() => h.stop());

describe('search: posts in French and English', () => {
  let plural: string, elided: string, offices: string, office: string, accents: string;
  beforeAll(async () => {
    plural = await post(alice, 'Les entreprises lyonnaises ouvrent de nouveaux ateliers');
    elided = await post(alice, "Visite de l'entreprise jeudi");
    offices = await post(alice, 'The new offices in Paris are open');
    office = await post(alice, 'Our office moved downtown');
    accents = await post(alice, "Réunion à l'hôtel de ville, café offert");
  });

  it.each([
    ['entreprise', () => [plural, elided]],
    ['entreprises ', () => [plural, elided]],
    ["l'entreprise", () => [plural, elided]],
    ['L’ENTREPRISE ', () => [plural, elided]],
    ['office ', () => [offices, office]],
    ['offices', () => [offices, office]],
    ['reunion hotel cafe', () => [accents]],
    ['RÉUNION Hôtel', () => [accents]],
    ['entrepr', () => [plural, elided]],
    ['ateliers lyonn', () => [plural]],
    ['entreprise offices', () => []],
  ])('%s', async (q, expected) => {
    expect((await ids(bob, q)).sort()).toEqual(expected().sort());
  });

  it('matches a quoted phrase only with its words next to each other', async () => {
    const near = await post(alice, 'Le bureau de Grenoble ferme en août');
    const apart = await post(alice, 'Grenoble : un bureau neuf');
    expect(await ids(bob, '"bureau de Grenoble"')).toEqual([near]);
    expect((await ids(bob, 'bureau grenoble')).sort()).toEqual([near, apart].sort());
    expect(await ids(bob, '"bureau de Grenoble" août')).toEqual([near]);
  });

  it('finds #hashtags by the tag, and @handles by author and mention', async () => {
    const tagged = await post(carol, 'Lancement demain #Été2025');
    await post(carol, 'été2025 sans étiquette');
    expect(await ids(bob, '#été2025')).toEqual([tagged]);
    expect(await ids(bob, '#ÉTÉ2025 lancement')).toEqual([tagged]);
    const mentions = await post(alice, `Merci @${carol.handle} pour la galette`);
    const byCarol = await post(carol, 'Une galette pour tous');
    await post(bob, 'Une galette sans personne');
    expect((await ids(bob, `@${carol.handle} galette`)).sort()).toEqual([mentions, byCarol].sort());
    // Without kinds, the person comes too.
    const all = await search(bob, `@${carol.handle}`, { kinds: null });
    expect(all.nodes.filter((n) => n.__typename === 'User').map((n) => n.id)).toEqual([carol.id]);
    expect(all.nodes.filter((n) => n.__typename === 'Post').map((n) => n.id)).toEqual(
      expect.arrayContaining([mentions, byCarol, tagged]),
    );
  });

  it('ranks more occurrences first, recency breaking ties', async () => {
    const twice = await post(alice, 'zéphyr verger, encore zéphyr verger');
    const once = await post(alice, 'zéphyr verger');
    const onceNewer = await post(alice, 'zéphyr verger');
    expect(await ids(bob, 'zephyr verger')).toEqual([twice, onceNewer, once]);
  });

  it('pages stably, without duplicates or gaps, while new posts arrive', async () => {
    const made: string[] = [];
    for (let i = 0; i < 12; i++)
      made.push(await post(alice, i % 3 ? 'kumquat confit' : 'kumquat confit et kumquat'));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Page = await search(bob, 'kumquat', { first: 5, after });
      seen.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      // A new post between two pages: newer, so it belongs before the cursor, never twice.
      await post(alice, 'kumquat confit et kumquat');
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...made].sort());
  });
});

describe('search: never what the viewer may not read', () => {
  it('leaves out a secret group post, a FOLLOWERS post of someone not followed, PRIVATE, CUSTOM not naming you, deleted', async () => {
    const { createGroup: secret } = await h.ok(
      CREATE_GROUP,
      { input: { name: 'Cellule', visibility: 'SECRET', joinPolicy: 'OPEN' } },
      carol.token,
    );
    const inSecret = await post(carol, 'mandarine du groupe', {
      kind: 'GROUP',
      groupId: secret.id,
    });
    const followers = await post(carol, 'mandarine des abonnés', { kind: 'FOLLOWERS' });
    const priv = await post(carol, 'mandarine privée', { kind: 'PRIVATE' });
    const custom = await post(carol, 'mandarine choisie', { kind: 'CUSTOM', userIds: [alice.id] });
    const deleted = await post(carol, 'mandarine effacée');
    await h.ok(DELETE, { id: deleted }, carol.token);
    const open = await post(carol, 'mandarine pour tous');

    expect(await ids(bob, 'mandarine')).toEqual([open]);
    expect((await ids(alice, 'mandarine')).sort()).toEqual([open, custom].sort());
    expect((await ids(carol, 'mandarine')).sort()).toEqual(
      [inSecret, followers, priv, custom, open].sort(),
    );
    expect(await ids(guest, 'mandarine')).toEqual([]);
    // Rights change now: once Bob follows Carol, her FOLLOWERS post is his to find.
    await h.ok(FOLLOW, { u: carol.id }, bob.token);
    expect((await ids(bob, 'mandarine')).sort()).toEqual([open, followers].sort());
    // The secret group's words find nothing of it, for any kind.
    expect((await search(bob, 'cellule', { kinds: null })).nodes).toEqual([]);
  });

  it('forgets the old words of an edited post and learns the new ones', async () => {
    const id = await post(alice, 'pamplemousse rose');
    expect(await ids(bob, 'pamplemousse')).toEqual([id]);
    await h.ok(UPDATE, { id, body: 'clémentine corse' }, alice.token);
    expect(await ids(bob, 'pamplemousse')).toEqual([]);
    expect(await ids(bob, 'clementine')).toEqual([id]);
  });
});

describe('search: comments', () => {
  it('finds a post by a live comment, and only when the post is readable', async () => {
    const open = await post(alice, 'Photos du séminaire');
    const c = (
      (await h.ok(COMMENT, { postId: open, body: 'Les kiwis étaient délicieux' }, bob.token))
        .addComment as { id: string }
    ).id;
    const hidden = await post(carol, 'Brouillon', { kind: 'PRIVATE' });
    await h.ok(COMMENT, { postId: hidden, body: 'kiwis secrets' }, carol.token);

    expect(await ids(bob, 'kiwi')).toEqual([open]);
    expect(await ids(alice, 'kiwis délicieux')).toEqual([open]);
    expect((await ids(carol, 'kiwi')).sort()).toEqual([open, hidden].sort());
    // One post once, even when its body and comments all match; the best match ranks it.
    await h.ok(COMMENT, { postId: open, body: 'kiwis kiwis kiwis' }, alice.token);
    const onBody = await post(alice, 'kiwis en promotion');
    expect(await ids(bob, 'kiwi')).toEqual([open, onBody]);

    await h.ok(DELETE_COMMENT, { id: c }, bob.token);
    expect(await ids(bob, 'delicieux')).toEqual([]);
  });

  it('forgets the old words of an edited comment and learns the new ones', async () => {
    const open = await post(alice, 'Compte rendu');
    const c = (
      (await h.ok(COMMENT, { postId: open, body: 'Les myrtilles du jardin' }, bob.token))
        .addComment as { id: string }
    ).id;
    expect(await ids(carol, 'myrtille')).toEqual([open]);
    await h.ok(UPDATE_COMMENT, { id: c, body: 'Les framboises du verger' }, bob.token);
    expect(await ids(carol, 'myrtille')).toEqual([]);
    expect(await ids(carol, 'framboise verger')).toEqual([open]);
  });
});

describe('search: hostile queries', () => {
  it('searches stop words only for nothing', async () => {
    await post(alice, 'le la les de des et the of and');
    expect((await search(bob, 'le la les', { kinds: null })).nodes).toEqual([]);
    expect((await search(bob, 'the of ', { kinds: ['POST'] })).nodes).toEqual([]);
  });

  it.each([
    ['tsquery syntax', 'kumquat:* & !(confit | x) <-> y <2> z'],
    ['SQL', "kumquat'); DROP TABLE posts; --"],
    ['quotes', `"kumquat "confit' '' \\"`],
    ['backslashes', '\\\\ \\x00 kumquat \\'],
    ['a NUL character', 'kumquat\u0000confit'],
    ['emoji and symbols', '🍊 ∑ ≠ kumquat ½'],
    ['a lone quote', '"'],
    ['a lone hash', '# @ #'],
    ['a long hashtag', `#${'a'.repeat(250)}`],
    ['300 characters', 'kumquat '.repeat(37)],
    ['10,000 characters', 'kumquat '.repeat(1250)],
    ['stop words and syntax', "l' & d' | (les)"],
  ])('answers %s with data or BAD_USER_INPUT, never a 500', async (_, q) => {
    const res = await h.gql(SEARCH, { q, kinds: null }, { token: bob.token });
    expect(res.status).toBeLessThan(500);
    if (res.errors) expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'query']);
    else expect(Array.isArray((res.data as { search: Page }).search.nodes)).toBe(true);
  });
});

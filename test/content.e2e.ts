import { randomUUID } from 'node:crypto';
import { Harness, codeOf, fieldOf, type GqlResult } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

let h: Harness;
let alice: Someone, bob: Someone, carol: Someone, admin: Someone, guest: Someone, mod: Someone;

beforeAll(async () => {
  h = await Harness.start();
  [alice, bob, carol, admin, guest, mod] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Alice Martin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Bob Durand'),
    someone(h, 'MEMBER', 'ACTIVE', 'Carol Petit'),
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'GUEST', 'ACTIVE', 'Gus Guest'),
    someone(h, 'MEMBER', 'ACTIVE', 'Mona Moderator'),
  ]);
});
afterAll(() => h.stop());

const POST = `id body bodyHtml hashtags isAnnouncement pinned createdAt editedAt commentsCount
  viewerCanEdit viewerCanDelete viewerCanComment
  author { id } wallOwner { id } group { id } mentions { id handle }
  audience { kind group { id } users { id } groups { id } }
  reactions { emoji count viewerReacted } poll { multipleChoice closesAt options { id label votes viewerVoted } }`;
const CREATE = `mutation($input: CreatePostInput!) { createPost(input: $input) { ${POST} } }`;
const GET = `query($id: ID!) { post(id: $id) { ${POST} comments { totalCount nodes { id body parent { id } author { id } } } } }`;
const WALL = `query($id: ID, $first: Int, $after: String) { user(id: $id) { wall(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`;
const COMPANY = `query($first: Int, $after: String) { companyFeed(first: $first, after: $after) { nodes { id pinned } pageInfo { hasNextPage endCursor } } }`;
const FEED = `query($id: ID) { group(id: $id) { feed(first: 100) { nodes { id pinned } } } }`;
const TAG = `query($tag: String!) { postsByHashtag(tag: $tag, first: 100) { nodes { id } } }`;
const UPDATE = `mutation($id: ID!, $body: String!) { updatePost(id: $id, body: $body) { id body bodyHtml editedAt hashtags } }`;
const DELETE = `mutation($id: ID!) { deletePost(id: $id) }`;
const PIN = `mutation($id: ID!, $pinned: Boolean!) { pinPost(id: $id, pinned: $pinned) { id pinned } }`;
const COMMENT = `mutation($postId: ID!, $body: String!, $parentId: ID) { addComment(postId: $postId, body: $body, parentId: $parentId) {
  id body bodyHtml parent { id } post { id } author { id } mentions { id } editedAt } }`;
const UPDATE_COMMENT = `mutation($id: ID!, $body: String!) { updateComment(id: $id, body: $body) { id body editedAt } }`;
const DELETE_COMMENT = `mutation($id: ID!) { deleteComment(id: $id) }`;
const REACT = `mutation($s: ID!, $e: String!) { react(subjectId: $s, emoji: $e) { emoji count viewerReacted } }`;
const UNREACT = `mutation($s: ID!, $e: String!) { unreact(subjectId: $s, emoji: $e) { emoji count viewerReacted } }`;
const VOTE = `mutation($p: ID!, $o: [ID!]!) { votePoll(postId: $p, optionIds: $o) { multipleChoice options { label votes viewerVoted } } }`;
const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!, $r: GroupRole) { inviteToGroup(groupId: $g, userIds: $u, role: $r) { status } }`;
const RESPOND = `mutation($g: ID!) { respondToGroupInvitation(groupId: $g, accept: true) { status } }`;
const FOLLOW = `mutation($u: ID!) { follow(userId: $u) { id } }`;
const UNFOLLOW = `mutation($u: ID!) { unfollow(userId: $u) { id } }`;

const expectCode = (r: GqlResult, code: string, field?: string) => {
  expect([codeOf(r), r.errors?.[0]?.message]).toEqual([code, expect.any(String)]);
  if (field) expect(fieldOf(r)).toBe(field);
};

type Audience = { kind: string; groupId?: string; userIds?: string[]; groupIds?: string[] };
async function post(
  by: Someone,
  body: string,
  audience: Audience = { kind: 'NETWORK' },
  over: Record<string, unknown> = {},
) {
  return (await h.ok(CREATE, { input: { body, audience, ...over } }, by.token)).createPost;
}
const read = (id: string, who: Someone) => h.ok(GET, { id }, who.token).then((d) => d.post);
const wallIds = async (of: Someone, who: Someone) =>
  (
    (await h.ok(WALL, { id: of.id, first: 100 }, who.token)).user.wall.nodes as { id: string }[]
  ).map((n) => n.id);

let n = 0;
async function group(
  visibility: string,
  by: Someone,
  members: [Someone, string?][] = [],
): Promise<string> {
  const { createGroup } = await h.ok(
    CREATE_GROUP,
    { input: { name: `team ${++n}`, visibility, joinPolicy: 'OPEN' } },
    by.token,
  );
  for (const [who, role] of members) {
    await h.ok(INVITE, { g: createGroup.id, u: [who.id], r: role }, by.token);
    await h.ok(RESPOND, { g: createGroup.id }, who.token);
  }
  return createGroup.id;
}

describe('createPost', () => {
  it('writes on the author wall, renders Markdown, stores mentions and hashtags; NETWORK reaches members, not guests', async () => {
    const p = await post(
      alice,
      `**Bonjour** @${bob.handle} et @nobody-here, voir #Réunion_Été et #café`,
    );
    expect(p).toMatchObject({
      bodyHtml: expect.stringContaining('<strong>Bonjour</strong>'),
      hashtags: ['réunion_été', 'café'],
      mentions: [{ id: bob.id, handle: bob.handle }],
      author: { id: alice.id },
      wallOwner: { id: alice.id },
      group: null,
      audience: { kind: 'NETWORK', group: null, users: null, groups: null },
      isAnnouncement: false,
      pinned: false,
      commentsCount: 0,
      viewerCanEdit: true,
      viewerCanDelete: true,
      viewerCanComment: true,
      editedAt: null,
      poll: null,
    });
    expect(await read(p.id, carol)).toMatchObject({
      id: p.id,
      viewerCanEdit: false,
      viewerCanDelete: false,
      viewerCanComment: true,
    });
    expect(await read(p.id, admin)).toMatchObject({ id: p.id });
    expect(await read(p.id, guest)).toBeNull();
    expect(await wallIds(alice, carol)).toContain(p.id);
    const tag = await h.ok(TAG, { tag: '#Réunion_Été' }, carol.token);
    expect(tag.postsByHashtag.nodes).toEqual([{ id: p.id }]);
    expect((await h.ok(TAG, { tag: 'reunion_ete' }, carol.token)).postsByHashtag.nodes).toEqual([]);
  });

  it.each([
    ['<script>alert(1)</script>', ['<script', 'alert(1)</']],
    ['<img src=x onerror="alert(1)">', ['onerror', '<img']],
    ['[clic](javascript:alert(1))', ['javascript:']],
    ['<a href="jAvAsCrIpT:alert(1)" onclick="x()">x</a>', ['avascript', 'onclick']],
    ['<svg><script>alert(1)</script></svg>', ['<svg', '<script']],
    ['<iframe src="https://evil.test"></iframe><style>*{}</style>', ['<iframe', '<style']],
  ])('sanitizes %s', async (body, banned) => {
    const p = await post(alice, body, { kind: 'PRIVATE' });
    expect(p.body).toBe(body);
    for (const b of banned) expect(p.bodyHtml.toLowerCase()).not.toContain(b.toLowerCase());
  });

  it('marks links rel="noopener nofollow"', async () => {
    const p = await post(alice, 'see [the doc](https://acme.test/doc)', { kind: 'PRIVATE' });
    expect(p.bodyHtml).toBe(
      '<p>see <a href="https://acme.test/doc" rel="noopener nofollow">the doc</a></p>',
    );
  });

  it.each([
    ['body', { body: 'x'.repeat(20_001) }],
    ['body', { body: '   ' }],
    ['poll.options', { poll: { options: Array.from({ length: 11 }, (_, i) => `o${i}`) } }],
    ['poll.options', { poll: { options: ['one'] } }],
    ['poll.options', { poll: { options: ['Oui', 'oui'] } }],
    ['poll.closesAt', { poll: { options: ['a', 'b'], closesAt: '2001-01-01T00:00:00Z' } }],
    [
      'audience.userIds',
      { audience: { kind: 'CUSTOM', userIds: Array.from({ length: 201 }, () => randomUUID()) } },
    ],
    [
      'audience.groupIds',
      { audience: { kind: 'CUSTOM', groupIds: Array.from({ length: 21 }, () => randomUUID()) } },
    ],
    ['audience.userIds', { audience: { kind: 'CUSTOM', userIds: [] } }],
    ['audience.groupId', { audience: { kind: 'GROUP' } }],
    ['audience.groupId', { audience: { kind: 'NETWORK', groupId: randomUUID() } }],
    ['attachmentIds', { attachmentIds: [randomUUID()] }],
    ['attachmentIds', { attachmentIds: ['not-an-id'] }],
    ['attachmentIds', { attachmentIds: Array.from({ length: 11 }, () => randomUUID()) }],
    ['wallOwnerId', { wallOwnerId: 'nope' }],
  ])('refuses bad %s with BAD_USER_INPUT', async (field, over) => {
    const r = await h.gql(
      CREATE,
      { input: { body: 'hello', audience: { kind: 'NETWORK' }, ...over } },
      { token: alice.token },
    );
    expectCode(r, 'BAD_USER_INPUT', field);
  });

  it('refuses an attachment id that is not an upload of the author (test/attachments.e2e.ts covers the rest)', async () => {
    const r = await h.gql(
      CREATE,
      { input: { body: 'hello', audience: { kind: 'NETWORK' }, attachmentIds: [randomUUID()] } },
      { token: alice.token },
    );
    expect([r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field]).toEqual([
      'BAD_USER_INPUT',
      'attachmentIds',
    ]);
  });

  it('posts on a colleague wall: the owner always reads and deletes it, others per audience', async () => {
    const p = await post(alice, 'for Bob only', { kind: 'PRIVATE' }, { wallOwnerId: bob.id });
    expect(p.wallOwner).toEqual({ id: bob.id });
    expect(await read(p.id, bob)).toMatchObject({
      id: p.id,
      viewerCanDelete: true,
      viewerCanEdit: false,
    });
    expect(await read(p.id, carol)).toBeNull();
    expect(await wallIds(bob, bob)).toContain(p.id);
    expect(await wallIds(bob, carol)).not.toContain(p.id);
    expect(await wallIds(alice, alice)).not.toContain(p.id);
    expectCode(await h.gql(DELETE, { id: p.id }, { token: carol.token }), 'NOT_FOUND');
    expect((await h.ok(DELETE, { id: p.id }, bob.token)).deletePost).toBe(true);
    expect(await read(p.id, alice)).toBeNull();
    expect(await read(p.id, bob)).toBeNull();
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'NETWORK' }, wallOwnerId: randomUUID() } },
        { token: alice.token },
      ),
      'NOT_FOUND',
      'wallOwnerId',
    );
  });

  it('FOLLOWERS: read by who follows the author now', async () => {
    const p = await post(carol, 'followers only', { kind: 'FOLLOWERS' });
    expect(await read(p.id, bob)).toBeNull();
    await h.ok(FOLLOW, { u: carol.id }, bob.token);
    expect(await read(p.id, bob)).toMatchObject({ id: p.id });
    await h.ok(UNFOLLOW, { u: carol.id }, bob.token);
    expect(await read(p.id, bob)).toBeNull();
    expect(await read(p.id, admin)).toBeNull();
  });

  it('CUSTOM: the named people and the ACTIVE members of the named groups; a mention grants nothing', async () => {
    const g = await group('SECRET', mod, [[carol]]);
    const p = await post(alice, `secret plan, cc @${admin.handle}`, {
      kind: 'CUSTOM',
      userIds: [bob.id, guest.id],
      groupIds: [],
    });
    expect(p.mentions).toEqual([{ id: admin.id, handle: admin.handle }]);
    expect(await read(p.id, admin)).toBeNull();
    expect(await read(p.id, bob)).toMatchObject({ id: p.id });
    // A guest named in a CUSTOM post reads it, and sees its author.
    expect(await read(p.id, guest)).toMatchObject({ id: p.id, author: { id: alice.id } });
    expect(await read(p.id, carol)).toBeNull();
    const q = await post(mod, 'for the team', { kind: 'CUSTOM', groupIds: [g] });
    expect(await read(q.id, carol)).toMatchObject({
      id: q.id,
      audience: { kind: 'CUSTOM', users: [], groups: [{ id: g }] },
    });
    expect(await read(q.id, bob)).toBeNull();
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'CUSTOM', userIds: [randomUUID()] } } },
        { token: alice.token },
      ),
      'NOT_FOUND',
      'audience.userIds',
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'CUSTOM', groupIds: [g] } } },
        { token: bob.token },
      ),
      'NOT_FOUND',
      'audience.groupIds',
    );
  });

  it('guests post only in their groups or to a CUSTOM audience', async () => {
    for (const kind of ['NETWORK', 'FOLLOWERS']) {
      expectCode(
        await h.gql(CREATE, { input: { body: 'x', audience: { kind } } }, { token: guest.token }),
        'FORBIDDEN',
      );
    }
    const p = await post(guest, 'hello', { kind: 'CUSTOM', userIds: [alice.id] });
    expect(await read(p.id, alice)).toMatchObject({ id: p.id });
    expect(await read(p.id, bob)).toBeNull();
    expect(await wallIds(guest, guest)).toContain(p.id);
  });

  it('announcements: network admins on NETWORK posts, group admins inside their group', async () => {
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'NETWORK' }, isAnnouncement: true } },
        { token: alice.token },
      ),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'FOLLOWERS' }, isAnnouncement: true } },
        { token: admin.token },
      ),
      'FORBIDDEN',
    );
    expect(
      await post(admin, 'All hands at 10', { kind: 'NETWORK' }, { isAnnouncement: true }),
    ).toMatchObject({ isAnnouncement: true });
    const g = await group('PUBLIC', alice, [[bob], [carol, 'ADMIN']]);
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'GROUP', groupId: g }, isAnnouncement: true } },
        { token: bob.token },
      ),
      'FORBIDDEN',
    );
    expect(
      await post(carol, 'Team news', { kind: 'GROUP', groupId: g }, { isAnnouncement: true }),
    ).toMatchObject({ isAnnouncement: true, group: { id: g } });
  });
});

describe('groups', () => {
  it('needs POST in the group; the feed holds what each viewer may read', async () => {
    const g = await group('PRIVATE', alice, [[bob], [guest], [mod, 'MODERATOR']]);
    const p = await post(bob, 'in the group', { kind: 'GROUP', groupId: g });
    expect(p).toMatchObject({
      group: { id: g },
      wallOwner: null,
      audience: { kind: 'GROUP', group: { id: g } },
    });
    // Guests hold COMMENT and REACT, not POST, by default.
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'GROUP', groupId: g } } },
        { token: guest.token },
      ),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'GROUP', groupId: g } } },
        { token: carol.token },
      ),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'GROUP', groupId: g }, wallOwnerId: bob.id } },
        { token: bob.token },
      ),
      'BAD_USER_INPUT',
      'wallOwnerId',
    );
    const secret = await group('SECRET', mod);
    expectCode(
      await h.gql(
        CREATE,
        { input: { body: 'x', audience: { kind: 'GROUP', groupId: secret } } },
        { token: bob.token },
      ),
      'NOT_FOUND',
      'audience.groupId',
    );

    expect((await h.ok(FEED, { id: g }, guest.token)).group.feed.nodes).toEqual([
      { id: p.id, pinned: false },
    ]);
    expect(await read(p.id, guest)).toMatchObject({
      id: p.id,
      viewerCanComment: true,
      viewerCanDelete: false,
    });
    expect((await h.ok(FEED, { id: g }, carol.token)).group.feed.nodes).toEqual([]);
    expect(await read(p.id, carol)).toBeNull();

    // Removal: the author keeps reading their own post; a removed reader does not.
    await h.ok(
      `mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) }`,
      { g, u: guest.id },
      alice.token,
    );
    expect(await read(p.id, guest)).toBeNull();
    await h.ok(
      `mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) }`,
      { g, u: bob.id },
      alice.token,
    );
    expect((await h.ok(FEED, { id: g }, bob.token)).group.feed.nodes).toEqual([
      { id: p.id, pinned: false },
    ]);

    // Pin needs PIN; moderators delete with MODERATE.
    const q = await post(alice, 'second', { kind: 'GROUP', groupId: g });
    expectCode(await h.gql(PIN, { id: p.id, pinned: true }, { token: bob.token }), 'FORBIDDEN');
    expect((await h.ok(PIN, { id: p.id, pinned: true }, mod.token)).pinPost).toEqual({
      id: p.id,
      pinned: true,
    });
    expect((await h.ok(FEED, { id: g }, mod.token)).group.feed.nodes).toEqual([
      { id: p.id, pinned: true },
      { id: q.id, pinned: false },
    ]);
    expect(await read(q.id, mod)).toMatchObject({ viewerCanDelete: true, viewerCanEdit: false });
    expect((await h.ok(DELETE, { id: q.id }, mod.token)).deletePost).toBe(true);
    expect(await read(q.id, alice)).toBeNull();
  });
});

describe('company feed and pins', () => {
  it('holds NETWORK posts, pinned first, paged by cursor; only admins pin outside groups', async () => {
    const a = await post(alice, 'one');
    const b = await post(bob, 'two');
    await post(bob, 'not company', { kind: 'FOLLOWERS' });
    const c = await post(admin, 'three', { kind: 'NETWORK' }, { isAnnouncement: true });
    expectCode(await h.gql(PIN, { id: a.id, pinned: true }, { token: alice.token }), 'FORBIDDEN');
    expect((await h.ok(PIN, { id: a.id, pinned: true }, admin.token)).pinPost.pinned).toBe(true);
    const f = await post(admin, 'followers', { kind: 'FOLLOWERS' });
    expectCode(await h.gql(PIN, { id: f.id, pinned: true }, { token: admin.token }), 'FORBIDDEN');

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const {
        companyFeed,
      }: {
        companyFeed: {
          nodes: { id: string; pinned: boolean }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      } = await h.ok(COMPANY, { first: 2, after }, carol.token);
      seen.push(...companyFeed.nodes.map((x) => x.id));
      if (!companyFeed.pageInfo.hasNextPage) break;
      after = companyFeed.pageInfo.endCursor;
    }
    expect(seen[0]).toBe(a.id);
    expect(seen.indexOf(c.id)).toBeLessThan(seen.indexOf(b.id));
    expect(seen).not.toContain(f.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await h.ok(COMPANY, { first: 100 }, guest.token)).companyFeed.nodes).toEqual([]);
    expectCode(
      await h.gql(COMPANY, { after: 'garbage' }, { token: carol.token }),
      'BAD_USER_INPUT',
      'after',
    );
    await h.ok(PIN, { id: a.id, pinned: false }, admin.token);
  });

  it('pages a wall newest first', async () => {
    const dave = await someone(h);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await post(dave, `w${i}`)).id);
    const first = (await h.ok(WALL, { id: dave.id, first: 2 }, carol.token)).user.wall;
    expect(first.nodes.map((x: { id: string }) => x.id)).toEqual([ids[4], ids[3]]);
    const second = (
      await h.ok(WALL, { id: dave.id, first: 10, after: first.pageInfo.endCursor }, carol.token)
    ).user.wall;
    expect(second.nodes.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});

describe('updatePost and deletePost', () => {
  it('lets the author edit (editedAt set, history kept), nobody else', async () => {
    const p = await post(alice, 'first #draft');
    expectCode(
      await h.gql(UPDATE, { id: p.id, body: 'hacked' }, { token: bob.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(UPDATE, { id: p.id, body: 'hacked' }, { token: guest.token }),
      'NOT_FOUND',
    );
    expectCode(
      await h.gql(UPDATE, { id: p.id, body: 'x'.repeat(20_001) }, { token: alice.token }),
      'BAD_USER_INPUT',
      'body',
    );
    const { updatePost } = await h.ok(
      UPDATE,
      { id: p.id, body: 'second #final <script>x</script>' },
      alice.token,
    );
    expect(updatePost).toMatchObject({
      body: 'second #final <script>x</script>',
      hashtags: ['final'],
      editedAt: expect.any(String),
    });
    expect(updatePost.bodyHtml).not.toContain('<script');
    const { rows } = await h.db.query('SELECT body FROM content_revisions WHERE subject_id = $1', [
      p.id,
    ]);
    expect(rows).toEqual([{ body: 'first #draft' }]);
    expectCode(await h.gql(DELETE, { id: p.id }, { token: bob.token }), 'FORBIDDEN');
    expectCode(await h.gql(DELETE, { id: 'nope' }, { token: bob.token }), 'NOT_FOUND');
    expect((await h.ok(DELETE, { id: p.id }, alice.token)).deletePost).toBe(true);
    expectCode(await h.gql(DELETE, { id: p.id }, { token: alice.token }), 'NOT_FOUND');
    const { rows: kept } = await h.db.query('SELECT deleted_at FROM posts WHERE id = $1', [p.id]);
    expect(kept[0].deleted_at).not.toBeNull();
  });
});

describe('comments', () => {
  it('one level of replies, counted, edited by the author, deleted by the author or the wall owner', async () => {
    const p = await post(alice, 'discuss', { kind: 'NETWORK' }, { wallOwnerId: carol.id });
    const c1 = (await h.ok(COMMENT, { postId: p.id, body: `top @${alice.handle}` }, bob.token))
      .addComment;
    expect(c1).toMatchObject({
      parent: null,
      post: { id: p.id },
      author: { id: bob.id },
      mentions: [{ id: alice.id }],
    });
    const r1 = (await h.ok(COMMENT, { postId: p.id, body: 'reply', parentId: c1.id }, alice.token))
      .addComment;
    expect(r1.parent).toEqual({ id: c1.id });
    const r2 = (
      await h.ok(COMMENT, { postId: p.id, body: 'reply to reply', parentId: r1.id }, bob.token)
    ).addComment;
    expect(r2.parent).toEqual({ id: c1.id });
    expectCode(
      await h.gql(
        COMMENT,
        { postId: p.id, body: 'x', parentId: randomUUID() },
        { token: bob.token },
      ),
      'BAD_USER_INPUT',
      'parentId',
    );
    expectCode(
      await h.gql(COMMENT, { postId: p.id, body: '' }, { token: bob.token }),
      'BAD_USER_INPUT',
      'body',
    );
    expectCode(
      await h.gql(COMMENT, { postId: p.id, body: 'x'.repeat(20_001) }, { token: bob.token }),
      'BAD_USER_INPUT',
      'body',
    );
    expectCode(
      await h.gql(COMMENT, { postId: p.id, body: 'x' }, { token: guest.token }),
      'NOT_FOUND',
    );

    let got = await read(p.id, bob);
    expect(got.commentsCount).toBe(3);
    expect(got.comments.nodes.map((c: { id: string }) => c.id)).toEqual([c1.id, r1.id, r2.id]);

    expectCode(
      await h.gql(UPDATE_COMMENT, { id: c1.id, body: 'edit' }, { token: alice.token }),
      'FORBIDDEN',
    );
    expect(
      (await h.ok(UPDATE_COMMENT, { id: c1.id, body: 'edited' }, bob.token)).updateComment,
    ).toMatchObject({ body: 'edited', editedAt: expect.any(String) });
    // The post's author is neither the comment's author nor the wall owner.
    expectCode(await h.gql(DELETE_COMMENT, { id: r2.id }, { token: alice.token }), 'FORBIDDEN');
    expect((await h.ok(DELETE_COMMENT, { id: r2.id }, carol.token)).deleteComment).toBe(true);
    expect((await h.ok(DELETE_COMMENT, { id: r1.id }, alice.token)).deleteComment).toBe(true);
    got = await read(p.id, bob);
    expect(got.commentsCount).toBe(1);
    expect(got.comments).toMatchObject({ totalCount: 1, nodes: [{ id: c1.id, body: 'edited' }] });
    expectCode(
      await h.gql(UPDATE_COMMENT, { id: r1.id, body: 'x' }, { token: alice.token }),
      'NOT_FOUND',
    );
  });

  it('in a group needs COMMENT; comments of a post one cannot read do not exist', async () => {
    const g = await group('PUBLIC', alice, [[bob]]);
    const p = await post(bob, 'public group post', { kind: 'GROUP', groupId: g });
    // carol reads the PUBLIC group's content but holds no permission there.
    expect(await read(p.id, carol)).toMatchObject({ viewerCanComment: false });
    expectCode(
      await h.gql(COMMENT, { postId: p.id, body: 'x' }, { token: carol.token }),
      'FORBIDDEN',
    );
    const c = (await h.ok(COMMENT, { postId: p.id, body: 'ok' }, alice.token)).addComment;
    const hidden = await post(alice, 'private', { kind: 'PRIVATE' });
    expectCode(
      await h.gql(COMMENT, { postId: hidden.id, body: 'x' }, { token: bob.token }),
      'NOT_FOUND',
    );
    expectCode(await h.gql(REACT, { s: c.id, e: '👍' }, { token: guest.token }), 'NOT_FOUND');
  });
});

describe('reactions', () => {
  it('counts one emoji per person per subject, on posts and comments', async () => {
    const p = await post(alice, 'react to me');
    expect((await h.ok(REACT, { s: p.id, e: '👍' }, bob.token)).react).toEqual([
      { emoji: '👍', count: 1, viewerReacted: true },
    ]);
    await h.ok(REACT, { s: p.id, e: '👍' }, bob.token);
    await h.ok(REACT, { s: p.id, e: '👍🏽' }, bob.token);
    const mine = (await h.ok(REACT, { s: p.id, e: '👍' }, carol.token)).react;
    expect(mine).toEqual([
      { emoji: '👍', count: 2, viewerReacted: true },
      { emoji: '👍🏽', count: 1, viewerReacted: false },
    ]);
    expect((await read(p.id, alice)).reactions).toEqual([
      { emoji: '👍', count: 2, viewerReacted: false },
      { emoji: '👍🏽', count: 1, viewerReacted: false },
    ]);
    expect((await h.ok(UNREACT, { s: p.id, e: '👍' }, carol.token)).unreact).toEqual([
      { emoji: '👍', count: 1, viewerReacted: false },
      { emoji: '👍🏽', count: 1, viewerReacted: false },
    ]);
    for (const e of ['a', '👍👍', '', ':)', '<b>', 'x'.repeat(100)]) {
      expectCode(
        await h.gql(REACT, { s: p.id, e }, { token: bob.token }),
        'BAD_USER_INPUT',
        'emoji',
      );
    }
    expectCode(await h.gql(REACT, { s: randomUUID(), e: '🎉' }, { token: bob.token }), 'NOT_FOUND');
    const many = [
      '😀',
      '😁',
      '😂',
      '🤣',
      '😃',
      '😄',
      '😅',
      '😆',
      '😉',
      '😊',
      '😋',
      '😎',
      '😍',
      '😘',
      '🥰',
      '😗',
      '😙',
      '🥲',
    ];
    for (const e of many) await h.ok(REACT, { s: p.id, e }, bob.token);
    expectCode(
      await h.gql(REACT, { s: p.id, e: '🎉' }, { token: bob.token }),
      'BAD_USER_INPUT',
      'emoji',
    );
    await h.ok(REACT, { s: p.id, e: '👍' }, bob.token);
    const c = (await h.ok(COMMENT, { postId: p.id, body: 'c' }, bob.token)).addComment;
    expect((await h.ok(REACT, { s: c.id, e: '🇫🇷' }, alice.token)).react).toEqual([
      { emoji: '🇫🇷', count: 1, viewerReacted: true },
    ]);
    const q = await h.ok(
      `query($id: ID!) { post(id: $id) { comments { nodes { reactions { emoji count } } } } }`,
      { id: p.id },
      carol.token,
    );
    expect(q.post.comments.nodes[0].reactions).toEqual([{ emoji: '🇫🇷', count: 1 }]);
  });
});

describe('polls', () => {
  it('single choice: one vote, replaced on re-vote; multiple choice; closed polls refuse', async () => {
    const p = await post(
      alice,
      'Lunch?',
      { kind: 'NETWORK' },
      { poll: { options: ['Pizza', 'Sushi', 'Salade'] } },
    );
    expect(p.poll).toMatchObject({ multipleChoice: false, closesAt: null });
    const [pizza, sushi, salade] = p.poll.options.map((o: { id: string }) => o.id);
    expect((await h.ok(VOTE, { p: p.id, o: [pizza] }, bob.token)).votePoll.options).toEqual([
      { label: 'Pizza', votes: 1, viewerVoted: true },
      { label: 'Sushi', votes: 0, viewerVoted: false },
      { label: 'Salade', votes: 0, viewerVoted: false },
    ]);
    expect(
      (await h.ok(VOTE, { p: p.id, o: [sushi] }, bob.token)).votePoll.options.map(
        (o: { votes: number }) => o.votes,
      ),
    ).toEqual([0, 1, 0]);
    expectCode(
      await h.gql(VOTE, { p: p.id, o: [pizza, sushi] }, { token: bob.token }),
      'BAD_USER_INPUT',
      'optionIds',
    );
    expectCode(
      await h.gql(VOTE, { p: p.id, o: [randomUUID()] }, { token: bob.token }),
      'BAD_USER_INPUT',
      'optionIds',
    );
    expectCode(await h.gql(VOTE, { p: p.id, o: [pizza] }, { token: guest.token }), 'NOT_FOUND');

    const m = await post(
      alice,
      'Which days?',
      { kind: 'NETWORK' },
      {
        poll: {
          options: ['Mon', 'Tue'],
          multipleChoice: true,
          closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      },
    );
    const ids = m.poll.options.map((o: { id: string }) => o.id);
    expect(
      (await h.ok(VOTE, { p: m.id, o: ids }, carol.token)).votePoll.options.map(
        (o: { votes: number }) => o.votes,
      ),
    ).toEqual([1, 1]);
    await h.db.query(
      `UPDATE posts SET poll_closes_at = now() - interval '1 minute' WHERE id = $1`,
      [m.id],
    );
    expectCode(await h.gql(VOTE, { p: m.id, o: [ids[0]] }, { token: bob.token }), 'CONFLICT');
    const plain = await post(alice, 'no poll');
    expectCode(
      await h.gql(VOTE, { p: plain.id, o: [salade] }, { token: bob.token }),
      'BAD_USER_INPUT',
      'postId',
    );
  });
});

describe('suspension', () => {
  it('a suspended viewer reads nothing', async () => {
    const eve = await someone(h);
    const p = await post(alice, 'hello all');
    expect(await read(p.id, eve)).toMatchObject({ id: p.id });
    await h.db.query(`UPDATE users SET status = 'SUSPENDED' WHERE id = $1`, [eve.id]);
    const r = await h.gql(GET, { id: p.id }, { token: eve.token });
    expect(r.data?.post ?? null).toBeNull();
  });
});

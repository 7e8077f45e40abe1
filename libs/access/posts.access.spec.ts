import { canReadPost, readablePosts, type AccessWorld, type PostFacts } from './posts.access.js';

const world: AccessWorld = {
  users: new Map([
    ['author', { role: 'MEMBER', status: 'ACTIVE' }],
    ['member', { role: 'MEMBER', status: 'ACTIVE' }],
    ['fan', { role: 'MEMBER', status: 'ACTIVE' }],
    ['guest', { role: 'GUEST', status: 'ACTIVE' }],
    ['gone', { role: 'ADMIN', status: 'SUSPENDED' }],
    ['owner', { role: 'GUEST', status: 'ACTIVE' }],
  ]),
  follows: new Set(['fan>author', 'guest>author']),
  groups: new Map([
    ['pub', { parentId: null, visibility: 'PUBLIC' }],
    ['priv', { parentId: null, visibility: 'PRIVATE' }],
    ['sub', { parentId: 'priv', visibility: 'PUBLIC' }],
  ]),
  memberships: new Map([
    ['guest@pub', 'ACTIVE'],
    ['fan@priv', 'ACTIVE'],
    ['member@priv', 'INVITED'],
  ]),
};
const post = (over: Partial<PostFacts>): PostFacts => ({
  authorId: 'author',
  wallOwnerId: 'author',
  groupId: null,
  audience: 'NETWORK',
  audienceUserIds: [],
  audienceGroupIds: [],
  deleted: false,
  ...over,
});

describe('canReadPost', () => {
  it.each([
    ['NETWORK: members', post({}), 'member', true],
    ['NETWORK: not guests', post({}), 'guest', false],
    ['NETWORK: not the suspended', post({}), 'gone', false],
    ['FOLLOWERS: a follower', post({ audience: 'FOLLOWERS' }), 'fan', true],
    ['FOLLOWERS: not a guest follower', post({ audience: 'FOLLOWERS' }), 'guest', false],
    ['FOLLOWERS: not others', post({ audience: 'FOLLOWERS' }), 'member', false],
    [
      'PRIVATE: the wall owner, guest or not',
      post({ audience: 'PRIVATE', wallOwnerId: 'owner' }),
      'owner',
      true,
    ],
    ['PRIVATE: nobody else', post({ audience: 'PRIVATE' }), 'member', false],
    ['deleted: not even the author', post({ deleted: true }), 'author', false],
    [
      'GROUP public: members of the network',
      post({ audience: 'GROUP', wallOwnerId: null, groupId: 'pub' }),
      'member',
      true,
    ],
    [
      'GROUP public: a guest member',
      post({ audience: 'GROUP', wallOwnerId: null, groupId: 'pub' }),
      'guest',
      true,
    ],
    [
      'GROUP private: not the invited',
      post({ audience: 'GROUP', wallOwnerId: null, groupId: 'priv' }),
      'member',
      false,
    ],
    [
      'GROUP public inside private: members of the parent',
      post({ audience: 'GROUP', wallOwnerId: null, groupId: 'sub' }),
      'fan',
      true,
    ],
    [
      'GROUP public inside private: not others',
      post({ audience: 'GROUP', wallOwnerId: null, groupId: 'sub' }),
      'member',
      false,
    ],
    [
      'CUSTOM: a named guest',
      post({ audience: 'CUSTOM', audienceUserIds: ['guest'] }),
      'guest',
      true,
    ],
    [
      'CUSTOM: ACTIVE members of a named group',
      post({ audience: 'CUSTOM', audienceGroupIds: ['priv'] }),
      'fan',
      true,
    ],
    [
      'CUSTOM: not the invited',
      post({ audience: 'CUSTOM', audienceGroupIds: ['priv'] }),
      'member',
      false,
    ],
  ])('%s', (_, p, viewer, expected) => expect(canReadPost(world, viewer, p)).toBe(expected));
});

describe('readablePosts', () => {
  it('reads nothing when the viewer is not ACTIVE', () => {
    expect(
      readablePosts({ id: 'v', sessionId: 's', role: 'ADMIN', status: 'SUSPENDED' }, 'p').sql,
    ).toBe('FALSE');
  });
  it('leaves NETWORK and FOLLOWERS out for guests', () => {
    const sql = readablePosts(
      { id: 'v', sessionId: 's', role: 'GUEST', status: 'ACTIVE' },
      'p',
    ).sql;
    expect(sql).not.toContain("'NETWORK'");
    expect(sql).not.toContain("'FOLLOWERS'");
    expect(sql).toContain("p.audience = 'CUSTOM'");
  });
});

import { countQueries } from './support/queries.js';
import { Harness, codeOf, fieldOf, type GqlResult } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

let h: Harness;
let owner: Someone,
  alice: Someone,
  bob: Someone,
  carol: Someone,
  admin: Someone,
  guest: Someone,
  outsider: Someone;

beforeAll(async () => {
  h = await Harness.start();
  [owner, alice, bob, carol, admin, guest, outsider] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Olive Owner'),
    someone(h, 'MEMBER', 'ACTIVE', 'Alice Martin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Bob Durand'),
    someone(h, 'MEMBER', 'ACTIVE', 'Carol Petit'),
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'GUEST', 'ACTIVE', 'Gus Guest'),
    someone(h, 'MEMBER', 'ACTIVE', 'Oscar Outsider'),
  ]);
});
afterAll(() => h.stop());

const GROUP = `id slug name description visibility joinPolicy archived membersCount viewerPermissions
  viewerMembership { role status } parent { id }`;
const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { ${GROUP} permissionMatrix { role permissions } } }`;
const BY_ID = `query($id: ID) { group(id: $id) { ${GROUP} members { totalCount nodes { role status user { id } } } } }`;
const BY_SLUG = `query($slug: String) { group(slug: $slug) { id } }`;
const LIST = `query($query: String, $memberOnly: Boolean, $parentId: ID, $first: Int, $after: String) {
  groups(query: $query, memberOnly: $memberOnly, parentId: $parentId, first: $first, after: $after) {
    totalCount nodes { id name } pageInfo { hasNextPage endCursor } } }`;
const JOIN = `mutation($g: ID!) { joinGroup(groupId: $g) { role status user { id } group { id } } }`;
const LEAVE = `mutation($g: ID!) { leaveGroup(groupId: $g) }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!, $r: GroupRole) { inviteToGroup(groupId: $g, userIds: $u, role: $r) { role status user { id } } }`;
const RESPOND = `mutation($g: ID!, $a: Boolean!) { respondToGroupInvitation(groupId: $g, accept: $a) { role status } }`;
const APPROVE = `mutation($g: ID!, $u: ID!) { approveMembership(groupId: $g, userId: $u) { role status } }`;
const REJECT = `mutation($g: ID!, $u: ID!) { rejectMembership(groupId: $g, userId: $u) }`;
const SET_ROLE = `mutation($g: ID!, $u: ID!, $r: GroupRole!) { setMemberRole(groupId: $g, userId: $u, role: $r) { role status } }`;
const REMOVE = `mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) }`;
const SET_PERMS = `mutation($g: ID!, $r: GroupRole!, $p: [GroupPermission!]!) {
  setGroupRolePermissions(groupId: $g, role: $r, permissions: $p) { id permissionMatrix { role permissions } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { ${GROUP} } }`;
const ARCHIVE = `mutation($id: ID!) { archiveGroup(id: $id) { id archived viewerPermissions } }`;
const USER_GROUPS = `query($id: ID) { user(id: $id) { id groups { totalCount nodes { id } } } }`;

let n = 0;
/** A group made by `by` (the owner by default), with a unique name. */
async function group(
  visibility: 'PUBLIC' | 'PRIVATE' | 'SECRET',
  joinPolicy: 'OPEN' | 'REQUEST' | 'INVITE' = 'OPEN',
  over: { parentId?: string; by?: Someone; name?: string; description?: string } = {},
): Promise<{ id: string; slug: string }> {
  const name = over.name ?? `${visibility.toLowerCase()} ${joinPolicy.toLowerCase()} ${++n}`;
  const { createGroup } = await h.ok(
    CREATE,
    {
      input: {
        name,
        visibility,
        joinPolicy,
        parentId: over.parentId,
        description: over.description ?? 'About us',
      },
    },
    (over.by ?? owner).token,
  );
  return createGroup;
}

/** Puts `who` in the group ACTIVE through invite + accept (works for every join policy). */
async function add(g: string, who: Someone, role?: string, by: Someone = owner): Promise<void> {
  await h.ok(INVITE, { g, u: [who.id], r: role }, by.token);
  await h.ok(RESPOND, { g, a: true }, who.token);
}

const get = (id: string, who: Someone) => h.ok(BY_ID, { id }, who.token).then((d) => d.group);
const listIds = async (who: Someone, vars: Record<string, unknown> = {}) =>
  ((await h.ok(LIST, { first: 100, ...vars }, who.token)).groups.nodes as { id: string }[]).map(
    (g) => g.id,
  );
const expectCode = (r: GqlResult, code: string, field?: string) => {
  expect(codeOf(r)).toBe(code);
  if (field) expect(fieldOf(r)).toBe(field);
};

describe('createGroup', () => {
  it('makes the creator OWNER with every permission, seeds the default matrix and derives a slug', async () => {
    const { createGroup: g } = await h.ok(
      CREATE,
      { input: { name: ' Équipe  Ventes ', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
      owner.token,
    );
    expect(g).toMatchObject({
      slug: 'equipe-ventes',
      name: 'Équipe Ventes',
      description: null,
      archived: false,
      membersCount: 1,
      parent: null,
    });
    expect(g.viewerMembership).toEqual({ role: 'OWNER', status: 'ACTIVE' });
    expect(g.viewerPermissions).toHaveLength(10);
    expect(g.permissionMatrix).toEqual([
      { role: 'OWNER', permissions: expect.arrayContaining(['MANAGE_ROLES', 'POST']) },
      { role: 'ADMIN', permissions: expect.arrayContaining(['MANAGE_ROLES', 'MANAGE_SETTINGS']) },
      {
        role: 'MODERATOR',
        permissions: ['POST', 'COMMENT', 'REACT', 'INVITE', 'APPROVE_MEMBERS', 'MODERATE', 'PIN'],
      },
      { role: 'MEMBER', permissions: ['POST', 'COMMENT', 'REACT', 'INVITE'] },
      { role: 'GUEST', permissions: ['COMMENT', 'REACT'] },
    ]);
    // Same name again: a free slug is found.
    const again = await h.ok(
      CREATE,
      { input: { name: 'Equipe ventes', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
      alice.token,
    );
    expect(again.createGroup.slug).toBe('equipe-ventes-2');
  });

  it.each([
    ['a bad slug', { slug: 'Bad Slug!' }, 'slug'],
    ['a one-letter slug', { slug: 'a' }, 'slug'],
    ['a name too long', { name: 'x'.repeat(81) }, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a description too long', { description: 'd'.repeat(2001) }, 'description'],
    ['a parentId that is not a uuid', { parentId: 'not-a-uuid' }, 'parentId'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_, over, field) => {
    const r = await h.gql(
      CREATE,
      { input: { name: 'Valid name', visibility: 'PUBLIC', joinPolicy: 'OPEN', ...over } },
      { token: owner.token },
    );
    expectCode(r, 'BAD_USER_INPUT', field);
  });

  it('refuses an unknown enum value and a taken slug', async () => {
    expectCode(
      await h.gql(
        CREATE,
        { input: { name: 'x', visibility: 'HIDDEN', joinPolicy: 'OPEN' } },
        { token: owner.token },
      ),
      'BAD_USER_INPUT',
    );
    await h.ok(
      CREATE,
      { input: { name: 'Taken', slug: 'taken-slug', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
      owner.token,
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { name: 'Other', slug: 'taken-slug', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
        { token: alice.token },
      ),
      'CONFLICT',
      'slug',
    );
  });

  it('needs CREATE_SUBGROUP in the parent; an unseen parent is NOT_FOUND; guests cannot create top-level groups', async () => {
    const parent = await group('PUBLIC', 'OPEN');
    await h.ok(JOIN, { g: parent.id }, alice.token);
    expectCode(
      await h.gql(
        CREATE,
        { input: { name: 'Sub', visibility: 'PUBLIC', joinPolicy: 'OPEN', parentId: parent.id } },
        { token: alice.token },
      ),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { name: 'Sub', visibility: 'PUBLIC', joinPolicy: 'OPEN', parentId: parent.id } },
        { token: bob.token },
      ),
      'FORBIDDEN',
    );
    const sub = await group('PRIVATE', 'REQUEST', { parentId: parent.id });
    expect((await get(sub.id, owner)).parent).toEqual({ id: parent.id });
    const secret = await group('SECRET', 'INVITE');
    expectCode(
      await h.gql(
        CREATE,
        { input: { name: 'Sub', visibility: 'PUBLIC', joinPolicy: 'OPEN', parentId: secret.id } },
        { token: alice.token },
      ),
      'NOT_FOUND',
    );
    expectCode(
      await h.gql(
        CREATE,
        { input: { name: 'Mine', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
        { token: guest.token },
      ),
      'FORBIDDEN',
    );
    // Once a MEMBER holds CREATE_SUBGROUP, they may.
    await h.ok(
      SET_PERMS,
      { g: parent.id, r: 'MEMBER', p: ['POST', 'CREATE_SUBGROUP'] },
      owner.token,
    );
    await expect(
      h.ok(
        CREATE,
        {
          input: {
            name: 'Alice sub',
            visibility: 'SECRET',
            joinPolicy: 'INVITE',
            parentId: parent.id,
          },
        },
        alice.token,
      ),
    ).resolves.toBeDefined();
  });
});

describe('updateGroup and archiveGroup', () => {
  it('need MANAGE_SETTINGS; an archived group is read-only but still readable', async () => {
    const g = await group('PUBLIC', 'OPEN');
    await h.ok(JOIN, { g: g.id }, alice.token);
    expectCode(
      await h.gql(UPDATE, { id: g.id, input: { name: 'Hijack' } }, { token: alice.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(UPDATE, { id: g.id, input: { name: 'x'.repeat(81) } }, { token: owner.token }),
      'BAD_USER_INPUT',
      'name',
    );
    const { updateGroup } = await h.ok(
      UPDATE,
      { id: g.id, input: { name: 'Renamed', description: 'New words', joinPolicy: 'REQUEST' } },
      owner.token,
    );
    expect(updateGroup).toMatchObject({
      name: 'Renamed',
      description: 'New words',
      joinPolicy: 'REQUEST',
      visibility: 'PUBLIC',
    });

    expectCode(await h.gql(ARCHIVE, { id: g.id }, { token: alice.token }), 'FORBIDDEN');
    expect((await h.ok(ARCHIVE, { id: g.id }, owner.token)).archiveGroup).toEqual({
      id: g.id,
      archived: true,
      viewerPermissions: [],
    });
    expectCode(
      await h.gql(UPDATE, { id: g.id, input: { name: 'Again' } }, { token: owner.token }),
      'FORBIDDEN',
    );
    expectCode(await h.gql(JOIN, { g: g.id }, { token: bob.token }), 'FORBIDDEN');
    // Still readable by those who could read it.
    expect(await get(g.id, bob)).toMatchObject({
      name: 'Renamed',
      archived: true,
      membersCount: 2,
    });
    expect((await get(g.id, bob)).members.totalCount).toBe(2);
  });

  it('a secret group is NOT_FOUND for a non-member, never FORBIDDEN', async () => {
    const g = await group('SECRET', 'INVITE');
    expectCode(
      await h.gql(UPDATE, { id: g.id, input: { name: 'x' } }, { token: outsider.token }),
      'NOT_FOUND',
    );
    expectCode(await h.gql(ARCHIVE, { id: g.id }, { token: admin.token }), 'NOT_FOUND');
  });
});

describe('joining and leaving', () => {
  it('OPEN: ACTIVE at once; REQUEST: PENDING until approved; INVITE: FORBIDDEN, or NOT_FOUND when secret', async () => {
    const open = await group('PUBLIC', 'OPEN');
    expect((await h.ok(JOIN, { g: open.id }, alice.token)).joinGroup).toEqual({
      role: 'MEMBER',
      status: 'ACTIVE',
      user: { id: alice.id },
      group: { id: open.id },
    });
    // Idempotent.
    expect((await h.ok(JOIN, { g: open.id }, alice.token)).joinGroup.status).toBe('ACTIVE');

    const request = await group('PRIVATE', 'REQUEST');
    expect((await h.ok(JOIN, { g: request.id }, bob.token)).joinGroup).toMatchObject({
      status: 'PENDING',
    });
    const asked = await get(request.id, bob);
    expect(asked).toMatchObject({
      viewerMembership: { role: 'MEMBER', status: 'PENDING' },
      viewerPermissions: [],
    });
    expect(asked.members.totalCount).toBe(0);
    expectCode(
      await h.gql(APPROVE, { g: request.id, u: bob.id }, { token: bob.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(APPROVE, { g: request.id, u: carol.id }, { token: owner.token }),
      'NOT_FOUND',
    );
    expect(
      (await h.ok(APPROVE, { g: request.id, u: bob.id }, owner.token)).approveMembership,
    ).toEqual({ role: 'MEMBER', status: 'ACTIVE' });
    expect((await get(request.id, bob)).members.totalCount).toBe(2);

    await h.ok(JOIN, { g: request.id }, carol.token);
    expect((await h.ok(REJECT, { g: request.id, u: carol.id }, owner.token)).rejectMembership).toBe(
      true,
    );
    expect((await get(request.id, carol)).viewerMembership).toBeNull();

    const invite = await group('PRIVATE', 'INVITE');
    expectCode(await h.gql(JOIN, { g: invite.id }, { token: alice.token }), 'FORBIDDEN');
    const secret = await group('SECRET', 'INVITE');
    expectCode(await h.gql(JOIN, { g: secret.id }, { token: alice.token }), 'NOT_FOUND');
    const secretOpen = await group('SECRET', 'OPEN');
    expectCode(await h.gql(JOIN, { g: secretOpen.id }, { token: alice.token }), 'NOT_FOUND');
    expectCode(
      await h.gql(JOIN, { g: 'nope' }, { token: alice.token }),
      'BAD_USER_INPUT',
      'groupId',
    );
  });

  it('the last OWNER cannot leave; others can, and a PENDING request is withdrawn by leaving', async () => {
    const g = await group('PUBLIC', 'OPEN');
    expectCode(await h.gql(LEAVE, { g: g.id }, { token: owner.token }), 'CONFLICT', 'groupId');
    await h.ok(JOIN, { g: g.id }, alice.token);
    expect((await h.ok(LEAVE, { g: g.id }, alice.token)).leaveGroup).toBe(true);
    expect((await h.ok(LEAVE, { g: g.id }, alice.token)).leaveGroup).toBe(false);
    await add(g.id, bob, 'OWNER');
    expect((await h.ok(LEAVE, { g: g.id }, owner.token)).leaveGroup).toBe(true);
    expect((await get(g.id, bob)).viewerMembership).toEqual({ role: 'OWNER', status: 'ACTIVE' });

    const r = await group('PUBLIC', 'REQUEST');
    await h.ok(JOIN, { g: r.id }, carol.token);
    expect((await h.ok(LEAVE, { g: r.id }, carol.token)).leaveGroup).toBe(true);
    expect((await get(r.id, carol)).viewerMembership).toBeNull();
  });
});

describe('invitations', () => {
  it('an invitee knows only the name of a secret group until accepting; declining makes it vanish', async () => {
    const g = await group('SECRET', 'INVITE', { description: 'Top secret plans' });
    const { inviteToGroup } = await h.ok(INVITE, { g: g.id, u: [alice.id, bob.id] }, owner.token);
    expect(inviteToGroup).toEqual([
      { role: 'MEMBER', status: 'INVITED', user: { id: alice.id } },
      { role: 'MEMBER', status: 'INVITED', user: { id: bob.id } },
    ]);
    const seen = await get(g.id, alice);
    expect(seen).toMatchObject({
      name: expect.any(String),
      description: null,
      membersCount: 0,
      viewerPermissions: [],
      viewerMembership: { status: 'INVITED' },
    });
    expect(seen.members.totalCount).toBe(0);
    expect(await listIds(alice)).toContain(g.id);

    expect(
      (await h.ok(RESPOND, { g: g.id, a: true }, alice.token)).respondToGroupInvitation,
    ).toEqual({ role: 'MEMBER', status: 'ACTIVE' });
    expect(await get(g.id, alice)).toMatchObject({
      description: 'Top secret plans',
      membersCount: 2,
    });
    expect(
      (await h.ok(RESPOND, { g: g.id, a: false }, bob.token)).respondToGroupInvitation,
    ).toBeNull();
    expect(await get(g.id, bob)).toBeNull();
    expectCode(await h.gql(RESPOND, { g: g.id, a: true }, { token: bob.token }), 'NOT_FOUND');
    expectCode(await h.gql(RESPOND, { g: g.id, a: true }, { token: alice.token }), 'NOT_FOUND');
  });

  it('needs INVITE; only an owner invites as OWNER; nobody invites into a role above their own; unknown people are NOT_FOUND', async () => {
    const g = await group('PRIVATE', 'INVITE');
    await add(g.id, alice, 'ADMIN');
    await add(g.id, bob);
    expectCode(
      await h.gql(INVITE, { g: g.id, u: [carol.id], r: 'OWNER' }, { token: alice.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(INVITE, { g: g.id, u: [carol.id], r: 'MODERATOR' }, { token: bob.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(
        INVITE,
        { g: g.id, u: ['00000000-0000-4000-8000-000000000000'] },
        { token: bob.token },
      ),
      'NOT_FOUND',
    );
    expectCode(
      await h.gql(INVITE, { g: g.id, u: ['x'] }, { token: bob.token }),
      'BAD_USER_INPUT',
      'userIds',
    );
    await h.ok(SET_PERMS, { g: g.id, r: 'MEMBER', p: ['POST'] }, owner.token);
    expectCode(await h.gql(INVITE, { g: g.id, u: [carol.id] }, { token: bob.token }), 'FORBIDDEN');
    expect(
      (await h.ok(INVITE, { g: g.id, u: [carol.id], r: 'MODERATOR' }, alice.token))
        .inviteToGroup[0],
    ).toMatchObject({ role: 'MODERATOR', status: 'INVITED' });
    // A guest of the network is invited as a group GUEST by default.
    expect(
      (await h.ok(INVITE, { g: g.id, u: [guest.id] }, alice.token)).inviteToGroup[0],
    ).toMatchObject({ role: 'GUEST', status: 'INVITED' });
  });
});

describe('roles and the permission matrix', () => {
  it('a moderator whose MODERATE is withdrawn loses it on the very next request', async () => {
    const g = await group('PRIVATE', 'OPEN');
    await add(g.id, alice, 'MODERATOR');
    await add(g.id, bob);
    expect((await get(g.id, alice)).viewerPermissions).toContain('MODERATE');
    const { setGroupRolePermissions } = await h.ok(
      SET_PERMS,
      { g: g.id, r: 'MODERATOR', p: ['POST', 'COMMENT'] },
      owner.token,
    );
    expect(setGroupRolePermissions.permissionMatrix).toContainEqual({
      role: 'MODERATOR',
      permissions: ['POST', 'COMMENT'],
    });
    expect((await get(g.id, alice)).viewerPermissions).toEqual(['POST', 'COMMENT']);
    expectCode(await h.gql(REMOVE, { g: g.id, u: bob.id }, { token: alice.token }), 'FORBIDDEN');
    await h.ok(
      SET_PERMS,
      { g: g.id, r: 'MODERATOR', p: ['POST', 'COMMENT', 'REACT', 'INVITE', 'MODERATE'] },
      owner.token,
    );
    expect((await h.ok(REMOVE, { g: g.id, u: bob.id }, alice.token)).removeMember).toBe(true);
  });

  it('OWNER cannot be stripped; nobody grants or withdraws what they lack; MANAGE_ROLES is needed', async () => {
    const g = await group('PUBLIC', 'OPEN');
    await add(g.id, alice, 'ADMIN');
    await add(g.id, bob);
    expectCode(
      await h.gql(SET_PERMS, { g: g.id, r: 'OWNER', p: [] }, { token: owner.token }),
      'BAD_USER_INPUT',
      'role',
    );
    expectCode(
      await h.gql(SET_PERMS, { g: g.id, r: 'MEMBER', p: ['MANAGE_ROLES'] }, { token: bob.token }),
      'FORBIDDEN',
    );
    expect(
      (
        await h.ok(
          BY_ID.replace('members {', 'permissionMatrix { role } members {'),
          { id: g.id },
          bob.token,
        )
      ).group.permissionMatrix,
    ).toBeNull();
    await h.ok(
      SET_PERMS,
      { g: g.id, r: 'ADMIN', p: ['INVITE', 'MANAGE_ROLES', 'POST'] },
      owner.token,
    );
    expectCode(
      await h.gql(
        SET_PERMS,
        { g: g.id, r: 'MEMBER', p: ['POST', 'COMMENT', 'REACT', 'INVITE', 'PIN'] },
        { token: alice.token },
      ),
      'FORBIDDEN',
    );
    // Withdrawing COMMENT, which alice lacks, is refused too; changing only what she holds works.
    expectCode(
      await h.gql(
        SET_PERMS,
        { g: g.id, r: 'MEMBER', p: ['POST', 'REACT', 'INVITE'] },
        { token: alice.token },
      ),
      'FORBIDDEN',
    );
    await expect(
      h.ok(SET_PERMS, { g: g.id, r: 'MEMBER', p: ['COMMENT', 'REACT'] }, alice.token),
    ).resolves.toBeDefined();
    expect((await get(g.id, bob)).viewerPermissions).toEqual(['COMMENT', 'REACT']);
    expectCode(
      await h.gql(SET_PERMS, { g: g.id, r: 'MEMBER', p: ['FLY'] }, { token: owner.token }),
      'BAD_USER_INPUT',
    );
  });

  it('setMemberRole: MANAGE_ROLES, owners alone touch OWNER, a group keeps an owner', async () => {
    const g = await group('PUBLIC', 'OPEN');
    await add(g.id, alice, 'ADMIN');
    await add(g.id, bob);
    expectCode(
      await h.gql(SET_ROLE, { g: g.id, u: alice.id, r: 'MEMBER' }, { token: bob.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(SET_ROLE, { g: g.id, u: bob.id, r: 'OWNER' }, { token: alice.token }),
      'FORBIDDEN',
    );
    expectCode(
      await h.gql(SET_ROLE, { g: g.id, u: owner.id, r: 'MEMBER' }, { token: alice.token }),
      'FORBIDDEN',
    );
    expect(
      (await h.ok(SET_ROLE, { g: g.id, u: bob.id, r: 'MODERATOR' }, alice.token)).setMemberRole,
    ).toEqual({ role: 'MODERATOR', status: 'ACTIVE' });
    expectCode(
      await h.gql(SET_ROLE, { g: g.id, u: owner.id, r: 'ADMIN' }, { token: owner.token }),
      'CONFLICT',
      'role',
    );
    expectCode(
      await h.gql(SET_ROLE, { g: g.id, u: carol.id, r: 'ADMIN' }, { token: owner.token }),
      'NOT_FOUND',
    );
    await h.ok(SET_ROLE, { g: g.id, u: bob.id, r: 'OWNER' }, owner.token);
    expect(
      (await h.ok(SET_ROLE, { g: g.id, u: owner.id, r: 'MEMBER' }, owner.token)).setMemberRole.role,
    ).toBe('MEMBER');
  });

  it('removeMember: MODERATE, never someone holding more, never oneself; the removed lose access at once', async () => {
    const g = await group('PRIVATE', 'INVITE');
    const secret = await group('SECRET', 'INVITE', { parentId: g.id });
    await add(g.id, alice, 'MODERATOR');
    await add(g.id, bob);
    await add(g.id, carol, 'ADMIN');
    await add(secret.id, bob);
    expectCode(await h.gql(REMOVE, { g: g.id, u: carol.id }, { token: alice.token }), 'FORBIDDEN');
    expectCode(
      await h.gql(REMOVE, { g: g.id, u: alice.id }, { token: alice.token }),
      'BAD_USER_INPUT',
      'userId',
    );
    expectCode(await h.gql(REMOVE, { g: g.id, u: owner.id }, { token: carol.token }), 'FORBIDDEN');
    expectCode(await h.gql(REMOVE, { g: g.id, u: alice.id }, { token: bob.token }), 'FORBIDDEN');
    expect((await get(g.id, bob)).members.totalCount).toBe(4);
    expect((await h.ok(REMOVE, { g: g.id, u: bob.id }, alice.token)).removeMember).toBe(true);
    const after = await get(g.id, bob);
    expect(after).toMatchObject({ viewerMembership: null, viewerPermissions: [] });
    expect(after.members.totalCount).toBe(0);
    // Removed from the secret sub-group too: it is gone for bob.
    await h.ok(REMOVE, { g: secret.id, u: bob.id }, owner.token);
    expect(await get(secret.id, bob)).toBeNull();
    expectCode(await h.gql(REMOVE, { g: g.id, u: bob.id }, { token: alice.token }), 'NOT_FOUND');
  });
});

describe('who sees what', () => {
  it("a non-member learns nothing of a secret group: by id, by slug, in listings, through a member's profile", async () => {
    const g = await group('SECRET', 'INVITE', { name: 'Projet Zèbre' });
    await add(g.id, alice);
    for (const who of [outsider, admin, guest]) {
      const byId = await h.gql(BY_ID, { id: g.id }, { token: who.token });
      expect(byId.errors).toBeUndefined();
      expect(byId.data!.group).toBeNull();
      expect((await h.ok(BY_SLUG, { slug: g.slug }, who.token)).group).toBeNull();
      expect(await listIds(who, { query: 'zebre' })).toEqual([]);
      const profile = await h.gql(USER_GROUPS, { id: alice.id }, { token: who.token });
      expect(profile.errors).toBeUndefined();
      expect(profile.data!.user?.groups.nodes ?? []).not.toContainEqual({ id: g.id });
    }
    // A member sees it everywhere.
    expect((await h.ok(BY_SLUG, { slug: g.slug }, alice.token)).group).toEqual({ id: g.id });
    expect(await listIds(alice, { query: 'zebre' })).toEqual([g.id]);
    expect(
      (await h.ok(USER_GROUPS, { id: alice.id }, alice.token)).user.groups.nodes,
    ).toContainEqual({ id: g.id });
    expect(
      (await h.ok(USER_GROUPS, { id: alice.id }, owner.token)).user.groups.nodes,
    ).toContainEqual({ id: g.id });
  });

  it('a PRIVATE group is listed to the network but its members list is for members only', async () => {
    const g = await group('PRIVATE', 'REQUEST', { description: 'Listed' });
    await add(g.id, alice);
    const seen = await get(g.id, outsider);
    expect(seen).toMatchObject({ description: 'Listed', membersCount: 2 });
    expect(seen.members.totalCount).toBe(0);
    expect(
      (await h.ok(USER_GROUPS, { id: alice.id }, outsider.token)).user.groups.nodes,
    ).not.toContainEqual({ id: g.id });
    expect((await get(g.id, alice)).members.totalCount).toBe(2);
    expect(await get(g.id, guest)).toBeNull();
  });

  it("a PUBLIC sub-group of a PRIVATE parent is readable by the parent's members and no one else", async () => {
    const parent = await group('PRIVATE', 'INVITE');
    const sub = await group('PUBLIC', 'OPEN', { parentId: parent.id });
    const deep = await group('PUBLIC', 'OPEN', { parentId: sub.id });
    await add(parent.id, alice);
    for (const id of [sub.id, deep.id]) {
      const read = await get(id, alice);
      expect(read).toMatchObject({ id, viewerMembership: null });
      expect(read.members.totalCount).toBe(1);
      expect(await get(id, outsider)).toBeNull();
      expect(await get(id, admin)).toBeNull();
    }
    expect(await listIds(alice, { parentId: parent.id })).toEqual([sub.id]);
    expect(await listIds(outsider, { parentId: parent.id })).toEqual([]);
    expectCode(await h.gql(JOIN, { g: sub.id }, { token: outsider.token }), 'NOT_FOUND');
    // Alice may join it (it is OPEN and she can see it); removed from the parent, she keeps only what her own membership gives.
    await h.ok(JOIN, { g: sub.id }, alice.token);
    await h.ok(REMOVE, { g: parent.id, u: alice.id }, owner.token);
    expect(await get(sub.id, alice)).toMatchObject({ id: sub.id });
    expect(await get(deep.id, alice)).toMatchObject({ id: deep.id });
    expect((await get(parent.id, alice)).members.totalCount).toBe(0);
  });

  it('guests see only the groups they belong to, and the people who share them', async () => {
    const pub = await group('PUBLIC', 'OPEN');
    const theirs = await group('PRIVATE', 'INVITE');
    await add(theirs.id, guest);
    await add(theirs.id, carol);
    const ids = await listIds(guest);
    expect(ids).toContain(theirs.id);
    expect(ids).not.toContain(pub.id);
    expect(await get(pub.id, guest)).toBeNull();
    expectCode(await h.gql(JOIN, { g: pub.id }, { token: guest.token }), 'NOT_FOUND');
    const members = (await get(theirs.id, guest)).members;
    expect(members.nodes.map((m: { user: { id: string } }) => m.user.id).sort()).toEqual(
      [owner.id, guest.id, carol.id].sort(),
    );
    // The people rule: co-members are visible, others are not.
    expect(
      (await h.ok(`query($id: ID) { user(id: $id) { id } }`, { id: carol.id }, guest.token)).user,
    ).toEqual({ id: carol.id });
    expect(
      (await h.ok(`query($id: ID) { user(id: $id) { id } }`, { id: outsider.id }, guest.token))
        .user,
    ).toBeNull();
    // Only ACTIVE memberships make colleagues: an invitation does not.
    const other = await group('PRIVATE', 'INVITE');
    await h.ok(INVITE, { g: other.id, u: [guest.id] }, owner.token);
    await h.ok(INVITE, { g: other.id, u: [outsider.id] }, owner.token);
    await h.ok(RESPOND, { g: other.id, a: true }, outsider.token);
    expect(
      (await h.ok(`query($id: ID) { user(id: $id) { id } }`, { id: outsider.id }, guest.token))
        .user,
    ).toBeNull();
    // ... and leaving ends it at once.
    await h.ok(LEAVE, { g: theirs.id }, carol.token);
    expect(
      (await h.ok(`query($id: ID) { user(id: $id) { id } }`, { id: carol.id }, guest.token)).user,
    ).toBeNull();
  });

  it('network admins get no extra group visibility', async () => {
    const g = await group('PRIVATE', 'INVITE');
    const sub = await group('PUBLIC', 'OPEN', { parentId: g.id });
    expect((await get(g.id, admin)).members.totalCount).toBe(0);
    expect(await get(sub.id, admin)).toBeNull();
  });
});

describe('listings', () => {
  it('search is accent-blind by word prefix; memberOnly and parentId filter; pages follow the cursor', async () => {
    const a = await group('PUBLIC', 'OPEN', { name: 'Café Crème Lovers', by: carol });
    const b = await group('PRIVATE', 'OPEN', { name: 'Cafeteria Committee', by: carol });
    const c = await group('PUBLIC', 'OPEN', {
      name: 'Crème de la crème',
      by: carol,
      parentId: a.id,
    });
    expect(await listIds(bob, { query: 'cafe' })).toEqual([a.id, b.id]);
    expect(await listIds(bob, { query: 'CRÈ' })).toEqual([a.id, c.id]);
    expect(await listIds(bob, { query: 'cafe lov' })).toEqual([a.id]);
    expect(await listIds(bob, { query: 'zzz' })).toEqual([]);
    expect(await listIds(bob, { parentId: a.id })).toEqual([c.id]);
    await h.ok(JOIN, { g: b.id }, bob.token);
    expect(await listIds(bob, { memberOnly: true, query: 'caf' })).toEqual([b.id]);
    expectCode(
      await h.gql(LIST, { parentId: 'x' }, { token: bob.token }),
      'BAD_USER_INPUT',
      'parentId',
    );

    const first = (await h.ok(LIST, { query: 'caf', first: 1 }, bob.token)).groups;
    expect(first).toMatchObject({
      totalCount: 2,
      nodes: [{ id: a.id }],
      pageInfo: { hasNextPage: true },
    });
    const second = (
      await h.ok(LIST, { query: 'caf', first: 1, after: first.pageInfo.endCursor }, bob.token)
    ).groups;
    expect(second).toMatchObject({ nodes: [{ id: b.id }], pageInfo: { hasNextPage: false } });
    expectCode(
      await h.gql(LIST, { after: 'garbage' }, { token: bob.token }),
      'BAD_USER_INPUT',
      'after',
    );
  });

  it('costs the same number of queries whatever the depth (no query per group or ancestor)', async () => {
    const chain = async (depth: number, who: Someone) => {
      let parentId: string | undefined;
      for (let i = 0; i < depth; i++)
        parentId = (await group(i === 0 ? 'PRIVATE' : 'PUBLIC', 'OPEN', { parentId, by: who })).id;
    };
    const shallow = await someone(h);
    const deep = await someone(h);
    await chain(2, shallow);
    await chain(8, deep);
    const count = async (who: Someone) => {
      const { result: groups, queries } = await countQueries(h, async () => {
        const data = await h.ok(
          `{ groups(memberOnly: true) { totalCount nodes { id name description membersCount viewerPermissions parent { id } subgroups { totalCount nodes { id } } } } }`,
          {},
          who.token,
        );
        return data.groups as { totalCount: number };
      });
      return { queries, found: groups.totalCount };
    };
    const a = await count(shallow);
    const b = await count(deep);
    expect([a.found, b.found]).toEqual([2, 8]);
    // The session check, the page, totalCount and the batched field loaders (members count, viewer
    // memberships, parents, sub-groups).
    expect(a.queries).toBeLessThanOrEqual(7);
    expect(b.queries).toBe(a.queries);
  });
});

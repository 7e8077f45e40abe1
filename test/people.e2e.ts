import { randomBytes, randomUUID } from 'node:crypto';
import { codeOf, fieldOf, Harness, type GqlResult } from './support/harness.js';
import {
  allowDomains,
  makeAdmin,
  makeMember,
  PASSWORD,
  signIn,
  SIGN_IN,
  SIGN_UP,
  uniqueEmail,
  type Person,
} from './support/builders.js';

/** People: profiles, the directory, follows and the administration of accounts and settings. */

let h: Harness;
let admin: Person;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  admin = await makeAdmin(h, { name: 'Ada Admin' });
  await allowDomains(h, admin);
});
afterAll(() => h.stop());

/** Letters only, so it is one searchable word of its own. */
const tag = () => Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');

const USER = `id handle displayName email role status followersCount followingCount viewerIsFollowing
  profile { jobTitle department location phone bio skills avatarUrl timezone locale manager { id handle } }`;
const UPDATE_PROFILE = `mutation($input: ProfileInput!) { updateProfile(input: $input) { ${USER} } }`;
const USER_REF = `query($id: ID, $handle: String) { user(id: $id, handle: $handle) { id handle displayName email status } }`;
const DIRECTORY = `query($query: String, $department: String, $first: Int, $after: String) {
  users(query: $query, department: $department, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id displayName email } } nodes { id }
  } }`;
const FOLLOW = `mutation($userId: ID!) { follow(userId: $userId) { id followersCount followingCount viewerIsFollowing } }`;
const UNFOLLOW = `mutation($userId: ID!) { unfollow(userId: $userId) { id followersCount followingCount viewerIsFollowing } }`;
const COUNTS = `query($id: ID) { user(id: $id) { id followersCount followingCount viewerIsFollowing } }`;
const VIEWER = `{ viewer { id status role } }`;
const SET_ROLE = `mutation($userId: ID!, $role: NetworkRole!) { setUserRole(userId: $userId, role: $role) { id role status } }`;
const SUSPEND = `mutation($userId: ID!) { suspendUser(userId: $userId) { id role status } }`;
const REACTIVATE = `mutation($userId: ID!) { reactivateUser(userId: $userId) { id role status } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { id } } }`;
const SETTINGS = `mutation($input: NetworkSettingsInput!) {
  updateNetworkSettings(input: $input) { name registrationMode allowedEmailDomains defaultLocale quietHours { start end days timezone } } }`;
const NETWORK = `{ network { name registrationMode allowedEmailDomains defaultLocale quietHours { start end days timezone } } }`;

/** Asserts the result failed with this code (and field, when given) and carried no data. */
function expectError(r: GqlResult, code: string, field?: string): void {
  expect({ code: codeOf(r), field: field === undefined ? undefined : fieldOf(r) }).toEqual({
    code,
    field,
  });
}

/** Someone who signed up and never clicked the link: PENDING. */
async function makePending(displayName: string, handle?: string): Promise<Person> {
  const email = uniqueEmail('pending');
  const { signUp } = await h.ok(SIGN_UP, {
    input: { email, password: PASSWORD, displayName, handle },
  });
  expect(signUp.user.status).toBe('PENDING');
  return {
    id: signUp.user.id,
    email,
    handle: signUp.user.handle,
    token: signUp.accessToken,
    refreshToken: signUp.refreshToken,
  };
}

async function setProfile(p: Person, input: Record<string, unknown>) {
  return (await h.ok(UPDATE_PROFILE, { input }, p.token)).updateProfile;
}

// ------------------------------------------------------------------------------------- profiles

describe('updateProfile', () => {
  it('saves every field, cleans them and dedupes skills accent- and case-insensitively', async () => {
    const me = await makeMember(h, { displayName: 'Jean Dupont' });
    const boss = await makeMember(h, { displayName: 'Béatrice Boss' });
    const handle = `jean.${tag()}`;
    const updated = await setProfile(me, {
      displayName: '  Jean   Dupont-Martin ',
      handle,
      jobTitle: 'Chef de projet',
      department: 'Informatique',
      location: 'Lyon',
      phone: '+33 (0)4 72-00-00-00',
      bio: 'Je construis des ruches.\nEt du logiciel.',
      skills: [
        'TypeScript',
        'typescript',
        ' Gestion  de projet ',
        'GESTION DE PROJET',
        'Résilience',
        'resilience',
        'RÉSILIENCE',
        'Go',
      ],
      timezone: 'America/New_York',
      locale: 'fr',
      managerId: boss.id,
    });
    expect(updated).toEqual({
      id: me.id,
      handle,
      displayName: 'Jean Dupont-Martin',
      email: me.email,
      role: 'MEMBER',
      status: 'ACTIVE',
      followersCount: 0,
      followingCount: 0,
      viewerIsFollowing: false,
      profile: {
        jobTitle: 'Chef de projet',
        department: 'Informatique',
        location: 'Lyon',
        phone: '+33 (0)4 72-00-00-00',
        bio: 'Je construis des ruches.\nEt du logiciel.',
        skills: ['TypeScript', 'Gestion de projet', 'Résilience', 'Go'],
        avatarUrl: null,
        timezone: 'America/New_York',
        locale: 'fr',
        manager: { id: boss.id, handle: boss.handle },
      },
    });

    // Persisted: another member reads it by the new handle; the old one is gone.
    const other = await makeMember(h);
    const { user } = await h.ok(
      `query($handle: String) { user(handle: $handle) { ${USER} } }`,
      { handle },
      other.token,
    );
    expect(user).toMatchObject({
      id: me.id,
      displayName: 'Jean Dupont-Martin',
      email: null,
      profile: updated.profile,
    });
    expect((await h.ok(USER_REF, { handle: me.handle }, other.token)).user).toBeNull();
    const { rows } = await h.db.query(
      'SELECT handle, manager_id, locale, timezone, skills FROM users WHERE id = $1',
      [me.id],
    );
    expect(rows[0]).toEqual({
      handle,
      manager_id: boss.id,
      locale: 'fr',
      timezone: 'America/New_York',
      skills: ['TypeScript', 'Gestion de projet', 'Résilience', 'Go'],
    });

    // Keeping one's own handle is no conflict; null clears optional fields and the manager.
    const cleared = await setProfile(me, {
      handle,
      jobTitle: null,
      bio: null,
      managerId: null,
      skills: [],
    });
    expect(cleared.handle).toBe(handle);
    expect(cleared.profile).toMatchObject({
      jobTitle: null,
      bio: null,
      skills: [],
      manager: null,
      department: 'Informatique',
      locale: 'fr',
    });

    // IANA names ICU knows as links are time zones too (browsers send Europe/Kyiv, Asia/Calcutta).
    for (const timezone of ['Europe/Kyiv', 'America/Montreal', 'Asia/Calcutta', 'UTC']) {
      expect((await setProfile(me, { timezone })).profile.timezone).toBe(timezone);
    }
  });

  it('refuses each invalid field with BAD_USER_INPUT naming it, and changes nothing', async () => {
    const me = await makeMember(h, { displayName: 'Invalid Ivan' });
    const pending = await makePending('Pending Paul');
    const before = (await h.db.query('SELECT * FROM users WHERE id = $1', [me.id])).rows[0];
    const cases: [string, Record<string, unknown>, string][] = [
      ['handle with upper case and spaces', { handle: 'Bad Handle!' }, 'handle'],
      ['handle too short', { handle: 'ab' }, 'handle'],
      ['handle ending with a dot', { handle: 'jean.' }, 'handle'],
      ['handle too long', { handle: 'a'.repeat(31) }, 'handle'],
      ['unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['unsupported locale', { locale: 'de' }, 'locale'],
      ['51 skills', { skills: Array.from({ length: 51 }, (_, i) => `skill${i}`) }, 'skills'],
      ['a skill of 51 characters', { skills: ['ok', 'x'.repeat(51)] }, 'skills'],
      ['an empty displayName', { displayName: '' }, 'displayName'],
      ['a blank displayName', { displayName: '    ' }, 'displayName'],
      ['a displayName of 81 characters', { displayName: 'n'.repeat(81) }, 'displayName'],
      ['a bio of 2001 characters', { bio: 'b'.repeat(2001) }, 'bio'],
      ['a phone that is not one', { phone: 'call me maybe' }, 'phone'],
      ['a phone of letters and digits', { phone: '06abc12345' }, 'phone'],
      ['oneself as manager', { managerId: me.id }, 'managerId'],
      ['a manager id that is no user', { managerId: randomUUID() }, 'managerId'],
      ['a manager id that is no id', { managerId: 'not-a-uuid' }, 'managerId'],
      ['an unverified (PENDING) manager', { managerId: pending.id }, 'managerId'],
    ];
    const got = [];
    for (const [what, input] of cases) {
      const r = await h.gql(
        UPDATE_PROFILE,
        { input: { jobTitle: 'Should not be saved', ...input } },
        { token: me.token },
      );
      got.push([what, codeOf(r), fieldOf(r), r.data?.updateProfile ?? null]);
    }
    expect(got).toEqual(cases.map(([what, , field]) => [what, 'BAD_USER_INPUT', field, null]));
    const after = (await h.db.query('SELECT * FROM users WHERE id = $1', [me.id])).rows[0];
    expect(after).toEqual(before);
  });

  it('refuses a handle someone else holds with CONFLICT on handle', async () => {
    const a = await makeMember(h);
    const b = await makeMember(h);
    const r = await h.gql(
      UPDATE_PROFILE,
      { input: { handle: a.handle, jobTitle: 'Thief' } },
      { token: b.token },
    );
    expectError(r, 'CONFLICT', 'handle');
    const { rows } = await h.db.query('SELECT handle, job_title FROM users WHERE id = $1', [b.id]);
    expect(rows[0]).toEqual({ handle: b.handle, job_title: null });
  });

  it('refuses a manager that would make a loop', async () => {
    const a = await makeMember(h, { displayName: 'Alice Loop' });
    const b = await makeMember(h, { displayName: 'Bob Loop' });
    const c = await makeMember(h, { displayName: 'Carol Loop' });
    // A is managed by B: B may not be managed by A.
    expect((await setProfile(a, { managerId: b.id })).profile.manager).toEqual({
      id: b.id,
      handle: b.handle,
    });
    const direct = await h.gql(UPDATE_PROFILE, { input: { managerId: a.id } }, { token: b.token });
    expectError(direct, 'BAD_USER_INPUT', 'managerId');
    // C is managed by A (C → A → B): B may not be managed by C either.
    await setProfile(c, { managerId: a.id });
    const longer = await h.gql(UPDATE_PROFILE, { input: { managerId: c.id } }, { token: b.token });
    expectError(longer, 'BAD_USER_INPUT', 'managerId');
    const { rows } = await h.db.query('SELECT manager_id FROM users WHERE id = $1', [b.id]);
    expect(rows[0].manager_id).toBeNull();
    // No loop: B may be managed by someone outside the chain.
    const d = await makeMember(h, { displayName: 'Dan Outside' });
    expect((await setProfile(b, { managerId: d.id })).profile.manager.id).toBe(d.id);
  });

  it('lets only one of two people naming each other as manager at the same time succeed', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await makeMember(h, { displayName: 'Race Anna' });
      const b = await makeMember(h, { displayName: 'Race Boris' });
      const [ra, rb] = await Promise.all([
        h.gql(UPDATE_PROFILE, { input: { managerId: b.id } }, { token: a.token }),
        h.gql(UPDATE_PROFILE, { input: { managerId: a.id } }, { token: b.token }),
      ]);
      const codes = [codeOf(ra), codeOf(rb)].sort((x, y) => String(x).localeCompare(String(y)));
      expect(codes).toEqual(['BAD_USER_INPUT', undefined]);
      const { rows } = await h.db.query(
        'SELECT count(*)::int AS n FROM users WHERE id = ANY($1) AND manager_id IS NOT NULL',
        [[a.id, b.id]],
      );
      expect(rows[0].n).toBe(1);
    }
  });

  it('gives a handle wanted by two people at the same time to one of them, the other gets CONFLICT', async () => {
    const a = await makeMember(h);
    const b = await makeMember(h);
    const wanted = `race.${tag()}`;
    const results = await Promise.all(
      [a, b].map((p) => h.gql(UPDATE_PROFILE, { input: { handle: wanted } }, { token: p.token })),
    );
    const outcome = results
      .map((r) => (r.errors ? `${codeOf(r)}:${fieldOf(r)}` : r.data?.updateProfile.handle))
      .sort();
    expect(outcome).toEqual(['CONFLICT:handle', wanted].sort());
  });
});

// ------------------------------------------------------------------------------------ one person

describe('user(id | handle)', () => {
  let me: Person;
  let other: Person;
  beforeAll(async () => {
    me = await makeMember(h, { displayName: 'Found Fiona', handle: `fiona.${tag()}` });
    other = await makeMember(h, { displayName: 'Other Oscar' });
  });

  it('finds a person by id and by handle (any case)', async () => {
    const expected = {
      id: me.id,
      handle: me.handle,
      displayName: 'Found Fiona',
      email: null,
      status: 'ACTIVE',
    };
    expect((await h.ok(USER_REF, { id: me.id }, other.token)).user).toEqual(expected);
    expect((await h.ok(USER_REF, { handle: me.handle }, other.token)).user).toEqual(expected);
    expect((await h.ok(USER_REF, { handle: me.handle.toUpperCase() }, other.token)).user).toEqual(
      expected,
    );
  });

  it('answers null, without error, for an unknown id, a non-UUID id or an unknown handle', async () => {
    for (const ref of [
      { id: randomUUID() },
      { id: 'not-a-uuid' },
      { id: '42' },
      { handle: `nobody.${tag()}` },
    ]) {
      const r = await h.gql(USER_REF, ref, { token: other.token });
      expect({ ref, errors: r.errors, data: r.data }).toEqual({
        ref,
        errors: undefined,
        data: { user: null },
      });
    }
  });

  it('wants exactly one of id and handle', async () => {
    expectError(await h.gql(USER_REF, {}, { token: other.token }), 'BAD_USER_INPUT');
    expectError(
      await h.gql(USER_REF, { id: me.id, handle: me.handle }, { token: other.token }),
      'BAD_USER_INPUT',
    );
  });

  it('hides a PENDING sign-up from members but shows it to admins', async () => {
    const pending = await makePending('Pending Penny', `penny.${tag()}`);
    expect((await h.ok(USER_REF, { id: pending.id }, other.token)).user).toBeNull();
    expect((await h.ok(USER_REF, { handle: pending.handle }, other.token)).user).toBeNull();
    const seen = {
      id: pending.id,
      handle: pending.handle,
      displayName: 'Pending Penny',
      email: pending.email,
      status: 'PENDING',
    };
    expect((await h.ok(USER_REF, { id: pending.id }, admin.token)).user).toEqual(seen);
    expect((await h.ok(USER_REF, { handle: pending.handle }, admin.token)).user).toEqual(seen);
  });

  it('shows the email address only to the person and to admins', async () => {
    expect((await h.ok(USER_REF, { id: me.id }, me.token)).user.email).toBe(me.email);
    expect((await h.ok(USER_REF, { id: me.id }, admin.token)).user.email).toBe(me.email);
    expect((await h.ok(USER_REF, { id: me.id }, other.token)).user.email).toBeNull();
    expect((await h.ok(USER_REF, { id: admin.id }, other.token)).user.email).toBeNull();
    // The same through the directory and a profile's manager.
    await setProfile(other, { managerId: me.id });
    const { viewer } = await h.ok(
      `{ viewer { email profile { manager { id email } } } }`,
      {},
      other.token,
    );
    expect(viewer).toEqual({
      email: other.email,
      profile: { manager: { id: me.id, email: null } },
    });
    const asAdmin = await h.ok(
      `query($id: ID) { user(id: $id) { profile { manager { id email } } } }`,
      { id: other.id },
      admin.token,
    );
    expect(asAdmin.user.profile.manager).toEqual({ id: me.id, email: me.email });
  });
});

// ------------------------------------------------------------------------------------- directory

describe('users (the directory)', () => {
  const t = tag();
  const dept = `Dept ${t}`;
  let elodie: Person;
  let bruno: Person;
  let camille: Person;
  let viewer: Person;
  let pending: Person;
  let suspended: Person;

  const search = async (vars: Record<string, unknown>, token = viewer.token) =>
    (await h.ok(DIRECTORY, vars, token)).users;
  const names = async (vars: Record<string, unknown>, token = viewer.token) =>
    (await search(vars, token)).nodes.map((n: { id: string }) => n.id);

  beforeAll(async () => {
    viewer = await makeMember(h, { displayName: 'Viewer Victor' });
    elodie = await makeMember(h, { displayName: 'Élodie Martin' });
    bruno = await makeMember(h, { displayName: 'Bruno Élan' });
    camille = await makeMember(h, { displayName: 'Camille Durand', handle: `kiwi.${t}` });
    await setProfile(elodie, { jobTitle: 'Chargée RH', department: dept, skills: ['Recrutement'] });
    await setProfile(bruno, {
      jobTitle: 'Développeur',
      department: dept,
      skills: ['Kubernetes', 'Rust'],
    });
    await setProfile(camille, { jobTitle: 'Comptable', department: dept });
    pending = await makePending(`Pending ${t}`);
    suspended = await makeMember(h, { displayName: `Suspended ${t}` });
    await setProfile(suspended, { department: dept });
    await h.ok(SUSPEND, { userId: suspended.id }, admin.token);
  });

  it('searches name, handle, job title, department and skills by prefix, ignoring accents and case', async () => {
    const byDept = (query: string) => names({ query, department: dept });
    expect(await byDept('elo')).toEqual([elodie.id]);
    expect(await byDept('ÉLO')).toEqual([elodie.id]);
    expect(await byDept('el')).toEqual([bruno.id, elodie.id]); // Bruno Élan, Élodie Martin: by name
    expect(await byDept('CHARG')).toEqual([elodie.id]); // job title "Chargée RH"
    expect(await byDept('chargee')).toEqual([elodie.id]);
    expect(await byDept('dévelop')).toEqual([bruno.id]);
    expect(await byDept('kube')).toEqual([bruno.id]); // skill
    expect(await byDept('recru')).toEqual([elodie.id]); // skill
    expect(await byDept('kiwi')).toEqual([camille.id]); // handle
    expect(await byDept('xylophone')).toEqual([]);
    // Without a department filter: 'elo' finds Élodie wherever she works.
    expect(await names({ query: 'elo' })).toContain(elodie.id);
    expect(await names({ query: 'elo' })).not.toContain(bruno.id);
  });

  it('searches the department and ANDs several words', async () => {
    const all = await search({ query: t });
    expect(all.nodes.map((n: { id: string }) => n.id)).toEqual([bruno.id, camille.id, elodie.id]);
    expect(all.totalCount).toBe(3);
    expect(await names({ query: `élodie ${t}` })).toEqual([elodie.id]);
    expect(await names({ query: `ELODIE MARTIN` })).toContain(elodie.id);
    expect(await names({ query: `elodie durand ${t}` })).toEqual([]);
    expect(await names({ query: `dept ${t} comptable` })).toEqual([camille.id]);
  });

  it('filters by department, case-insensitively', async () => {
    const page = await search({ department: dept.toUpperCase() });
    expect(page.nodes.map((n: { id: string }) => n.id)).toEqual([bruno.id, camille.id, elodie.id]);
    expect(page.totalCount).toBe(3);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(await names({ department: `Other ${t}` })).toEqual([]);
  });

  it('leaves PENDING and SUSPENDED people out, for members and admins alike', async () => {
    const { rows } = await h.db.query(
      'SELECT id, status FROM users WHERE id = ANY($1) ORDER BY status',
      [[pending.id, suspended.id]],
    );
    expect(rows).toEqual([
      { id: pending.id, status: 'PENDING' },
      { id: suspended.id, status: 'SUSPENDED' },
    ]);
    for (const token of [viewer.token, admin.token]) {
      expect(await names({ query: t }, token)).toEqual([bruno.id, camille.id, elodie.id]);
      expect(await names({ query: 'pending' }, token)).not.toContain(pending.id);
      expect(await names({ query: 'suspended' }, token)).not.toContain(suspended.id);
      expect((await search({ department: dept }, token)).totalCount).toBe(3);
    }
  });

  it('shows email addresses in the directory only to admins and oneself', async () => {
    const asMember = await search({ department: dept });
    expect(asMember.edges.map((e: { node: { email: string | null } }) => e.node.email)).toEqual([
      null,
      null,
      null,
    ]);
    const asAdmin = await search({ department: dept }, admin.token);
    expect(asAdmin.edges.map((e: { node: { email: string | null } }) => e.node.email)).toEqual([
      bruno.email,
      camille.email,
      elodie.email,
    ]);
    const asElodie = await search({ department: dept }, elodie.token);
    expect(asElodie.edges.map((e: { node: { email: string | null } }) => e.node.email)).toEqual([
      null,
      null,
      elodie.email,
    ]);
  });

  it('pages with first/after: no duplicates, no gaps, in name order', async () => {
    const pageDept = `Paging ${tag()}`;
    const firstNames = ['Gaston', 'Émile', 'Aline', 'Fanny', 'Céline', 'Bastien', 'Damien'];
    const people: Record<string, string> = {};
    for (const name of firstNames) {
      const p = await makeMember(h, { displayName: `${name} Pager` });
      await setProfile(p, { department: pageDept });
      people[name] = p.id;
    }
    const expected = ['Aline', 'Bastien', 'Céline', 'Damien', 'Émile', 'Fanny', 'Gaston'].map(
      (n) => people[n],
    );
    const seen: string[] = [];
    const pages: { size: number; hasNextPage: boolean; totalCount: number }[] = [];
    let after: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await search({ department: pageDept, first: 3, after });
      pages.push({
        size: page.edges.length,
        hasNextPage: page.pageInfo.hasNextPage,
        totalCount: page.totalCount,
      });
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(page.nodes.map((n: { id: string }) => n.id)).toEqual(
        page.edges.map((e: { node: { id: string } }) => e.node.id),
      );
      if (page.edges.length)
        expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      { size: 3, hasNextPage: true, totalCount: 7 },
      { size: 3, hasNextPage: true, totalCount: 7 },
      { size: 1, hasNextPage: false, totalCount: 7 },
    ]);
    expect(seen).toEqual(expected);
    // Resuming from any edge's cursor gives what follows it.
    const all = await search({ department: pageDept, first: 100 });
    expect(all.nodes.map((n: { id: string }) => n.id)).toEqual(expected);
    const fromThird = await search({ department: pageDept, first: 2, after: all.edges[2].cursor });
    expect(fromThird.nodes.map((n: { id: string }) => n.id)).toEqual(expected.slice(3, 5));
    // A page with the search as well: only matching names, still paged.
    const p1 = await search({ query: 'pager', department: pageDept, first: 4 });
    const p2 = await search({
      query: 'pager',
      department: pageDept,
      first: 4,
      after: p1.pageInfo.endCursor,
    });
    expect([...p1.nodes, ...p2.nodes].map((n: { id: string }) => n.id)).toEqual(expected);
    expect([
      p1.pageInfo.hasNextPage,
      p2.pageInfo.hasNextPage,
      p1.totalCount,
      p2.totalCount,
    ]).toEqual([true, false, 7, 7]);
  });

  it('refuses a bad cursor on after and a page over 100 on first', async () => {
    const crafted = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
    for (const after of [
      'not-a-cursor!',
      'Zm9v',
      crafted(['only one']),
      crafted({ a: 1 }),
      crafted(['x', 'not-a-uuid']),
      crafted([1, 2]),
      crafted([null, null]),
    ]) {
      const r = await h.gql(DIRECTORY, { department: dept, after }, { token: viewer.token });
      expect({ after, code: codeOf(r), field: fieldOf(r) }).toEqual({
        after,
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    }
    expectError(
      await h.gql(DIRECTORY, { first: 101 }, { token: viewer.token }),
      'BAD_USER_INPUT',
      'first',
    );
    expectError(
      await h.gql(DIRECTORY, { first: 0 }, { token: viewer.token }),
      'BAD_USER_INPUT',
      'first',
    );
    expectError(
      await h.gql(DIRECTORY, { first: -1 }, { token: viewer.token }),
      'BAD_USER_INPUT',
      'first',
    );
    expect((await search({ department: dept, first: 100 })).nodes).toHaveLength(3);
  });

  it('needs a signed-in viewer', async () => {
    expectError(await h.gql(DIRECTORY, { query: t }), 'UNAUTHENTICATED');
  });
});

// ----------------------------------------------------------------------------------------- follows

describe('follow / unfollow', () => {
  it('changes counts and viewerIsFollowing, and is idempotent', async () => {
    const a = await makeMember(h, { displayName: 'Follower Fred' });
    const b = await makeMember(h, { displayName: 'Followed Flora' });
    const c = await makeMember(h, { displayName: 'Follower Félix' });

    expect((await h.ok(FOLLOW, { userId: b.id }, a.token)).follow).toEqual({
      id: b.id,
      followersCount: 1,
      followingCount: 0,
      viewerIsFollowing: true,
    });
    expect((await h.ok(FOLLOW, { userId: b.id }, a.token)).follow).toEqual({
      id: b.id,
      followersCount: 1,
      followingCount: 0,
      viewerIsFollowing: true,
    });
    const { rows } = await h.db.query(
      'SELECT count(*)::int AS n FROM follows WHERE follower_id = $1 AND followee_id = $2',
      [a.id, b.id],
    );
    expect(rows[0].n).toBe(1);
    expect((await h.ok(FOLLOW, { userId: b.id }, c.token)).follow).toMatchObject({
      followersCount: 2,
      viewerIsFollowing: true,
    });

    // Seen by someone else, and by the follower about themself.
    expect((await h.ok(COUNTS, { id: b.id }, b.token)).user).toEqual({
      id: b.id,
      followersCount: 2,
      followingCount: 0,
      viewerIsFollowing: false,
    });
    expect((await h.ok(COUNTS, { id: a.id }, b.token)).user).toEqual({
      id: a.id,
      followersCount: 0,
      followingCount: 1,
      viewerIsFollowing: false,
    });
    expect(
      (await h.ok(`{ viewer { followersCount followingCount } }`, {}, a.token)).viewer,
    ).toEqual({ followersCount: 0, followingCount: 1 });

    expect((await h.ok(UNFOLLOW, { userId: b.id }, a.token)).unfollow).toEqual({
      id: b.id,
      followersCount: 1,
      followingCount: 0,
      viewerIsFollowing: false,
    });
    expect((await h.ok(UNFOLLOW, { userId: b.id }, a.token)).unfollow).toEqual({
      id: b.id,
      followersCount: 1,
      followingCount: 0,
      viewerIsFollowing: false,
    });
    expect((await h.ok(COUNTS, { id: b.id }, a.token)).user).toEqual({
      id: b.id,
      followersCount: 1,
      followingCount: 0,
      viewerIsFollowing: false,
    });
    expect((await h.ok(COUNTS, { id: b.id }, c.token)).user).toMatchObject({
      viewerIsFollowing: true,
    });
    expect((await h.ok(`{ viewer { followingCount } }`, {}, a.token)).viewer.followingCount).toBe(
      0,
    );
  });

  it('refuses to follow oneself, an unknown person or an invisible one', async () => {
    const a = await makeMember(h);
    expectError(
      await h.gql(FOLLOW, { userId: a.id }, { token: a.token }),
      'BAD_USER_INPUT',
      'userId',
    );
    expectError(await h.gql(FOLLOW, { userId: randomUUID() }, { token: a.token }), 'NOT_FOUND');
    expectError(await h.gql(FOLLOW, { userId: 'not-a-uuid' }, { token: a.token }), 'NOT_FOUND');
    const pending = await makePending('Pending Pierre');
    expectError(await h.gql(FOLLOW, { userId: pending.id }, { token: a.token }), 'NOT_FOUND');
    const { rows } = await h.db.query(
      'SELECT count(*)::int AS n FROM follows WHERE follower_id = $1',
      [a.id],
    );
    expect(rows[0].n).toBe(0);
  });
});

// ------------------------------------------------------------------------------------ administration

describe('administration', () => {
  it('setUserRole makes an admin who may then change the network settings', async () => {
    const m = await makeMember(h, { displayName: 'Promoted Pat' });
    const other = await makeMember(h);
    expectError(
      await h.gql(SETTINGS, { input: { name: 'Not yet' } }, { token: m.token }),
      'FORBIDDEN',
    );
    expectError(
      await h.gql(SET_ROLE, { userId: other.id, role: 'ADMIN' }, { token: m.token }),
      'FORBIDDEN',
    );
    expectError(
      await h.gql(SET_ROLE, { userId: m.id, role: 'ADMIN' }, { token: m.token }),
      'FORBIDDEN',
    );

    expect(
      (await h.ok(SET_ROLE, { userId: m.id, role: 'ADMIN' }, admin.token)).setUserRole,
    ).toEqual({ id: m.id, role: 'ADMIN', status: 'ACTIVE' });
    // The same access token now carries the new role.
    expect((await h.ok(VIEWER, {}, m.token)).viewer.role).toBe('ADMIN');
    const name = `Ruche ${tag()}`;
    expect((await h.ok(SETTINGS, { input: { name } }, m.token)).updateNetworkSettings.name).toBe(
      name,
    );
    expect((await h.ok(NETWORK)).network.name).toBe(name);
    // The new admin now sees addresses.
    expect((await h.ok(USER_REF, { id: other.id }, m.token)).user.email).toBe(other.email);

    // Nobody changes their own role, not even an admin.
    expectError(
      await h.gql(SET_ROLE, { userId: admin.id, role: 'MEMBER' }, { token: admin.token }),
      'FORBIDDEN',
    );
    expectError(
      await h.gql(SET_ROLE, { userId: m.id, role: 'MEMBER' }, { token: m.token }),
      'FORBIDDEN',
    );
    expect(
      (
        await h.db.query('SELECT role FROM users WHERE id = ANY($1) ORDER BY role', [
          [admin.id, m.id],
        ])
      ).rows,
    ).toEqual([{ role: 'ADMIN' }, { role: 'ADMIN' }]);
    expectError(
      await h.gql(SET_ROLE, { userId: randomUUID(), role: 'ADMIN' }, { token: admin.token }),
      'NOT_FOUND',
    );
    expectError(
      await h.gql(SET_ROLE, { userId: 'nope', role: 'ADMIN' }, { token: admin.token }),
      'NOT_FOUND',
    );

    // Back to member: the right goes at the next request.
    expect(
      (await h.ok(SET_ROLE, { userId: m.id, role: 'MEMBER' }, admin.token)).setUserRole.role,
    ).toBe('MEMBER');
    expectError(
      await h.gql(SETTINGS, { input: { name: 'Too late' } }, { token: m.token }),
      'FORBIDDEN',
    );
    expect((await h.ok(NETWORK)).network.name).toBe(name);
  });

  it('suspendUser ends the sessions at once; reactivateUser lets them sign in again', async () => {
    const s = await makeMember(h, { displayName: 'Suspended Sam' });
    const second = await signIn(h, s.email); // a second session, on another device
    expect((await h.ok(VIEWER, {}, s.token)).viewer).toEqual({
      id: s.id,
      status: 'ACTIVE',
      role: 'MEMBER',
    });

    expectError(await h.gql(SUSPEND, { userId: s.id }, { token: second.token }), 'FORBIDDEN');
    expect((await h.ok(SUSPEND, { userId: s.id }, admin.token)).suspendUser).toEqual({
      id: s.id,
      role: 'MEMBER',
      status: 'SUSPENDED',
    });

    for (const p of [s, second]) {
      expectError(await h.gql(VIEWER, {}, { token: p.token }), 'UNAUTHENTICATED');
      expectError(await h.gql(DIRECTORY, {}, { token: p.token }), 'UNAUTHENTICATED');
      expectError(await h.gql(REFRESH, { t: p.refreshToken }), 'UNAUTHENTICATED');
    }
    const refused = await h.gql(SIGN_IN, { email: s.email, password: PASSWORD });
    expectError(refused, 'UNAUTHENTICATED');
    expect(refused.data?.signIn ?? null).toBeNull();
    // Admins still see the account, with its status.
    expect((await h.ok(USER_REF, { id: s.id }, admin.token)).user.status).toBe('SUSPENDED');

    expect((await h.ok(REACTIVATE, { userId: s.id }, admin.token)).reactivateUser).toEqual({
      id: s.id,
      role: 'MEMBER',
      status: 'ACTIVE',
    });
    const back = await signIn(h, s.email);
    expect((await h.ok(VIEWER, {}, back.token)).viewer).toEqual({
      id: s.id,
      status: 'ACTIVE',
      role: 'MEMBER',
    });
    // The sessions ended by the suspension stay ended.
    expectError(await h.gql(VIEWER, {}, { token: s.token }), 'UNAUTHENTICATED');
    expectError(await h.gql(REFRESH, { t: second.refreshToken }), 'UNAUTHENTICATED');
  });

  it('refuses unknown users, self-suspension and non-admins', async () => {
    const m = await makeMember(h);
    for (const mutation of [SUSPEND, REACTIVATE]) {
      expectError(
        await h.gql(mutation, { userId: randomUUID() }, { token: admin.token }),
        'NOT_FOUND',
      );
      expectError(
        await h.gql(mutation, { userId: 'not-a-uuid' }, { token: admin.token }),
        'NOT_FOUND',
      );
      expectError(await h.gql(mutation, { userId: admin.id }, { token: m.token }), 'FORBIDDEN');
    }
    expectError(await h.gql(SUSPEND, { userId: admin.id }, { token: admin.token }), 'FORBIDDEN');
    expect((await h.ok(VIEWER, {}, admin.token)).viewer.status).toBe('ACTIVE');
  });
});

describe('updateNetworkSettings', () => {
  const quiet = { start: '22:00', end: '07:30', days: [1, 2, 3, 4, 5], timezone: 'Europe/Paris' };

  it('validates domains and quiet hours, naming the field', async () => {
    const before = (await h.ok(NETWORK)).network;
    const cases: [Record<string, unknown>, string][] = [
      [{ allowedEmailDomains: ['acme.test', 'not a domain'] }, 'allowedEmailDomains'],
      [{ allowedEmailDomains: ['@acme.test'] }, 'allowedEmailDomains'],
      [{ allowedEmailDomains: ['localhost'] }, 'allowedEmailDomains'],
      [{ quietHours: { ...quiet, start: '25:00' } }, 'quietHours.start'],
      [{ quietHours: { ...quiet, end: '7:30' } }, 'quietHours.end'],
      [{ quietHours: { ...quiet, days: [0] } }, 'quietHours.days'],
      [{ quietHours: { ...quiet, days: [8] } }, 'quietHours.days'],
      [{ quietHours: { ...quiet, days: [] } }, 'quietHours.days'],
      [{ quietHours: { ...quiet, days: [1, 1] } }, 'quietHours.days'],
      [{ quietHours: { ...quiet, timezone: 'Mars/Olympus' } }, 'quietHours.timezone'],
      [{ quietHours: quiet, clearQuietHours: true }, 'clearQuietHours'],
    ];
    const got = [];
    for (const [input] of cases) {
      const r = await h.gql(
        SETTINGS,
        { input: { name: 'Must not stick', ...input } },
        { token: admin.token },
      );
      got.push({ input, code: codeOf(r), field: fieldOf(r) });
    }
    expect(got).toEqual(cases.map(([input, field]) => ({ input, code: 'BAD_USER_INPUT', field })));
    expect((await h.ok(NETWORK)).network).toEqual(before);
  });

  it('stores quiet hours, keeps them across other updates, and clears them', async () => {
    const set = await h.ok(SETTINGS, { input: { quietHours: quiet } }, admin.token);
    expect(set.updateNetworkSettings.quietHours).toEqual(quiet);
    expect((await h.ok(NETWORK)).network.quietHours).toEqual(quiet);

    const overnight = {
      start: '20:15',
      end: '06:00',
      days: [5, 6, 7],
      timezone: 'America/Montreal',
    };
    await h.ok(SETTINGS, { input: { quietHours: overnight } }, admin.token);
    expect((await h.ok(NETWORK)).network.quietHours).toEqual(overnight);

    const name = `Ruche ${tag()}`;
    await h.ok(SETTINGS, { input: { name } }, admin.token);
    expect((await h.ok(NETWORK)).network).toMatchObject({
      name,
      quietHours: overnight,
      allowedEmailDomains: ['acme.test'],
    });

    const cleared = await h.ok(SETTINGS, { input: { clearQuietHours: true } }, admin.token);
    expect(cleared.updateNetworkSettings.quietHours).toBeNull();
    expect((await h.ok(NETWORK)).network).toMatchObject({ name, quietHours: null });
    const { rows } = await h.db.query('SELECT quiet_hours FROM network_settings WHERE id = 1');
    expect(rows[0].quiet_hours).toBeNull();
  });
});

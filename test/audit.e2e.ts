import { codeOf, Harness } from './support/harness.js';
import { makeAdmin, PASSWORD, SIGN_IN, uniqueEmail } from './support/builders.js';
import { someone } from './support/people.js';

const EVENTS = `query($first: Int, $after: String, $action: String, $actorId: ID, $targetId: String, $since: DateTime, $until: DateTime) {
  auditEvents(first: $first, after: $after, action: $action, actorId: $actorId, targetId: $targetId, since: $since, until: $until) {
    nodes { id at action actorId targetType targetId details ip hash }
    pageInfo { hasNextPage endCursor }
  } }`;
const CHECK = `{ auditChainCheck { ok checked firstBrokenId reason } }`;

interface Ev {
  id: string;
  action: string;
  actorId: string | null;
  targetId: string | null;
  details: string;
  ip: string | null;
}

describe('audit log', () => {
  let h: Harness;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;

  beforeAll(async () => {
    h = await Harness.start();
    admin = await makeAdmin(h);
  });
  afterAll(() => h.stop());

  const events = async (vars: Record<string, unknown> = {}): Promise<Ev[]> =>
    (await h.ok(EVENTS, { first: 100, ...vars }, admin.token)).auditEvents.nodes as Ev[];

  it('records sign-in success and failure with the address and IP, never the password', async () => {
    const bad = await h.gql(SIGN_IN, { email: admin.email, password: 'Wrong-password-123' });
    expect(codeOf(bad)).toBe('UNAUTHENTICATED');
    const nobody = uniqueEmail('nobody');
    await h.gql(SIGN_IN, { email: nobody, password: 'Wrong-password-123' });
    const failed = await events({ action: 'auth.sign-in-failed' });
    expect(failed.map((e) => JSON.parse(e.details).email)).toEqual([nobody, admin.email]);
    expect(failed[1]).toMatchObject({ actorId: null, targetId: admin.id, ip: '127.0.0.1' });
    expect(failed[0].targetId).toBeNull();
    const ok = await events({ action: 'auth.sign-in', actorId: admin.id });
    expect(ok[0]).toMatchObject({ targetId: admin.id, ip: '127.0.0.1' });
    const all = JSON.stringify(await events());
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('Wrong-password-123');
  });

  it('records role changes, suspensions, reactivations, settings and matrix changes', async () => {
    const bob = await someone(h);
    await h.ok(
      `mutation($u: ID!) { setUserRole(userId: $u, role: GUEST) { id } }`,
      { u: bob.id },
      admin.token,
    );
    await h.ok(`mutation($u: ID!) { suspendUser(userId: $u) { id } }`, { u: bob.id }, admin.token);
    await h.ok(
      `mutation($u: ID!) { reactivateUser(userId: $u) { id } }`,
      { u: bob.id },
      admin.token,
    );
    const about = await events({ targetId: bob.id });
    expect(about.map((e) => e.action).slice(0, 3)).toEqual([
      'user.reactivated',
      'user.suspended',
      'user.role-changed',
    ]);
    expect(JSON.parse(about[2].details)).toEqual({ from: 'MEMBER', to: 'GUEST' });
    expect(about.every((e) => e.actorId === admin.id || e.action === 'user.admin-created')).toBe(
      true,
    );

    await h.ok(
      `mutation { updateNetworkSettings(input: { name: "Acme", allowedEmailDomains: ["acme.test"] }) { name } }`,
      {},
      admin.token,
    );
    const [settings] = await events({ action: 'network.settings-changed' });
    expect(JSON.parse(settings.details).name.to).toBe('Acme');

    const { createGroup } = await h.ok(
      `mutation { createGroup(input: { name: "Audit team", visibility: PUBLIC, joinPolicy: OPEN }) { id } }`,
      {},
      admin.token,
    );
    await h.ok(
      `mutation($g: ID!) { setGroupRolePermissions(groupId: $g, role: MEMBER, permissions: [POST]) { id } }`,
      { g: createGroup.id },
      admin.token,
    );
    await h.ok(
      `mutation($g: ID!) { updateGroup(id: $g, input: { visibility: SECRET }) { id } }`,
      { g: createGroup.id },
      admin.token,
    );
    const group = await events({ targetId: createGroup.id });
    expect(group.map((e) => e.action)).toEqual([
      'group.access-changed',
      'group.permissions-changed',
    ]);
    expect(JSON.parse(group[1].details)).toMatchObject({ role: 'MEMBER', to: ['POST'] });
    expect(JSON.parse(group[0].details)).toEqual({ visibility: { from: 'PUBLIC', to: 'SECRET' } });
  });

  it('pages newest first and filters by time', async () => {
    const first = await h.ok(EVENTS, { first: 2 }, admin.token);
    const page1 = first.auditEvents.nodes as Ev[];
    expect(first.auditEvents.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await h.ok(EVENTS, { first: 2, after: first.auditEvents.pageInfo.endCursor }, admin.token)
    ).auditEvents.nodes as Ev[];
    expect(BigInt(page1[1].id)).toBeGreaterThan(BigInt(page2[0].id));
    const all = await events();
    expect([...page1, ...page2].map((e) => e.id)).toEqual(all.slice(0, 4).map((e) => e.id));
    expect(await events({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect((await events({ until: new Date(Date.now() + 60_000).toISOString() })).length).toBe(
      all.length,
    );
    expect(codeOf(await h.gql(EVENTS, { actorId: 'nope' }, { token: admin.token }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('refuses non-admins, through GraphQL and the CSV route', async () => {
    const member = await someone(h);
    expect(codeOf(await h.gql(EVENTS, {}, { token: member.token }))).toBe('FORBIDDEN');
    expect(codeOf(await h.gql(CHECK, {}, { token: member.token }))).toBe('FORBIDDEN');
    expect(codeOf(await h.gql(EVENTS, {}))).toBe('UNAUTHENTICATED');
    const csv = await fetch(`${h.url}/admin/audit.csv`, {
      headers: { authorization: `Bearer ${member.token}` },
    });
    expect(csv.status).toBe(403);
    expect((await fetch(`${h.url}/admin/audit.csv`)).status).toBe(401);
  });

  it('exports CSV with quoting and a formula guard', async () => {
    const { AuditService } = await import('@ruche/audit');
    await h.api.get(AuditService).record({
      action: 'test.csv',
      actorId: null,
      targetType: '@user',
      targetId: '=HYPERLINK("http://evil",1)',
      details: { note: 'a, "b"\nc' },
      ip: '-1+2',
    });
    const res = await fetch(`${h.url}/admin/audit.csv?action=test.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('id,at,action,actor_id,target_type,target_id,details,ip,hash');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const cells = lines[1].split(',');
    expect(cells[2]).toBe('test.csv');
    expect(cells[3]).toBe('');
    expect(cells[4]).toBe("'@user");
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil"",1)",`);
    expect(lines[1]).toContain(`,"{""note"":""a, \\""b\\""\\nc""}",'-1+2,`);

    const filtered = await fetch(
      `${h.url}/admin/audit.csv?action=test.csv&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      { headers: { authorization: `Bearer ${admin.token}` } },
    );
    expect((await filtered.text()).split('\r\n')).toHaveLength(2);
    const bad = await fetch(`${h.url}/admin/audit.csv?since=yesterday`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'since' });
  });

  it('the app connection cannot UPDATE, DELETE or TRUNCATE audit rows', async () => {
    await expect(h.db.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(h.db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(h.db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    const grants = await h.db.query(
      `SELECT privilege_type FROM information_schema.role_table_grants
        WHERE table_name = 'audit_events' AND grantee = 'PUBLIC'`,
    );
    expect(grants.rows).toEqual([]);
  });

  it('concurrent writers do not fork the chain', async () => {
    const audit = (await import('@ruche/audit')).AuditService;
    const svc = h.api.get(audit);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        svc.record({ action: 'test.parallel', actorId: null, details: { i } }),
      ),
    );
    expect((await h.ok(CHECK, {}, admin.token)).auditChainCheck).toMatchObject({
      ok: true,
      firstBrokenId: null,
    });
  });

  it('a row changed directly in PostgreSQL is reported by the chain check, exactly that row', async () => {
    const all = await events();
    const victim = all[Math.floor(all.length / 2)];
    // Around the trigger, as only a superuser can.
    const c = await h.db.connect();
    try {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
      await c.query(`UPDATE audit_events SET details = '{"email":"forged"}' WHERE id = $1`, [
        victim.id,
      ]);
      await c.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const check = (await h.ok(CHECK, {}, admin.token)).auditChainCheck;
    expect(check).toMatchObject({
      ok: false,
      firstBrokenId: victim.id,
      reason: 'its content was changed',
    });
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { codeOf, Harness } from './support/harness.js';
import { makeAdmin, PASSWORD, signIn, SIGN_IN } from './support/builders.js';
import { someone } from './support/people.js';

const run = promisify(execFile);

describe('ruche operator commands (child processes, audited as the operator)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function ruche(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: h.config.DATABASE_URL,
      REDIS_URL: h.config.REDIS_URL,
      REDIS_PREFIX: h.config.REDIS_PREFIX,
      SMTP_URL: h.config.SMTP_URL,
      PUBLIC_URL: 'http://ruche.test',
      LOG_LEVEL: 'silent',
    };
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/ruche.js', ...args], {
        env,
        timeout: 30_000,
      });
      return { code: 0, out: stdout, err: stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout, err: x.stderr };
    }
  }

  const operatorEvents = async (command: string) =>
    (
      await h.db.query<{
        action: string;
        actor_id: string | null;
        target_id: string;
        details: Record<string, unknown>;
      }>(
        `SELECT action, actor_id, target_id, details FROM audit_events WHERE details->>'command' = $1 ORDER BY id`,
        [command],
      )
    ).rows;

  const alive = async (token: string) =>
    codeOf(await h.gql('{ viewer { id } }', {}, { token })) === undefined;

  it('reset-password prints a one-time link that works, ends the sessions; --password sets it', async () => {
    const admin = await makeAdmin(h);
    const out = await ruche('reset-password', '--email', admin.email);
    expect(out.code).toBe(0);
    const link = /http:\/\/ruche\.test\/reset-password\?token=(\S+)/.exec(out.out);
    expect(link).not.toBeNull();
    expect(await alive(admin.token)).toBe(false);
    const next = 'Violet-Canyon-Lantern-77';
    await h.ok(`mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }`, {
      t: decodeURIComponent(link![1]),
      p: next,
    });
    await signIn(h, admin.email, next);
    expect(
      (await ruche('reset-password', '--email', admin.email, '--password', PASSWORD)).code,
    ).toBe(0);
    const again = await signIn(h, admin.email, PASSWORD);
    expect(await alive(again.token)).toBe(true);
    const events = await operatorEvents('reset-password');
    expect(events.map((e) => [e.action, e.actor_id, e.target_id, e.details.by])).toEqual([
      ['auth.password-reset', null, admin.id, 'link-issued'],
      ['auth.password-reset', null, admin.id, 'password-set'],
    ]);
    const unknown = await ruche('reset-password', '--email', 'nobody@acme.test');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/email: No account uses nobody@acme\.test/);
  });

  it('suspend ends sessions and refuses sign-in; unsuspend lets them back', async () => {
    const admin = await makeAdmin(h);
    const s = await ruche(
      'suspend',
      '--email',
      admin.email,
      '--until',
      '2030-01-01',
      '--reason',
      'laptop stolen',
    );
    expect(s.code).toBe(0);
    expect(await alive(admin.token)).toBe(false);
    expect(codeOf(await h.gql(SIGN_IN, { email: admin.email, password: PASSWORD }))).toBe(
      'UNAUTHENTICATED',
    );
    expect((await ruche('unsuspend', '--email', admin.email)).code).toBe(0);
    await signIn(h, admin.email);
    const [suspended] = await operatorEvents('suspend');
    expect(suspended).toMatchObject({
      action: 'user.suspended',
      actor_id: null,
      target_id: admin.id,
      details: { reason: 'laptop stolen', until: '2030-01-01T00:00:00.000Z' },
    });
    expect((await operatorEvents('unsuspend'))[0].action).toBe('user.reactivated');
    expect((await ruche('suspend')).code).toBe(1);
  });

  it('archive-group and hand-over-group act on a SECRET group no admin can see', async () => {
    const owner = await someone(h);
    const admin = await makeAdmin(h);
    const { createGroup } = await h.ok(
      `mutation { createGroup(input: { name: "Hidden board", slug: "hidden-board", visibility: SECRET, joinPolicy: INVITE }) { id } }`,
      {},
      owner.token,
    );
    const see = `query($id: ID!) { group(id: $id) { id archived viewerMembership { role status } } }`;
    expect((await h.ok(see, { id: createGroup.id }, admin.token)).group).toBeNull();

    const handed = await ruche('hand-over-group', '--slug', 'hidden-board', '--to', admin.email);
    expect(handed.code).toBe(0);
    expect((await h.ok(see, { id: createGroup.id }, admin.token)).group).toMatchObject({
      viewerMembership: { role: 'OWNER', status: 'ACTIVE' },
    });
    const [handEvent] = await operatorEvents('hand-over-group');
    expect(handEvent).toMatchObject({
      action: 'group.owner-changed',
      actor_id: null,
      target_id: createGroup.id,
      details: { userId: admin.id, from: null },
    });

    expect((await ruche('archive-group', '--slug', 'hidden-board')).code).toBe(0);
    expect((await h.ok(see, { id: createGroup.id }, owner.token)).group.archived).toBe(true);
    const post = await h.gql(
      `mutation($g: ID!) { createPost(input: { body: "still here?", audience: { kind: GROUP, groupId: $g } }) { id } }`,
      { g: createGroup.id },
      { token: owner.token },
    );
    expect(codeOf(post)).toBe('FORBIDDEN');
    expect((await operatorEvents('archive-group'))[0]).toMatchObject({
      action: 'group.archived',
      actor_id: null,
    });
    const missing = await ruche('archive-group', '--slug', 'no-such-group');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/slug: No group has the slug/);
  });

  it('audit-verify passes, then fails naming the row changed behind its back', async () => {
    const ok = await ruche('audit-verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit log intact: \d+ events chained/);
    const { rows } = await h.db.query<{ id: string }>(
      `SELECT id::text FROM audit_events ORDER BY id OFFSET 2 LIMIT 1`,
    );
    const c = await h.db.connect();
    try {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
      await c.query(
        `UPDATE audit_events SET actor_id = NULL, action = 'auth.sign-out' WHERE id = $1`,
        [rows[0].id],
      );
      await c.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const broken = await ruche('audit-verify');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(
      `audit log BROKEN at event ${rows[0].id}: its content was changed`,
    );
    expect((await operatorEvents('audit-verify')).map((e) => e.details.ok)).toEqual([true, false]);
  });
});

import { Harness, codeOf, fieldOf } from './support/harness.js';
import { tokenOf } from './support/smtp.js';
import {
  allowDomains,
  makeAdmin,
  makeMember,
  PASSWORD,
  SIGN_IN,
  SIGN_UP,
  signIn,
  uniqueEmail,
  type Person,
} from './support/builders.js';

let h: Harness;
let admin: Person;

const SETTINGS = `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { registrationMode allowedEmailDomains } }`;
const VERIFY = `mutation($t: String!) { verifyEmail(token: $t) }`;
const REFRESH = `mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken expiresIn user { id } } }`;
const VIEWER = `{ viewer { id status email } }`;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  admin = await makeAdmin(h);
});
afterAll(() => h.stop());
beforeEach(() => allowDomains(h, admin, ['acme.test']));

const signUp = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.gql(
    SIGN_UP,
    { input: { password: PASSWORD, displayName: 'Jeanne Test', ...input } },
    { headers },
  );

describe('signUp in DOMAIN mode', () => {
  it('creates a PENDING account that holds tokens but reads nothing until the emailed link is used', async () => {
    const email = uniqueEmail('jeanne');
    const res = await signUp({ email: email.toUpperCase() });
    expect(res.errors).toBeUndefined();
    const { accessToken, user } = res.data!.signUp;
    expect(user).toMatchObject({ status: 'PENDING', email, role: 'MEMBER' });

    expect((await h.gql(VIEWER, {}, { token: accessToken })).data!.viewer).toMatchObject({
      id: user.id,
      status: 'PENDING',
    });
    expect(codeOf(await h.gql(`{ users { totalCount } }`, {}, { token: accessToken }))).toBe(
      'FORBIDDEN',
    );
    // A PENDING account appears nowhere.
    expect(
      (
        await h.ok(
          `query($id: ID) { user(id: $id) { id } }`,
          { id: user.id },
          (await makeMember(h)).token,
        )
      ).user,
    ).toBeNull();

    const mail = await h.smtp.waitFor(email);
    expect(mail.subject).toContain('Confirm your address');
    expect(mail.text).toContain('http://ruche.test/verify-email?token=');
    await expect(h.ok(VERIFY, { t: tokenOf(mail) })).resolves.toEqual({ verifyEmail: true });
    expect((await h.ok(VIEWER, {}, accessToken)).viewer.status).toBe('ACTIVE');
    // The link works once.
    const again = await h.gql(VERIFY, { t: tokenOf(mail) });
    expect([codeOf(again), fieldOf(again)]).toEqual(['BAD_USER_INPUT', 'token']);
  });

  it('writes the email in the language of the browser (French)', async () => {
    const email = uniqueEmail('fr');
    await signUp({ email }, { 'accept-language': 'fr-FR,fr;q=0.9' });
    const mail = await h.smtp.waitFor(email);
    expect(mail.subject).toContain('Confirmez votre adresse');
    expect(mail.text).toContain('Bienvenue');
  });

  it('resends the verification email to a PENDING account, rate limited', async () => {
    const email = uniqueEmail('resend');
    const { accessToken } = (await signUp({ email })).data!.signUp;
    await h.smtp.waitFor(email);
    await expect(h.ok(`mutation { resendVerificationEmail }`, {}, accessToken)).resolves.toEqual({
      resendVerificationEmail: true,
    });
    await h.smtp.waitFor(email, () => h.smtp.to(email).length >= 2);
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(
        codeOf(await h.gql(`mutation { resendVerificationEmail }`, {}, { token: accessToken })),
      );
    expect(results).toContain('RATE_LIMITED');
  });

  it.each([
    ['another domain', 'x@other.test'],
    ['a sub-domain of an allowed one', 'x@evil.acme.test'],
    ['an allowed domain as a sub-domain', 'x@acme.test.evil.com'],
    ['a look-alike', 'x@acme-test.test'],
  ])('refuses %s', async (_, email) => {
    const res = await signUp({ email });
    expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'email']);
  });

  it.each([
    ['a weak password', { password: 'password123' }, 'password', 'BAD_USER_INPUT'],
    ['a short password', { password: 'short' }, 'password', 'BAD_USER_INPUT'],
    ['an invalid email', { email: 'not-an-email' }, 'email', 'BAD_USER_INPUT'],
    ['a bad handle', { handle: 'Bad Handle!' }, 'handle', 'BAD_USER_INPUT'],
    ['an empty name', { displayName: '' }, 'displayName', 'BAD_USER_INPUT'],
    ['a blank name', { displayName: '   ' }, 'displayName', 'BAD_USER_INPUT'],
  ])('refuses %s naming the field', async (_, input, field, code) => {
    const res = await signUp({ email: uniqueEmail(), ...input });
    expect([codeOf(res), fieldOf(res)]).toEqual([code, field]);
  });

  it('refuses a duplicate address (any case) and a duplicate handle', async () => {
    const email = uniqueEmail('dup');
    expect((await signUp({ email, handle: 'dup.handle' })).errors).toBeUndefined();
    const sameEmail = await signUp({ email: email.toUpperCase() });
    expect([codeOf(sameEmail), fieldOf(sameEmail)]).toEqual(['CONFLICT', 'email']);
    const sameHandle = await signUp({ email: uniqueEmail(), handle: 'dup.handle' });
    expect([codeOf(sameHandle), fieldOf(sameHandle)]).toEqual(['CONFLICT', 'handle']);
  });

  it('makes a unique handle when none is given', async () => {
    const a = (await signUp({ email: 'same.name@acme.test' })).data!.signUp.user.handle;
    const b = (await signUp({ email: 'same.name@ACME.test'.replace('same', 'same') })).errors;
    expect(a).toBe('same.name');
    expect(b?.[0].extensions?.code).toBe('CONFLICT');
    await h.ok(
      SETTINGS,
      { input: { allowedEmailDomains: ['acme.test', 'other.test'] } },
      admin.token,
    );
    const c = (await signUp({ email: 'same.name@other.test' })).data!.signUp.user.handle;
    expect(c).toBe('same.name2');
  });
});

describe('signUp in the other modes', () => {
  it('INVITE_ONLY needs an invitation; SSO_ONLY refuses every sign-up', async () => {
    await h.ok(SETTINGS, { input: { registrationMode: 'INVITE_ONLY' } }, admin.token);
    const res = await signUp({ email: uniqueEmail() });
    expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'invitationToken']);
    await h.ok(SETTINGS, { input: { registrationMode: 'SSO_ONLY' } }, admin.token);
    expect(codeOf(await signUp({ email: uniqueEmail() }))).toBe('FORBIDDEN');
  });

  it('an invitation (any domain) makes an ACTIVE account with the invited role, once', async () => {
    await h.ok(SETTINGS, { input: { registrationMode: 'INVITE_ONLY' } }, admin.token);
    const guest = uniqueEmail('guest', 'partner.test');
    const count = await h.ok(
      `mutation($e: [String!]!) { inviteMembers(emails: $e, role: GUEST) }`,
      { e: [guest, guest.toUpperCase()] },
      admin.token,
    );
    expect(count.inviteMembers).toBe(1);
    const mail = await h.smtp.waitFor(guest);
    expect(mail.subject).toContain('invites you');
    expect(mail.text).toContain('http://ruche.test/join?token=');

    const wrongAddress = await signUp({
      email: uniqueEmail('other', 'partner.test'),
      invitationToken: tokenOf(mail),
    });
    expect([codeOf(wrongAddress), fieldOf(wrongAddress)]).toEqual(['BAD_USER_INPUT', 'email']);
    const bogus = await signUp({ email: guest, invitationToken: 'nope' });
    expect([codeOf(bogus), fieldOf(bogus)]).toEqual(['BAD_USER_INPUT', 'invitationToken']);

    const ok = await signUp({ email: guest, invitationToken: tokenOf(mail) });
    expect(ok.data!.signUp.user).toMatchObject({ status: 'ACTIVE', role: 'GUEST' });
    const reused = await signUp({ email: guest, invitationToken: tokenOf(mail) });
    expect(codeOf(reused)).toBe('BAD_USER_INPUT');
  });

  it('inviteMembers is for admins, with valid addresses, already-members skipped', async () => {
    const member = await makeMember(h);
    expect(
      codeOf(
        await h.gql(
          `mutation { inviteMembers(emails: ["a@b.test"]) }`,
          {},
          { token: member.token },
        ),
      ),
    ).toBe('FORBIDDEN');
    const bad = await h.gql(
      `mutation { inviteMembers(emails: ["nope"]) }`,
      {},
      { token: admin.token },
    );
    expect([codeOf(bad), fieldOf(bad)]).toEqual(['BAD_USER_INPUT', 'emails']);
    const skipped = await h.ok(
      `mutation($e: [String!]!) { inviteMembers(emails: $e) }`,
      { e: [member.email] },
      admin.token,
    );
    expect(skipped.inviteMembers).toBe(0);
  });
});

describe('signIn, refresh and signOut', () => {
  it('refuses a wrong password or an unknown address alike', async () => {
    const m = await makeMember(h);
    const wrong = await h.gql(SIGN_IN, { email: m.email, password: 'Wrong-Password-123' });
    const unknown = await h.gql(SIGN_IN, { email: uniqueEmail('ghost'), password: PASSWORD });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
  });

  it('signs in with any case of the address and rotates refresh tokens; a reused one closes the session', async () => {
    const m = await makeMember(h);
    const s = await signIn(h, m.email.toUpperCase());
    const first = (await h.ok(REFRESH, { r: s.refreshToken })).refreshSession;
    expect(first.user.id).toBe(m.id);
    expect(first.expiresIn).toBe(900);
    const second = (await h.ok(REFRESH, { r: first.refreshToken })).refreshSession;
    // The first token again: reuse. The whole session dies, the thief's copy and the owner's.
    expect(codeOf(await h.gql(REFRESH, { r: s.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await h.gql(REFRESH, { r: second.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await h.gql(VIEWER, {}, { token: second.accessToken }))).toBe('UNAUTHENTICATED');
    // Another session of the same person lives on.
    expect((await h.ok(VIEWER, {}, m.token)).viewer.id).toBe(m.id);
  });

  it('refreshes even with the expired access token still attached, while viewer says UNAUTHENTICATED', async () => {
    const m = await makeMember(h);
    await h.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1`, [m.id]);
    const fresh = await signIn(h, m.email);
    expect(codeOf(await h.gql(VIEWER, {}, { token: m.token }))).toBe('UNAUTHENTICATED');
    const res = await h.gql(REFRESH, { r: fresh.refreshToken }, { token: m.token });
    expect(res.data?.refreshSession.user.id).toBe(m.id);
  });

  it('refuses an expired refresh token and a garbage one', async () => {
    const m = await makeMember(h);
    await h.db.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)`,
      [m.id],
    );
    expect(codeOf(await h.gql(REFRESH, { r: m.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await h.gql(REFRESH, { r: 'garbage' }))).toBe('UNAUTHENTICATED');
  });

  it('signOut ends the session: its access and refresh tokens stop working', async () => {
    const m = await makeMember(h);
    await expect(h.ok(`mutation { signOut }`, {}, m.token)).resolves.toEqual({ signOut: true });
    expect(codeOf(await h.gql(VIEWER, {}, { token: m.token }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await h.gql(REFRESH, { r: m.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('a suspended user cannot sign in, and every token of theirs dies at once', async () => {
    const m = await makeMember(h);
    const other = await signIn(h, m.email);
    await h.ok(
      `mutation($id: ID!) { suspendUser(userId: $id) { status } }`,
      { id: m.id },
      admin.token,
    );
    for (const token of [m.token, other.token])
      expect(codeOf(await h.gql(VIEWER, {}, { token }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await h.gql(REFRESH, { r: other.refreshToken }))).toBe('UNAUTHENTICATED');
    const res = await h.gql(SIGN_IN, { email: m.email, password: PASSWORD });
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].message).toContain('suspended');
  });
});

describe('password reset', () => {
  it('sends a link that sets a new password once and signs out every session', async () => {
    const m = await makeMember(h);
    await expect(
      h.ok(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: m.email }),
    ).resolves.toEqual({ requestPasswordReset: true });
    const mail = await h.smtp.waitFor(m.email, (x) => x.subject?.includes('Reset') ?? false);
    const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }`;
    const weak = await h.gql(RESET, { t: tokenOf(mail), p: 'password123' });
    expect([codeOf(weak), fieldOf(weak)]).toEqual(['BAD_USER_INPUT', 'password']);
    await expect(h.ok(RESET, { t: tokenOf(mail), p: 'Violet-Canyon-Ladder-77' })).resolves.toEqual({
      resetPassword: true,
    });
    expect(codeOf(await h.gql(VIEWER, {}, { token: m.token }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await h.gql(SIGN_IN, { email: m.email, password: PASSWORD }))).toBe(
      'UNAUTHENTICATED',
    );
    await expect(signIn(h, m.email, 'Violet-Canyon-Ladder-77')).resolves.toMatchObject({
      id: m.id,
    });
    const reused = await h.gql(RESET, { t: tokenOf(mail), p: 'Another-Strong-Phrase-88' });
    expect([codeOf(reused), fieldOf(reused)]).toEqual(['BAD_USER_INPUT', 'token']);
  });

  it('answers true for an unknown address and sends nothing', async () => {
    const ghost = uniqueEmail('ghost');
    await expect(
      h.ok(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: ghost }),
    ).resolves.toEqual({ requestPasswordReset: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.smtp.to(ghost)).toHaveLength(0);
  });

  it('refuses an expired link', async () => {
    const m = await makeMember(h);
    await h.ok(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: m.email });
    const mail = await h.smtp.waitFor(m.email, (x) => x.subject?.includes('Reset') ?? false);
    await h.db.query(
      `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [m.id],
    );
    const res = await h.gql(
      `mutation($t: String!) { resetPassword(token: $t, password: "Violet-Canyon-Ladder-77") }`,
      { t: tokenOf(mail) },
    );
    expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'token']);
  });
});

describe('email delivery', () => {
  it('waits out an SMTP outage and delivers once it is back', async () => {
    h.smtp.outage = true;
    const email = uniqueEmail('outage');
    await signUp({ email });
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.smtp.to(email)).toHaveLength(0);
    h.smtp.outage = false;
    const mail = await h.smtp.waitFor(email, () => true, 20000);
    expect(mail.subject).toContain('Confirm');
    expect(h.smtp.to(email)).toHaveLength(1);
  });
});

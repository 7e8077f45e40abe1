import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { Harness, codeOf } from './support/harness.js';
import { CookieJar } from './support/cookie-jar.js';
import {
  makeAdmin,
  makeMember,
  PASSWORD,
  SIGN_IN,
  SIGN_UP,
  type Person,
} from './support/builders.js';

/**
 * OpenID Connect sign-in against a real provider (oidc-provider 9 on 127.0.0.1, its development
 * interactions for login and consent), driven as a browser would with fetch.
 */

const PUBLIC = 'http://ruche.test';
const CALLBACK = `${PUBLIC}/auth/oidc/callback`;
const SECRET = 'a-client-secret-for-the-test-provider';

interface Account {
  email: string;
  email_verified: boolean;
  name: string;
  department: string;
  job_title: string;
  groups: string[];
}
const accounts = new Map<string, Account>();

let h: Harness;
let admin: Person;
let idp: Server;
let issuer = '';
let provider: Provider;

beforeAll(async () => {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  idp = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'ruche',
        client_secret: SECRET,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'department', 'job_title', 'groups'],
    },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    cookies: { keys: ['test-cookie-key-for-the-provider'] },
  });
  const callback = provider.callback();
  handler = (req, res) => void callback(req, res);
  h = await Harness.start({
    worker: true,
    env: {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: 'ruche',
      OIDC_CLIENT_SECRET: SECRET,
      OIDC_SCOPES: 'openid email profile offline_access',
      OIDC_PROMPT: 'consent',
      OIDC_PROVIDER_NAME: 'Acme ID',
      OIDC_CLAIM_GROUPS: 'groups',
      OIDC_GROUP_MAP: 'Finance Team=finance,Engineering=engineering',
      SSO_RECHECK_MINUTES: '0',
    },
  });
  admin = await makeAdmin(h);
  for (const slug of ['finance', 'engineering'])
    await h.ok(
      `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`,
      { input: { name: slug, slug, visibility: 'SECRET', joinPolicy: 'INVITE' } },
      admin.token,
    );
});

afterAll(async () => {
  await h?.stop();
  await new Promise((resolve) => idp?.close(resolve));
});

interface Flow {
  /** The URL the API sent the browser to (the authorization request). */
  authorize: URL;
  /** Where the provider sent the browser back (code, state, iss). */
  callback: URL;
  /** Ruche's cookies (the sealed state). */
  ruche: CookieJar;
}

const providerJars = new Map<string, CookieJar>();

/** Start at Ruche, sign in at the provider as `sub`, stop at the redirect back to Ruche. */
async function toCallback(sub: string): Promise<Flow> {
  const ruche = new CookieJar();
  const start = await fetch(`${h.url}/auth/oidc/start`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  ruche.take(start);
  const authorize = new URL(start.headers.get('location')!);
  const jar = providerJars.get(sub) ?? new CookieJar();
  providerJars.set(sub, jar);
  let next = authorize.href;
  for (let hop = 0; hop < 12; hop++) {
    if (next.startsWith(CALLBACK)) return { authorize, callback: new URL(next), ruche };
    let res = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    if (res.status === 200) {
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`unexpected page: ${html.slice(0, 300)}`);
      const body = new URLSearchParams({ prompt, login: sub, password: 'any' });
      res = await fetch(new URL(action, next), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      jar.take(res);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`no redirect from ${next}: ${res.status} ${await res.text()}`);
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}

/** The browser arriving back at Ruche's callback (on the test's port, not PUBLIC_URL's). */
function arrive(callback: URL, ruche: CookieJar): Promise<Response> {
  return fetch(`${h.url}${callback.pathname}${callback.search}`, {
    redirect: 'manual',
    headers: { cookie: ruche.header(), 'accept-language': 'en' },
  });
}

/** The web app after the redirect: its cookie refresh gives an access token. */
async function webSession(res: Response): Promise<{ accessToken: string; userId: string }> {
  const jar = new CookieJar();
  jar.take(res);
  expect(jar.get('ruche_refresh')).toBeTruthy();
  const refreshed = await h.gql(
    `mutation { refreshSession(refreshToken: "") { accessToken refreshToken user { id } } }`,
    {},
    { headers: { 'x-ruche-session': 'cookie', cookie: jar.header() } },
  );
  expect(refreshed.errors).toBeUndefined();
  expect(refreshed.data!.refreshSession.refreshToken).toBe('');
  return {
    accessToken: refreshed.data!.refreshSession.accessToken,
    userId: refreshed.data!.refreshSession.user.id,
  };
}

async function signInWithOidc(sub: string) {
  const flow = await toCallback(sub);
  const res = await arrive(flow.callback, flow.ruche);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(`${PUBLIC}/`);
  return { res, flow };
}

const userRow = async (id: string) =>
  (
    await h.db.query(
      `SELECT email, display_name, department, job_title, status, email_verified_at, password_hash
         FROM users WHERE id = $1`,
      [id],
    )
  ).rows[0];

const groupsOf = async (id: string) =>
  (
    await h.db.query(
      `SELECT g.slug, m.status FROM group_memberships m JOIN groups g ON g.id = m.group_id
        WHERE m.user_id = $1 ORDER BY g.slug`,
      [id],
    )
  ).rows;

describe('OpenID Connect sign-in', () => {
  it('tells the sign-in page about the provider', async () => {
    const { signInOptions } = await h.ok(`{ signInOptions { password ldap oidc { name url } } }`);
    expect(signInOptions).toEqual({
      password: true,
      ldap: false,
      oidc: { name: 'Acme ID', url: '/auth/oidc/start' },
    });
  });

  it('creates the account just in time, with the claims and groups mapped, and the web session', async () => {
    accounts.set('ana', {
      email: 'ana.oidc@acme.test',
      email_verified: true,
      name: 'Ana Lopez',
      department: 'Finance',
      job_title: 'Controller',
      groups: ['Finance Team', 'Unmapped'],
    });
    const { res, flow } = await signInWithOidc('ana');
    // PKCE, state and nonce on the authorization request.
    expect(flow.authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(flow.authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(flow.authorize.searchParams.get('state')).toBeTruthy();
    expect(flow.authorize.searchParams.get('nonce')).toBeTruthy();
    const { accessToken, userId } = await webSession(res);
    const { viewer } = await h.ok(`{ viewer { id email status } }`, {}, accessToken);
    expect(viewer).toEqual({ id: userId, email: 'ana.oidc@acme.test', status: 'ACTIVE' });
    const row = await userRow(userId);
    expect(row).toMatchObject({
      display_name: 'Ana Lopez',
      department: 'Finance',
      job_title: 'Controller',
      status: 'ACTIVE',
      password_hash: null,
    });
    expect(row.email_verified_at).not.toBeNull();
    expect(await groupsOf(userId)).toEqual([{ slug: 'finance', status: 'ACTIVE' }]);
  });

  it('updates name, department, title and groups on the next sign-in', async () => {
    accounts.set('ana', {
      ...accounts.get('ana')!,
      name: 'Ana Lopez-Martin',
      department: 'Engineering',
      job_title: 'Staff Engineer',
      groups: ['Engineering'],
    });
    const { res } = await signInWithOidc('ana');
    const { userId } = await webSession(res);
    expect(await userRow(userId)).toMatchObject({
      display_name: 'Ana Lopez-Martin',
      department: 'Engineering',
      job_title: 'Staff Engineer',
    });
    // Joining only: a group no longer in the claim keeps its membership (documented).
    expect(await groupsOf(userId)).toEqual([
      { slug: 'engineering', status: 'ACTIVE' },
      { slug: 'finance', status: 'ACTIVE' },
    ]);
    const { rows } = await h.db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [
      'ana.oidc@acme.test',
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('takes the address as verified only on the provider’s word', async () => {
    accounts.set('bob', {
      email: 'bob.oidc@acme.test',
      email_verified: false,
      name: 'Bob',
      department: 'Sales',
      job_title: 'Rep',
      groups: [],
    });
    const { res } = await signInWithOidc('bob');
    const { userId } = await webSession(res);
    const row = await userRow(userId);
    expect(row.status).toBe('ACTIVE');
    expect(row.email_verified_at).toBeNull();
  });

  it('refuses a wrong state and a replayed callback with a clear page, never a 500', async () => {
    const flow = await toCallback('ana');
    const wrong = new URL(flow.callback);
    wrong.searchParams.set('state', 'forged-state');
    const refused = await arrive(wrong, flow.ruche);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('expired or was already used');
    expect(refused.headers.getSetCookie().join()).not.toContain('ruche_refresh=');

    const again = await toCallback('ana');
    expect((await arrive(again.callback, again.ruche)).status).toBe(303);
    const replay = await arrive(again.callback, again.ruche);
    expect(replay.status).toBe(400);

    const noCookie = await arrive((await toCallback('ana')).callback, new CookieJar());
    expect(noCookie.status).toBe(400);
  });

  it('uses PKCE: the provider refuses the code without the right verifier', async () => {
    const flow = await toCallback('ana');
    const code = flow.callback.searchParams.get('code')!;
    const token = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_id: 'ruche',
        client_secret: SECRET,
        code_verifier: 'a'.repeat(43),
      }),
    });
    expect(token.status).toBe(400);
    expect(((await token.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('ends the session on refresh once the provider no longer knows the person', async () => {
    accounts.set('carl', {
      email: 'carl.oidc@acme.test',
      email_verified: true,
      name: 'Carl',
      department: 'Ops',
      job_title: 'SRE',
      groups: [],
    });
    const { res } = await signInWithOidc('carl');
    const jar = new CookieJar();
    jar.take(res);
    const refresh = async () => {
      const r = await fetch(`${h.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-ruche-session': 'cookie',
          cookie: jar.header(),
        },
        body: JSON.stringify({
          query: `mutation { refreshSession(refreshToken: "") { accessToken } }`,
        }),
      });
      jar.take(r);
      return (await r.json()) as { errors?: { extensions: { code: string } }[] };
    };
    // Still known: the provider's refresh token works (SSO_RECHECK_MINUTES=0 asks every time).
    expect((await refresh()).errors).toBeUndefined();
    const { rows } = await h.db.query(
      `SELECT provider, provider_token, provider_checked_at FROM sessions
        WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      ['carl.oidc@acme.test'],
    );
    expect(rows[0].provider).toBe('oidc');
    expect(rows[0].provider_token).toBeTruthy();
    expect(rows[0].provider_token).not.toContain('.'); // sealed, not the provider's own format
    // Removed at the provider: its refresh grant now fails, and the session ends.
    accounts.delete('carl');
    const ended = await refresh();
    expect(ended.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const revoked = await h.db.query(
      `SELECT revoked_reason FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      ['carl.oidc@acme.test'],
    );
    expect(revoked.rows[0].revoked_reason).toBe('provider-removed');
  });

  it('ends the sessions of an account suspended in Ruche', async () => {
    const { res } = await signInWithOidc('ana');
    const { accessToken, userId } = await webSession(res);
    await h.ok(
      `mutation($id: ID!) { suspendUser(userId: $id) { id } }`,
      { id: userId },
      admin.token,
    );
    expect(codeOf(await h.gql(`{ viewer { id } }`, {}, { token: accessToken }))).toBe(
      'UNAUTHENTICATED',
    );
    const again = await toCallback('ana');
    expect((await arrive(again.callback, again.ruche)).status).toBe(403);
    await h.ok(
      `mutation($id: ID!) { reactivateUser(userId: $id) { id } }`,
      { id: userId },
      admin.token,
    );
  });
});

describe('SSO_ONLY', () => {
  let member: Person;

  beforeAll(async () => {
    await h.ok(
      `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { name } }`,
      { input: { registrationMode: 'DOMAIN', allowedEmailDomains: ['acme.test'] } },
      admin.token,
    );
    member = await makeMember(h);
    await h.ok(
      `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { name } }`,
      { input: { registrationMode: 'SSO_ONLY' } },
      admin.token,
    );
  });

  it('refuses password sign-in to members, keeps it for admins (break-glass), refuses sign-up', async () => {
    const refused = await h.gql(SIGN_IN, { email: member.email, password: PASSWORD });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const wrong = await h.gql(SIGN_IN, { email: member.email, password: 'Not-The-Password-1' });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    const ok = await h.gql(SIGN_IN, { email: admin.email, password: PASSWORD });
    expect(ok.errors).toBeUndefined();
    const signUp = await h.gql(SIGN_UP, {
      input: { email: 'new.one@acme.test', password: PASSWORD, displayName: 'New One' },
    });
    expect(codeOf(signUp)).toBe('FORBIDDEN');
    const { signInOptions } = await h.ok(`{ signInOptions { password } }`);
    expect(signInOptions.password).toBe(false);
  });

  it('sends invitations to single sign-on, and the account made there takes the invited role', async () => {
    const email = 'gina.guest@partner.test';
    await h.ok(
      `mutation($e: [String!]!) { inviteMembers(emails: $e, role: GUEST) }`,
      { e: [email] },
      admin.token,
    );
    const mail = await h.smtp.waitFor(email);
    expect(mail.text).toContain('http://ruche.test/sign-in?');
    expect(mail.text).not.toContain('/join?');
    accounts.set('gina', {
      email,
      email_verified: true,
      name: 'Gina Guest',
      department: 'Partner',
      job_title: 'Consultant',
      groups: [],
    });
    const { res } = await signInWithOidc('gina');
    const { userId } = await webSession(res);
    const { rows } = await h.db.query('SELECT role, status FROM users WHERE id = $1', [userId]);
    expect(rows[0]).toEqual({ role: 'GUEST', status: 'ACTIVE' });
  });

  it('still signs people in through the provider', async () => {
    const { res } = await signInWithOidc('ana');
    expect((await webSession(res)).userId).toBeTruthy();
  });
});

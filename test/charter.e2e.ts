import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

let h: Harness;
let admin: Someone, marie: Someone, guest: Someone, pending: Someone;
beforeAll(async () => {
  h = await Harness.start();
  [admin, marie, guest, pending] = await Promise.all([
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Marie Martin'),
    someone(h, 'GUEST', 'ACTIVE', 'Gus Guest'),
    someone(h, 'MEMBER', 'PENDING', 'Paul Pending'),
  ]);
  await h.db.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [marie.id]);
});
afterAll(() => h.stop());

const CHARTER = `{ charter { version body bodyHtml publishedAt viewerAcceptedAt locale quietHours { start end days timezone } } }`;
const PUBLISH = `mutation($body: String!, $locale: String, $t: [CharterTranslationInput!]) {
  publishCharter(body: $body, locale: $locale, translations: $t) { version body bodyHtml viewerAcceptedAt } }`;
const ACCEPT = `mutation($v: Int!) { acceptCharter(version: $v) { version viewerAcceptedAt } }`;
const VIEWER = `{ viewer { id displayName } }`;

/** The reads and writes a member does, each of which must wait for the charter. */
const GUARDED: [string, string, Record<string, unknown>?][] = [
  ['company feed', `{ companyFeed { nodes { id } } }`],
  ['home feed', `{ homeFeed { nodes { id } } }`],
  ['directory', `{ users { nodes { id } } }`],
  [
    'a person',
    `query($id: ID) { user(id: $id) { id } }`,
    { id: '00000000-0000-4000-8000-000000000000' },
  ],
  ['groups', `{ groups { nodes { id } } }`],
  ['search', `{ search(query: "hello") { nodes { __typename } } }`],
  ['notifications', `{ notifications { unreadCount } }`],
  ['reports', `{ reports { nodes { id } } }`],
  [
    'createPost',
    `mutation { createPost(input: { body: "hi", audience: { kind: NETWORK } }) { id } }`,
  ],
  ['follow', `mutation($u: ID!) { follow(userId: $u) { id } }`],
];

async function overWs(query: string, token: string): Promise<{ data?: unknown; errors?: any[] }> {
  const client = createClient({
    url: `${h.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({}), 1500);
      client.subscribe(
        { query },
        {
          next: (r) => {
            clearTimeout(timer);
            resolve(r as { errors?: any[] });
          },
          error: (e) => {
            clearTimeout(timer);
            if (Array.isArray(e)) resolve({ errors: e });
            else reject(e instanceof Error ? e : new Error(String(e)));
          },
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

async function expectBlocked(who: Someone) {
  for (const [name, query, vars] of GUARDED) {
    const r = await h.gql(query, { u: admin.id, ...vars }, { token: who.token });
    // Nothing is answered: a nullable root field is null, a non-null one nulls data.
    const answered = Object.values(r.data ?? {}).filter((v) => v !== null);
    expect([name, codeOf(r), answered]).toEqual([name, 'CHARTER_REQUIRED', []]);
  }
}

describe('the charter', () => {
  it('is null and asks nothing until admins publish one', async () => {
    expect((await h.ok(CHARTER, {}, marie.token)).charter).toBeNull();
    await expect(h.ok(`{ companyFeed { nodes { id } } }`, {}, marie.token)).resolves.toBeDefined();
  });

  it('is published by network admins only, as sanitized Markdown in French and English', async () => {
    const refused = await h.gql(PUBLISH, { body: 'Be kind' }, { token: marie.token });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const blank = await h.gql(PUBLISH, { body: '   ' }, { token: admin.token });
    expect([codeOf(blank), fieldOf(blank)]).toEqual(['BAD_USER_INPUT', 'body']);
    const twice = await h.gql(
      PUBLISH,
      { body: 'x', locale: 'en', t: [{ locale: 'en', body: 'y' }] },
      { token: admin.token },
    );
    expect([codeOf(twice), fieldOf(twice)]).toEqual(['BAD_USER_INPUT', 'translations.0.locale']);

    await h.ok(
      `mutation { updateNetworkSettings(input: { quietHours: { start: "20:00", end: "07:00", days: [1,2,3,4,5], timezone: "Europe/Paris" } }) { name } }`,
      {},
      admin.token,
    );
    const { publishCharter } = await h.ok(
      PUBLISH,
      {
        body: '# Our rules\n\nBe **kind**. <script>alert(1)</script>',
        locale: 'en',
        t: [{ locale: 'fr', body: '# Nos règles\n\nSoyez **bienveillants**.' }],
      },
      admin.token,
    );
    expect(publishCharter.version).toBe(1);
    expect(publishCharter.bodyHtml).toContain('<strong>kind</strong>');
    expect(publishCharter.bodyHtml).not.toContain('<script');
    // The publisher accepted it by publishing it.
    expect(publishCharter.viewerAcceptedAt).not.toBeNull();
  });

  it('refuses every other operation, over HTTP and graphql-ws, until the member accepts it', async () => {
    await expectBlocked(marie);
    await expectBlocked(guest);
    // What it leaves: the charter itself (in the viewer's language, with the quiet hours), viewer.
    const { charter } = await h.ok(CHARTER, {}, marie.token);
    expect(charter).toMatchObject({
      version: 1,
      locale: 'fr',
      viewerAcceptedAt: null,
      quietHours: { start: '20:00', end: '07:00', days: [1, 2, 3, 4, 5] },
    });
    expect(charter.body).toContain('Nos règles');
    expect((await h.ok(CHARTER, {}, guest.token)).charter.body).toContain('Our rules');
    expect((await h.ok(VIEWER, {}, marie.token)).viewer.id).toBe(marie.id);
    // Public operations answer as they would anyone signed out (the sign-in page's network name).
    expect((await h.ok(`{ network { name } }`, {}, marie.token)).network.name).toBeTruthy();
    // The error says what to do.
    const r = await h.gql(`{ companyFeed { nodes { id } } }`, {}, { token: marie.token });
    expect(r.errors?.[0].message).toMatch(/charter/i);
    // An aliased batch does not slip through either.
    const batch = await h.gql(
      `query($id: ID) { viewer { id } a: user(id: $id) { id } }`,
      { id: admin.id },
      { token: marie.token },
    );
    expect(batch.data?.viewer?.id).toBe(marie.id);
    expect([codeOf(batch), batch.data?.a]).toEqual(['CHARTER_REQUIRED', null]);
    // Subscriptions too.
    const sub = await overWs(`subscription { notificationAdded { id } }`, marie.token);
    expect(sub.errors?.[0]?.extensions?.code).toBe('CHARTER_REQUIRED');
    // HTTP routes too (a file download).
    const file = await fetch(`${h.url}/api/files/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${marie.token}` },
    });
    expect([file.status, ((await file.json()) as { code: string }).code]).toEqual([
      403,
      'CHARTER_REQUIRED',
    ]);
    // An account that is not ACTIVE is not asked (it reads nothing anyway, and must verify first).
    const p = await h.gql(`mutation { resendVerificationEmail }`, {}, { token: pending.token });
    expect(codeOf(p)).not.toBe('CHARTER_REQUIRED');
  });

  it('is accepted for its current version only; then everything works again', async () => {
    const wrong = await h.gql(ACCEPT, { v: 2 }, { token: marie.token });
    expect([codeOf(wrong), fieldOf(wrong)]).toEqual(['BAD_USER_INPUT', 'version']);
    const { acceptCharter } = await h.ok(ACCEPT, { v: 1 }, marie.token);
    expect(acceptCharter.viewerAcceptedAt).not.toBeNull();
    await expect(h.ok(`{ companyFeed { nodes { id } } }`, {}, marie.token)).resolves.toBeDefined();
    // Same token, next request: no sign-in needed.
    await expect(h.ok(`{ users { nodes { id } } }`, {}, marie.token)).resolves.toBeDefined();
    // Accepting twice is harmless.
    await expect(h.ok(ACCEPT, { v: 1 }, marie.token)).resolves.toBeDefined();
  });

  it('asks again for a new version, at the very next request', async () => {
    const { publishCharter } = await h.ok(PUBLISH, { body: 'Version two: be kinder' }, admin.token);
    expect(publishCharter.version).toBe(2);
    await expectBlocked(marie);
    expect((await h.ok(CHARTER, {}, marie.token)).charter).toMatchObject({
      version: 2,
      viewerAcceptedAt: null,
    });
    await h.ok(ACCEPT, { v: 2 }, marie.token);
    await expect(h.ok(`{ companyFeed { nodes { id } } }`, {}, marie.token)).resolves.toBeDefined();
  });

  it('keeps who accepted which version and when, exported by admins as CSV', async () => {
    const url = `${h.url}/api/charter/acceptances.csv`;
    const denied = await fetch(url, { headers: { authorization: `Bearer ${marie.token}` } });
    expect(denied.status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('version,email,name,accepted_at');
    const marieLines = lines.filter((l) => l.includes('"Marie Martin"'));
    expect(marieLines.map((l) => l.split(',')[0])).toEqual(['1', '2']);
    for (const l of marieLines) expect(Date.parse(l.split(',')[3])).not.toBeNaN();
    expect(lines.some((l) => l.includes('Gus Guest'))).toBe(false);
  });
});

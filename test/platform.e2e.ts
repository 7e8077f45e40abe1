import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HotReads, Statement } from '@ruche/database';
import { Harness, codeOf, type GqlResult } from './support/harness.js';
import {
  PASSWORD,
  SIGN_IN,
  SIGN_UP,
  allowDomains,
  makeAdmin,
  signIn,
  uniqueEmail,
  type Person,
} from './support/builders.js';

/**
 * The platform around the domains: probes and metrics, security headers, query limits, what
 * errors show, the `ruche` command and the sign-in rate limits. Everything over HTTP.
 * Default limits except a strict per-account sign-in limit (3), so the limit is quick to reach.
 */
let h: Harness;
let admin: Person;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

beforeAll(async () => {
  h = await Harness.start({ env: { RATE_SIGNIN_PER_ACCOUNT: '3' } });
  admin = await makeAdmin(h);
  await allowDomains(h, admin);
});
afterAll(() => h?.stop());

/** Every GraphQL answer of this file goes through here: no error may leak internals. */
const LEAKS = [/stack/i, /SELECT/, /\/work\//, /node_modules/, /\.ts:\d+/];
function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
}
/**
 * Apollo Client's Accept header: request errors answer 400 (an `application/json` answer would be
 * 200, graphql-over-http.e2e.ts).
 */
const ACCEPT = 'application/graphql-response+json,application/json;q=0.9';
async function gql<T = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GqlResult<T>> {
  const r = await h.gql<T>(query, variables, { token, headers: { accept: ACCEPT } });
  expectNoLeak(JSON.stringify(r.errors ?? []));
  return r;
}
async function post(
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  const res = await fetch(`${h.url}/graphql`, { method: 'POST', headers, body });
  const text = await res.text();
  expectNoLeak(text);
  return { status: res.status, text, headers: res.headers };
}

const VIEWER = `{ viewer { id status } }`;
const DIRECTORY = `query($first: Int, $query: String) { users(first: $first, query: $query) { totalCount nodes { id } } }`;

/** A DOMAIN sign-up, not verified: PENDING, holding tokens. */
async function signUp(prefix = 'user'): Promise<Person> {
  const email = uniqueEmail(prefix);
  const { signUp: s } = await h.ok(SIGN_UP, {
    input: { email, password: PASSWORD, displayName: 'Paul Pending' },
  });
  return {
    id: s.user.id,
    email,
    handle: s.user.handle,
    token: s.accessToken,
    refreshToken: s.refreshToken,
  };
}

describe('probes and metrics', () => {
  it('/health/live answers ok', async () => {
    const res = await fetch(`${h.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready checks PostgreSQL and Redis', async () => {
    const res = await fetch(`${h.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });

  it('/metrics is Prometheus text with HTTP, GraphQL and queue metrics', async () => {
    await h.ok(`{ viewer { id } }`, {}, admin.token);
    const res = await fetch(`${h.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP ruche_http_request_duration_seconds /m);
    expect(text).toMatch(/^# TYPE ruche_http_request_duration_seconds histogram$/m);
    expect(text).toMatch(
      /^ruche_http_request_duration_seconds_count\{[^}]*route="\/graphql"[^}]*\} [1-9]/m,
    );
    expect(text).toMatch(
      /^ruche_graphql_operation_duration_seconds_count\{[^}]*type="query"[^}]*field="viewer"[^}]*\} [1-9]/m,
    );
    expect(text).toMatch(/^ruche_queue_jobs\{queue="email",state="waiting"\} \d+$/m);
  });
  it('/metrics asks for METRICS_TOKEN when one is set; the probes stay open', async () => {
    const locked = await Harness.start({ env: { METRICS_TOKEN: 'a-long-metrics-token' } });
    try {
      const metrics = (authorization?: string) =>
        fetch(`${locked.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect((await metrics()).status).toBe(401);
      expect((await metrics('Bearer a-long-metrics-tokex')).status).toBe(401);
      expect((await metrics('a-long-metrics-token')).status).toBe(401);
      const ok = await metrics('Bearer a-long-metrics-token');
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^# HELP ruche_http_request_duration_seconds /m);
      expect((await fetch(`${locked.url}/health/live`)).status).toBe(200);
    } finally {
      await locked.stop();
    }
  });
});

describe('the hot reads pool', () => {
  it('prepares each statement once per connection and runs it with a generic plan', async () => {
    const hot = h.api.get(HotReads);
    const runner = hot.db.createQueryRunner(); // one connection, to look at its own state
    try {
      const [mode] = await runner.query('SHOW plan_cache_mode');
      expect(mode.plan_cache_mode).toBe('force_generic_plan');
      const sql = 'SELECT count(*)::int AS n FROM users WHERE id <> $1';
      for (let i = 0; i < 3; i++) await runner.query(sql, ['00000000-0000-0000-0000-000000000000']);
      const prepared = await runner.query(
        'SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE statement = $1',
        [sql],
      );
      expect(prepared).toHaveLength(1);
      expect(prepared[0].name).toMatch(/^g_/);
      expect(prepared[0].custom_plans).toBe(0);
      expect(prepared[0].generic_plans).toBeGreaterThanOrEqual(1);
    } finally {
      await runner.release();
    }
  });

  it('turns :named parameters into positional ones, casts untouched, and names what is missing', () => {
    const s = new Statement('SELECT :a::int + :b, CAST(:a AS text), :list::uuid[]');
    expect(s.text).toBe('SELECT $1::int + $2, CAST($1 AS text), $3::uuid[]');
    expect(s.values({ a: 1, b: 2, list: [] })).toEqual([1, 2, []]);
    expect(() => s.values({ a: 1, list: [] })).toThrow(':b');
  });
});

describe('security headers', () => {
  it('are on /graphql responses', async () => {
    const res = await post(JSON.stringify({ query: VIEWER }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('are on the probes too, and no x-powered-by anywhere', async () => {
    for (const path of ['/health/live', '/metrics', '/nowhere']) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expectNoLeak(await res.text());
    }
  });
});

describe('query limits', () => {
  /** `manager { profile { manager { … { id } } } }` with n managers: 2n deep. */
  const managers = (n: number): string =>
    n === 1 ? 'manager { id }' : `manager { profile { ${managers(n - 1)} } }`;

  it('refuses a query deeper than 12 before running it', async () => {
    const deep = `{ viewer { profile { ${managers(6)} } } }`; // viewer, profile, then 6 managers: 14 deep
    const r = await gql(deep, {}, admin.token);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/\b14 levels deep\b.*limit is 12/);
    expect(r.errors![0].extensions?.field).toBe('query');
    expect(r.data ?? null).toBeNull();
  });

  it('accepts a query exactly 12 deep', async () => {
    const r = await gql(`{ viewer { id profile { ${managers(5)} } } }`, {}, admin.token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.viewer).toEqual({ id: admin.id, profile: { manager: null } });
  });

  it('counts depth through fragments', async () => {
    const r = await gql(
      `query { viewer { ...P } } fragment P on User { profile { ${managers(6)} } }`,
      {},
      admin.token,
    );
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/14 levels deep/);
  });

  it('refuses a directory query costing more than GRAPHQL_MAX_COST (20000), aliases included', async () => {
    // 100 people × 40 aliased chains of managers (each 8 deep at most): over the default limit.
    const chains = Array.from(
      { length: 40 },
      (_, i) =>
        `m${i}: profile { manager { id displayName profile { manager { id displayName } } } }`,
    ).join(' ');
    const r = await gql(`{ users(first: 100) { nodes { id ${chains} } } }`, {}, admin.token);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const cost = Number(/costs (\d+); the limit is 20000/.exec(r.errors![0].message)?.[1]);
    expect(cost).toBeGreaterThan(20000);
    expect(r.data ?? null).toBeNull();
    // The same without the aliases is a fair page and runs.
    const one = await gql(
      `{ users(first: 100) { nodes { id ${chains.split(' m1:')[0]} } } }`,
      {},
      admin.token,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.users.nodes.length).toBeGreaterThanOrEqual(1);
  });

  it('lets a full directory page (first: 100) with the usual fields through', async () => {
    // What a directory screen asks for, at the largest page the API allows: it must not be refused.
    const r = await gql(
      `{ users(first: 100) { totalCount pageInfo { hasNextPage endCursor }
           edges { cursor node { id handle displayName followersCount viewerIsFollowing
             profile { jobTitle department location avatarUrl skills manager { id displayName } } } } } }`,
      {},
      admin.token,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.users.totalCount).toBeGreaterThanOrEqual(1);
    expect(r.data!.users.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(admin.id);
  });
});

describe('errors', () => {
  it('a parse error is GRAPHQL_PARSE_FAILED', async () => {
    const r = await gql(`{ viewer { id `, {}, admin.token);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
    const r = await gql(`{ viewer { id passwordHash } }`, {}, admin.token);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0].message).toContain('passwordHash');
  });

  it('a variable of the wrong type is BAD_USER_INPUT', async () => {
    const r = await gql(DIRECTORY, { first: 'lots' }, admin.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toContain('$first');
  });

  it('an argument out of range is BAD_USER_INPUT naming the field', async () => {
    const r = await gql(DIRECTORY, { first: 1000 }, admin.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions?.field).toBe('first');
  });

  it('a forged cursor is BAD_USER_INPUT, not a database error', async () => {
    const after = Buffer.from(JSON.stringify(["x') OR 1=1 --", 'not-a-uuid'])).toString(
      'base64url',
    );
    const r = await gql(
      `query($after: String) { users(after: $after) { nodes { id } } }`,
      { after },
      admin.token,
    );
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions?.field).toBe('after');
  });

  it('invalid JSON is a 4xx, never a 500, and the server goes on answering', async () => {
    for (const body of ['{"query": "{ viewer { id } }"', 'not json at all', '{"query": 42}', '']) {
      const res = await post(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const next = await gql(VIEWER, {}, admin.token);
    expect(next.errors).toBeUndefined();
    expect(next.data!.viewer).toEqual({ id: admin.id, status: 'ACTIVE' });
  });

  it('a body over the size limit is a 413, and the server goes on answering', async () => {
    const res = await post(
      JSON.stringify({ query: VIEWER, variables: { pad: 'x'.repeat(1_200_000) } }),
    );
    expect(res.status).toBe(413);
    expect((await gql(VIEWER, {}, admin.token)).data!.viewer.id).toBe(admin.id);
  });

  it('a batch of operations (a JSON array) is refused, not run', async () => {
    const res = await post(JSON.stringify([{ query: VIEWER }, { query: VIEWER }]));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('the directory needs a signed-in viewer', async () => {
    const r = await gql(DIRECTORY);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.data ?? null).toBeNull();
  });

  it('a garbage bearer token is UNAUTHENTICATED, even on public fields', async () => {
    for (const query of [DIRECTORY, VIEWER]) {
      const r = await gql(query, {}, 'garbage.token.value');
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
    }
    const malformed = await h.gql(VIEWER, {}, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(codeOf(malformed)).toBe('UNAUTHENTICATED');
  });

  it('a PENDING user reads its viewer but not the directory', async () => {
    const pending = await signUp('pending');
    const me = await gql(VIEWER, {}, pending.token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.viewer).toEqual({ id: pending.id, status: 'PENDING' });
    const r = await gql(DIRECTORY, {}, pending.token);
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(r.data ?? null).toBeNull();
  });
});

describe('the ruche command', () => {
  interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
  }
  const ruche = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/ruche.js', ...args], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: h.config.DATABASE_URL,
          REDIS_URL: h.config.REDIS_URL,
          REDIS_PREFIX: h.config.REDIS_PREFIX,
          SMTP_URL: h.config.SMTP_URL,
          LOG_LEVEL: 'error',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  const lines = (text: string) => text.split('\n').filter((l) => l.trim());

  it('create-admin makes an ADMIN who can sign in', async () => {
    const email = uniqueEmail('it', 'corp.test');
    const run = await ruche([
      'create-admin',
      '--email',
      email,
      '--password',
      PASSWORD,
      '--name',
      'Irène Informatique',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`administrator ${email} created`);
    const { signIn: s } = await h.ok(SIGN_IN, { email, password: PASSWORD });
    expect(s.user).toMatchObject({ email, role: 'ADMIN', status: 'ACTIVE' });
    const { viewer } = await h.ok(`{ viewer { displayName role } }`, {}, s.accessToken);
    expect(viewer).toEqual({ displayName: 'Irène Informatique', role: 'ADMIN' });
  }, 60_000);

  it('create-admin refuses a weak password, naming it, and creates nobody', async () => {
    const email = uniqueEmail('weak', 'corp.test');
    const run = await ruche([
      'create-admin',
      '--email',
      email,
      '--password',
      'password123',
      '--name',
      'Weak Will',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^ruche: password: .*password/m);
    const { rows } = await h.db.query('SELECT 1 FROM users WHERE email = $1', [email]);
    expect(rows).toHaveLength(0);
  }, 60_000);

  it('create-admin refuses a missing --name', async () => {
    const run = await ruche([
      'create-admin',
      '--email',
      uniqueEmail('noname', 'corp.test'),
      '--password',
      PASSWORD,
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--name/);
  }, 60_000);

  it('says in one line that PostgreSQL is not answering, and how to start it', async () => {
    const run = await ruche(
      [
        'create-admin',
        '--email',
        uniqueEmail('x', 'corp.test'),
        '--password',
        PASSWORD,
        '--name',
        'X',
      ],
      {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/ruche',
      },
    );
    expect(run.code).not.toBe(0);
    const err = lines(run.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /PostgreSQL is not answering at 127\.0\.0\.1:1\b.*pg_ctlcluster .*start/,
    );
  }, 60_000);

  it('names a bad PORT', async () => {
    const run = await ruche(['migrate'], { PORT: 'abc' });
    expect(run.code).not.toBe(0);
    expect(lines(run.stderr).some((l) => /PORT="abc".*integer/.test(l))).toBe(true);
  }, 60_000);
});

describe('sign-in rate limits', () => {
  it('the 4th wrong sign-in for one account is RATE_LIMITED, even with the right password then', async () => {
    const victim = await signUp('victim');
    for (let i = 0; i < 3; i++) {
      const r = await gql(SIGN_IN, { email: victim.email, password: `Wrong-Guess-${i}-Zebra` });
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
    }
    const fourth = await gql(SIGN_IN, { email: victim.email, password: 'Wrong-Guess-4-Zebra' });
    expect(codeOf(fourth)).toBe('RATE_LIMITED');
    const retryAfter = fourth.errors![0].extensions?.retryAfter;
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const right = await gql(SIGN_IN, { email: victim.email.toUpperCase(), password: PASSWORD });
    expect(codeOf(right)).toBe('RATE_LIMITED');
  });

  it('aliases in one request do not slip past the per-account limit', async () => {
    const victim = await signUp('alias');
    const aliases = [1, 2, 3, 4, 5, 6]
      .map(
        (i) =>
          `a${i}: signIn(email: "${victim.email}", password: "Wrong-Guess-${i}-Zebra") { accessToken }`,
      )
      .join('\n');
    // Mutations run one after another; however many of them run, at most 3 may get an answer.
    let answered = 0;
    let limited = 0;
    for (let round = 0; round < 5; round++) {
      const r = await gql(`mutation { ${aliases} }`);
      expect(r.data ?? null).toBeNull();
      for (const e of r.errors ?? []) {
        if (e.extensions?.code === 'RATE_LIMITED') limited++;
        else {
          expect(e.extensions?.code).toBe('UNAUTHENTICATED');
          answered++;
        }
      }
    }
    expect(answered).toBeLessThanOrEqual(3);
    expect(answered + limited).toBe(5); // one answer per request: the first alias stops the rest
    expect(limited).toBeGreaterThanOrEqual(2);
    // And the account stays locked for the next request, even with the right password.
    expect(codeOf(await gql(SIGN_IN, { email: victim.email, password: PASSWORD }))).toBe(
      'RATE_LIMITED',
    );
  });

  it('a batch of aliased sign-ins is counted alias by alias', async () => {
    // The per-account counter sees every attempt that ran: a request of aliases cannot reset it.
    const victim = await signUp('alias2');
    const r = await gql(
      `mutation { a1: signIn(email: "${victim.email}", password: "Wrong-Guess-1-Zebra") { accessToken } a2: signIn(email: "${victim.email}", password: "Wrong-Guess-2-Zebra") { accessToken } }`,
    );
    const ran = r.errors?.length ?? 0;
    expect(ran).toBeGreaterThanOrEqual(1);
    const left = 3 - ran;
    for (let i = 0; i < left; i++)
      expect(
        codeOf(await gql(SIGN_IN, { email: victim.email, password: `Other-Guess-${i}-Zebra` })),
      ).toBe('UNAUTHENTICATED');
    expect(
      codeOf(await gql(SIGN_IN, { email: victim.email, password: 'Last-Guess-Zebra-9' })),
    ).toBe('RATE_LIMITED');
  });

  it('the per-address limit is generous: 50 colleagues behind one address sign up and sign in', async () => {
    const people: Person[] = [];
    for (let batch = 0; batch < 5; batch++) {
      people.push(...(await Promise.all(Array.from({ length: 10 }, () => signUp('office')))));
    }
    expect(new Set(people.map((p) => p.id)).size).toBe(50);
    for (let batch = 0; batch < 5; batch++) {
      const signedIn = await Promise.all(
        people.slice(batch * 10, batch * 10 + 10).map((p) => signIn(h, p.email)),
      );
      signedIn.forEach((s, i) => expect(s.id).toBe(people[batch * 10 + i].id));
    }
  }, 120_000);
});

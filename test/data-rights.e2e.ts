import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { QueuesService, QUEUE_NAMES } from '@ruche/queue';
import { Harness, codeOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { REDIS_URL } from './support/services.js';

const run = promisify(execFile);

let h: Harness;
let admin: Someone;
let other: Someone;

const CREATE = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const COMMENT = `mutation($postId: ID!, $body: String!) { addComment(postId: $postId, body: $body) { id } }`;
const REACT = `mutation($s: ID!, $e: String!) { react(subjectId: $s, emoji: $e) { count } }`;
const ERASE = `mutation($u: ID!, $p: ErasedPosts) { eraseUser(userId: $u, posts: $p) { userId posts cleanedUp } }`;
const POST = `query($id: ID!) { post(id: $id) { id body bodyHtml author { displayName handle } } }`;

interface Victim extends Someone {
  email: string;
  name: string;
  /** What must appear nowhere afterwards; the surname's stem also catches search lexemes. */
  needles: string[];
  ownPostId: string;
  mentionPostId: string;
  commentId: string;
}

async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  ms = 15000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A person with a distinctive name who leaves traces in every place Ruche keeps something. */
async function victim(): Promise<Victim> {
  const tag = randomBytes(2).toString('hex');
  const surname = `Quillfeather${tag}`;
  const name = `Zephyrine ${surname}`;
  const who = await someone(h, 'MEMBER', 'ACTIVE', name);
  const [row] = (await h.db.query('SELECT email FROM users WHERE id = $1', [who.id])).rows as {
    email: string;
  }[];
  await h.ok(
    `mutation($input: ProfileInput!) { updateProfile(input: $input) { id } }`,
    { input: { jobTitle: `Chief of ${surname} affairs`, bio: `Write to ${row.email}` } },
    who.token,
  );
  // An upload whose bytes and name carry the name, attached to their own post.
  const form = new FormData();
  form.append('file', new Blob([`CV of ${name}`], { type: 'text/plain' }), `${surname}-cv.txt`);
  const up = await fetch(`${h.url}/api/uploads`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${who.token}` },
  });
  expect(up.status).toBe(201);
  const fileId = ((await up.json()) as { id: string }).id;
  const own = await h.ok(
    CREATE,
    {
      input: {
        body: `Hello, I am ${name} (${row.email}), @${who.handle} #${surname}`,
        audience: { kind: 'NETWORK' },
        attachmentIds: [fileId],
      },
    },
    who.token,
  );
  await h.ok(
    `mutation($id: ID!, $b: String!) { updatePost(id: $id, body: $b) { id } }`,
    { id: own.createPost.id, b: `Hello again, ${name} here` },
    who.token,
  );
  // Others mention them, by handle and by name; they comment and react.
  const mention = await h.ok(
    CREATE,
    {
      input: { body: `Thanks @${who.handle} and ${name}!`, audience: { kind: 'NETWORK' } },
    },
    other.token,
  );
  const comment = await h.ok(
    COMMENT,
    { postId: mention.createPost.id, body: `You are welcome, signed ${name}` },
    who.token,
  );
  await h.ok(REACT, { s: mention.createPost.id, e: '👍' }, who.token);
  await h.ok(COMMENT, { postId: own.createPost.id, body: 'Nice one' }, other.token);
  await h.ok(`mutation($u: ID!) { follow(userId: $u) { id } }`, { u: other.id }, who.token);
  await h.ok(`mutation($u: ID!) { follow(userId: $u) { id } }`, { u: who.id }, other.token);
  // A push subscription (its user agent names them: what a browser sends is theirs).
  await h.db.query(
    `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, user_agent)
     VALUES ($1, 'https://push.example/' || $2, 'p', 'a', $3)`,
    [who.id, surname, `${name}'s laptop`],
  );
  // Rate-limit keys by address, an email job sent and one still delayed.
  await h.gql(
    `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`,
    {
      e: row.email,
      p: 'not-the-password',
    },
  );
  await h.ok(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: row.email });
  await h.smtp.waitFor(row.email);
  await h.api
    .get(QueuesService)
    .get('email')
    .add(
      'email',
      {
        template: 'password-reset',
        to: row.email,
        locale: 'en',
        vars: { name, token: 'x', network: 'Ruche' },
      },
      { delay: 3600_000 },
    );
  // The worker notified them (mention) and notified the other about them (comment, reaction).
  await until(async () => {
    const r = await h.db.query(
      'SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1',
      [who.id],
    );
    return (r.rows[0] as { n: number }).n > 0;
  });
  await until(async () => {
    const r = await h.db.query('SELECT count(*)::int AS n FROM notifications WHERE actor_id = $1', [
      who.id,
    ]);
    return (r.rows[0] as { n: number }).n > 0;
  });
  const lower = name.toLowerCase();
  expect(who.handle.length).toBeGreaterThan(3);
  return {
    ...who,
    email: row.email,
    name,
    needles: [row.email, who.handle, lower, 'quillfeath'],
    ownPostId: own.createPost.id,
    mentionPostId: mention.createPost.id,
    commentId: comment.addComment.id,
  };
}

/** Every place that mentions a needle: columns, Redis keys and values, stored bytes, job data. */
async function traces(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const likes = needles.map((n) => `%${n}%`);
  const cols = (
    await h.db.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public'
          AND (data_type IN ('text', 'character varying', 'jsonb', 'json', 'tsvector', 'ARRAY'))
          -- The audit log is append-only by law and design (GDPR art. 17(3)(b) and (e)): it keeps
          -- the address of a failed sign-in or an invitation; README's data-rights section says so.
          AND table_name NOT IN ('audit_events')`,
    )
  ).rows as { table_name: string; column_name: string }[];
  expect(cols.length).toBeGreaterThan(40);
  for (const c of cols) {
    const r = await h.db.query(
      `SELECT "${c.column_name}"::text AS v FROM "${c.table_name}" WHERE "${c.column_name}"::text ILIKE ANY($1) LIMIT 1`,
      [likes],
    );
    if (r.rows.length)
      found.push(
        `${c.table_name}.${c.column_name}: ${(r.rows[0] as { v: string }).v.slice(0, 120)}`,
      );
  }
  const redis = new Redis(REDIS_URL);
  try {
    const has = (s: string) => needles.some((n) => s.toLowerCase().includes(n.toLowerCase()));
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.name}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        if (has(key)) found.push(`redis key ${key}`);
        const type = await redis.type(key);
        const value =
          type === 'string'
            ? await redis.get(key)
            : type === 'hash'
              ? JSON.stringify(await redis.hgetall(key))
              : type === 'list'
                ? (await redis.lrange(key, 0, -1)).join('\n')
                : type === 'set'
                  ? (await redis.smembers(key)).join('\n')
                  : type === 'zset'
                    ? (await redis.zrange(key, 0, -1)).join('\n')
                    : type === 'stream'
                      ? JSON.stringify(await redis.xrange(key, '-', '+'))
                      : '';
        if (value && has(value)) found.push(`redis value ${key} (${type})`);
      }
    } while (cursor !== '0');
    const queues = h.api.get(QueuesService);
    for (const name of QUEUE_NAMES) {
      for (const job of await queues.get(name).getJobs(undefined, 0, -1)) {
        if (job && has(JSON.stringify(job.data))) found.push(`job ${name}:${job.id}`);
      }
    }
  } finally {
    redis.disconnect();
  }
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const files: string[] = [];
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) files.push(...(await walk(p)));
      else files.push(p);
    }
    return files;
  };
  for (const file of await walk(h.config.STORAGE_DIR)) {
    const bytes = (await readFile(file)).toString('latin1').toLowerCase();
    if (needles.some((n) => bytes.includes(n.toLowerCase()))) found.push(`file ${file}`);
    if (needles.some((n) => file.toLowerCase().includes(n.toLowerCase())))
      found.push(`file name ${file}`);
  }
  return found;
}

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  admin = await someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin');
  other = await someone(h, 'MEMBER', 'ACTIVE', 'Olivier Other');
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('eraseUser', () => {
  it('is for admins only, and an admin cannot erase themselves', async () => {
    const r = await h.gql(ERASE, { u: admin.id }, { token: other.token });
    expect(codeOf(r)).toBe('FORBIDDEN');
    const self = await h.gql(ERASE, { u: admin.id }, { token: admin.token });
    expect(codeOf(self)).toBe('FORBIDDEN');
    const none = await h.gql(
      ERASE,
      { u: '00000000-0000-4000-8000-000000000000' },
      { token: admin.token },
    );
    expect(codeOf(none)).toBe('NOT_FOUND');
  });

  it('KEEP_AS_FORMER_MEMBER: posts stay signed "Former member"; email, name and handle appear nowhere', async () => {
    const v = await victim();
    // The traces are really there before (the scan can fail).
    const before = await traces(v.needles);
    for (const place of [
      'users.email',
      'posts.body',
      'posts.search_vector',
      'comments.body',
      'content_revisions.body',
      'attachments.file_name',
      'push_subscriptions.user_agent',
    ])
      expect([place, before.some((t) => t.startsWith(place))]).toEqual([place, true]);
    expect(before.some((t) => t.startsWith('redis key'))).toBe(true);
    expect(before.some((t) => t.startsWith('job email'))).toBe(true);
    expect(before.some((t) => t.startsWith('file '))).toBe(true);

    const r = await h.ok(ERASE, { u: v.id, p: 'KEEP_AS_FORMER_MEMBER' }, admin.token);
    expect(r.eraseUser).toEqual({ userId: v.id, posts: 'KEEP_AS_FORMER_MEMBER', cleanedUp: true });
    expect(await traces(v.needles)).toEqual([]);

    const kept = await h.ok(POST, { id: v.ownPostId }, other.token);
    expect(kept.post.author.displayName).toBe('Former member');
    expect(kept.post.author.handle).toMatch(/^former-/);
    const mention = await h.ok(POST, { id: v.mentionPostId }, other.token);
    expect(mention.post.body).toContain(`@${kept.post.author.handle}`);
    expect(mention.post.bodyHtml).toContain('Former member');
    // Their sessions are gone: the old token no longer works.
    const viewer = await h.gql(`{ viewer { id } }`, {}, { token: v.token });
    expect(codeOf(viewer)).toBe('UNAUTHENTICATED');
    // Erasing twice is refused clearly.
    const again = await h.gql(ERASE, { u: v.id }, { token: admin.token });
    expect(codeOf(again)).toBe('BAD_USER_INPUT');
  }, 60_000);

  it('REMOVE through `ruche erase-user`: posts, comments and reactions go, and nothing is left', async () => {
    const v = await victim();
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: h.config.DATABASE_URL,
      REDIS_URL: h.config.REDIS_URL,
      REDIS_PREFIX: h.config.REDIS_PREFIX,
      STORAGE_DIR: h.config.STORAGE_DIR,
      SMTP_URL: h.config.SMTP_URL,
      PUBLIC_URL: h.config.PUBLIC_URL,
      LOG_LEVEL: 'warn',
    };
    const out = await run(
      process.execPath,
      ['bin/ruche.js', 'erase-user', '--email', v.email.toUpperCase(), '--posts', 'remove'],
      { env },
    );
    expect(out.stdout).toContain(`account ${v.id} erased (posts: REMOVE)`);
    expect(await traces(v.needles)).toEqual([]);
    expect((await h.ok(POST, { id: v.ownPostId }, other.token)).post).toBeNull();
    const left = await h.db.query(
      `SELECT (SELECT count(*) FROM posts WHERE author_id = $1)::int
            + (SELECT count(*) FROM comments WHERE author_id = $1)::int
            + (SELECT count(*) FROM reactions WHERE user_id = $1)::int
            + (SELECT count(*) FROM attachments WHERE uploader_id = $1)::int AS n`,
      [v.id],
    );
    expect((left.rows[0] as { n: number }).n).toBe(0);
    // The other's post that mentioned them stays, the mention now the former member's.
    const mention = await h.ok(POST, { id: v.mentionPostId }, other.token);
    expect(mention.post.body).toMatch(/^Thanks @former-[0-9a-f]+ and Former member!$/);
    // An unknown address is a clear failure.
    await expect(
      run(process.execPath, ['bin/ruche.js', 'erase-user', '--email', 'nobody@acme.test'], { env }),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('No account has this email address'),
    });
  }, 60_000);
});

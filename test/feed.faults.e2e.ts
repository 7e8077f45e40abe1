import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Harness } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { REDIS_URL } from './support/services.js';
import { killWorkers, startWorker, stopWorker, until } from './support/workers.js';

/**
 * Faults of the feed's fan-out with real worker processes (`node dist/apps/worker/main.js`): a
 * worker killed with SIGKILL in the middle of a fan-out. Another worker takes the stalled job over
 * (JOB_LOCK_MS=2000) and runs it again: every follower who may read the post has its activity
 * exactly once in their timeline, nobody else has it, and their home feed shows it once.
 */
let h: Harness;
let redis: Redis;
let author: Someone;
/** Followers with a session, for the home feed over GraphQL. */
let known: Someone[];
/** Every follower who may read a FOLLOWERS post (the known ones included). */
let readers: string[];
/** Followers who may not (guests, suspended), and people who do not follow: their timelines stay as they were. */
let outsiders: string[];

/** Bulk followers: the fan-out pushes them in batches of 500, so it takes a few. */
const FOLLOWERS = 3000;

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const FEED = `query($after: String) { homeFeed(first: 50, after: $after) {
  nodes { id verb post { id } } pageInfo { hasNextPage endCursor } } }`;
interface FeedPage {
  nodes: { id: string; verb: string; post: { id: string } | null }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** People made by bulk SQL, following the author or not; their ids. */
async function bulk(n: number, role: string, status: string, follow: boolean): Promise<string[]> {
  const tag = `${role}-${status}-${follow ? 'f' : 'n'}`.toLowerCase();
  const ids = (
    await h.db.query(
      `INSERT INTO users (email, handle, display_name, role, status, email_verified_at, sort_name, search_text, search_vector)
       SELECT '${tag}-' || g || '@acme.test', '${tag}-' || g, 'Bulk ' || g, $2, $3, now(), 'bulk ' || g, 'bulk ' || g, to_tsvector('simple', 'bulk ' || g)
         FROM generate_series(1, $1::int) AS g RETURNING id`,
      [n, role, status],
    )
  ).rows.map((r: { id: string }) => r.id);
  if (follow)
    await h.db.query(
      `INSERT INTO follows (follower_id, followee_id) SELECT f, $2 FROM unnest($1::uuid[]) AS f`,
      [ids, author.id],
    );
  return ids;
}

const tl = (id: string) => `${h.config.REDIS_PREFIX}:tl:${id}`;

/** An existing, empty timeline for each: the marker `fill` writes for an empty feed. */
async function warm(ids: string[]): Promise<void> {
  const p = redis.pipeline();
  for (const id of ids) p.zadd(tl(id), 0, '-').expire(tl(id), 3600);
  await p.exec();
}

/** Those of `ids` whose timeline is not exactly `members` (by ascending score), with what it holds. */
async function otherThan(
  ids: string[],
  members: string[],
): Promise<{ id: string; timeline: string[] }[]> {
  const p = redis.pipeline();
  for (const id of ids) p.zrange(tl(id), 0, -1);
  const got = ((await p.exec()) ?? []).map(([err, timeline], i) => {
    if (err) throw err;
    return { id: ids[i], timeline: timeline as string[] };
  });
  return got.filter((t) => t.timeline.join() !== members.join());
}

/** How many of `ids` have `member` in their timeline. */
async function holding(ids: string[], member: string): Promise<number> {
  const p = redis.pipeline();
  for (const id of ids) p.zscore(tl(id), member);
  return ((await p.exec()) ?? []).filter(([, score]) => score !== null).length;
}

beforeAll(async () => {
  h = await Harness.start();
  redis = new Redis(REDIS_URL);
  author = await someone(h, 'MEMBER', 'ACTIVE', 'Fanny Author');
  known = await Promise.all([1, 2, 3].map((i) => someone(h, 'MEMBER', 'ACTIVE', `Reader ${i}`)));
  const guest = await someone(h, 'GUEST', 'ACTIVE', 'Guest Follower');
  await h.db.query(
    `INSERT INTO follows (follower_id, followee_id) SELECT f, $2 FROM unnest($1::uuid[]) AS f`,
    [[...known, guest].map((k) => k.id), author.id],
  );
  readers = [
    author.id,
    ...known.map((k) => k.id),
    ...(await bulk(FOLLOWERS, 'MEMBER', 'ACTIVE', true)),
    ...(await bulk(20, 'ADMIN', 'ACTIVE', true)),
  ];
  outsiders = [
    guest.id,
    ...(await bulk(20, 'GUEST', 'ACTIVE', true)),
    ...(await bulk(20, 'MEMBER', 'SUSPENDED', true)),
    ...(await bulk(100, 'MEMBER', 'ACTIVE', false)),
  ];
  await warm([...readers, ...outsiders]);
}, 60000);
afterAll(async () => {
  await killWorkers();
  redis.disconnect();
  await h.stop();
});

describe('faults', () => {
  it('a worker killed (SIGKILL) in the middle of a fan-out: the job is retried, nothing missing, nothing twice', async () => {
    const env = { FEED_FANOUT_MAX: String(readers.length + outsiders.length) };
    const first = startWorker(h, env);
    // The fan-out publishes a live update to each batch of readers once their timelines hold the
    // activity: the first one means a batch of 500 is in, the other six still to come.
    const sub = new Redis(REDIS_URL);
    const pushed = new Promise<void>((resolve) =>
      sub.on('pmessage', () => {
        first.kill('SIGKILL');
        resolve();
      }),
    );
    await sub.psubscribe(`${h.config.REDIS_PREFIX}:home-feed:*`);
    const { createPost } = await h.ok<{ createPost: { id: string } }>(
      CREATE_POST,
      { input: { body: 'Quarterly results', audience: { kind: 'FOLLOWERS' } } },
      author.token,
    );
    // The only activity, so the only live updates are this fan-out's.
    const activities = (await h.db.query(`SELECT id, post_id FROM activities`)).rows as {
      id: string;
      post_id: string;
    }[];
    expect(activities.map((a) => a.post_id)).toEqual([createPost.id]);
    const activityId = activities[0].id;
    await pushed;
    sub.disconnect();
    await stopWorker(first, 'SIGKILL');
    const midway = await holding(readers, activityId);
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(readers.length);

    // Its lock expired, the next worker finds the job stalled and runs it again from the start.
    const second = startWorker(h, env);
    try {
      await until(
        'every reader has the activity',
        async () => (await holding(readers, activityId)) === readers.length,
        30000,
      );
      const queue = new Queue('fanout', {
        connection: { url: REDIS_URL },
        prefix: `${h.config.REDIS_PREFIX}:bull`,
      });
      try {
        let job: Job | undefined;
        await until('the job completed', async () => {
          job = (await queue.getJobs(['completed'])).find((j) => j.data.activityId === activityId);
          return !!job;
        });
        expect([job!.returnvalue, job!.stalledCounter]).toEqual(['done', 1]);
      } finally {
        await queue.close();
      }
      // Each reader's timeline: the marker and the activity, once; the others' just the marker.
      expect(await otherThan(readers, ['-', activityId])).toEqual([]);
      expect(await otherThan(outsiders, ['-'])).toEqual([]);
      for (const who of known) {
        const seen: string[] = [];
        let after: string | null = null;
        do {
          const page: FeedPage = (await h.ok<{ homeFeed: FeedPage }>(FEED, { after }, who.token))
            .homeFeed;
          seen.push(...page.nodes.map((n) => `${n.verb} ${n.post?.id}`));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        expect(seen).toEqual([`POSTED ${createPost.id}`]);
      }
    } finally {
      await stopWorker(second, 'SIGTERM');
    }
  }, 90000);
});

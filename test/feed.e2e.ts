import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { FanoutJobHandler, HomeFeedService } from '@ruche/feed';
import { Harness, codeOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { countQueries } from './support/queries.js';
import { REDIS_URL } from './support/services.js';

let h: Harness;
let redis: Redis;
let admin: Someone;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  redis = new Redis(REDIS_URL);
  admin = await someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin');
});
afterAll(async () => {
  redis.disconnect();
  await h.stop();
});

const FEED = `query($first: Int, $after: String) { homeFeed(first: $first, after: $after) {
  edges { cursor node { id verb createdAt actor { id } post { id body } comment { id } group { id } } }
  pageInfo { hasNextPage endCursor } } }`;
const CREATE = `mutation($input: CreatePostInput!) { createPost(input: $input) { id createdAt } }`;
const COMMENT = `mutation($postId: ID!, $body: String!) { addComment(postId: $postId, body: $body) { id } }`;
const FOLLOW = `mutation($u: ID!) { follow(userId: $u) { id } }`;
const UNFOLLOW = `mutation($u: ID!) { unfollow(userId: $u) { id } }`;
const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`;
const UPDATE_GROUP = `mutation($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { id } }`;
const JOIN = `mutation($g: ID!) { joinGroup(groupId: $g) { status } }`;
const REMOVE = `mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) }`;

interface Item {
  id: string;
  verb: string;
  createdAt: string;
  actor: { id: string };
  post: { id: string; body: string } | null;
  comment: { id: string } | null;
  group: { id: string } | null;
}
type Page = { items: Item[]; hasNextPage: boolean; endCursor: string | null };

async function page(who: Someone, first = 100, after?: string): Promise<Page> {
  const { homeFeed } = await h.ok(FEED, { first, after }, who.token);
  return {
    items: homeFeed.edges.map((e: { node: Item }) => e.node),
    hasNextPage: homeFeed.pageInfo.hasNextPage,
    endCursor: homeFeed.pageInfo.endCursor,
  };
}
/** Announcements are in everyone's feed: the tests below leave the one of the first test out. */
const announcements = new Set<string>();
const others = (items: Item[]) => items.filter((i) => !(i.post && announcements.has(i.post.id)));
const postIds = async (who: Someone) =>
  others((await page(who)).items)
    .filter((i) => i.verb === 'POSTED')
    .map((i) => i.post!.id);

let n = 0;
async function post(
  by: Someone,
  audience: Record<string, unknown> = { kind: 'NETWORK' },
  over: Record<string, unknown> = {},
): Promise<string> {
  return (await h.ok(CREATE, { input: { body: `post ${++n}`, audience, ...over } }, by.token))
    .createPost.id;
}
const group = async (owner: Someone, visibility = 'PUBLIC', joinPolicy = 'OPEN'): Promise<string> =>
  (
    await h.ok(
      CREATE_GROUP,
      { input: { name: `Group ${++n}`, visibility, joinPolicy } },
      owner.token,
    )
  ).createGroup.id;

const tlKey = (who: Someone) => `${h.config.REDIS_PREFIX}:tl:${who.id}`;

/** Polls until `check` holds (the worker's fan-out is asynchronous). */
async function until(check: () => Promise<boolean>, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** Waits until the fan-out put the activity of this post into the viewer's timeline. */
const inTimeline = (who: Someone, activityPostId: string) =>
  until(async () => {
    const [row] = (
      await h.db.query(`SELECT id FROM activities WHERE post_id = $1 AND verb = 'POSTED'`, [
        activityPostId,
      ])
    ).rows as { id: string }[];
    return !!row && (await redis.zscore(tlKey(who), row.id)) !== null;
  });

describe('the home feed', () => {
  it('holds own posts, wall posts, followed people, joined groups and announcements, newest first', async () => {
    const [me, friend, stranger, member] = await Promise.all([
      someone(h),
      someone(h),
      someone(h),
      someone(h),
    ]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    const g = await group(member);
    await h.ok(JOIN, { g }, me.token);
    const other = await group(member);

    const mine = await post(me);
    const onMyWall = await post(stranger, { kind: 'NETWORK' }, { wallOwnerId: me.id });
    const byFriend = await post(friend, { kind: 'FOLLOWERS' });
    const inGroup = await post(member, { kind: 'GROUP', groupId: g });
    const notMine = await post(stranger); // NETWORK, not followed: not in the home feed
    const otherGroup = await post(member, { kind: 'GROUP', groupId: other }); // PUBLIC group not joined, author not followed
    const privateOfFriend = await post(friend, { kind: 'PRIVATE' });
    const announcement = await post(admin, { kind: 'NETWORK' }, { isAnnouncement: true });
    announcements.add(announcement);
    const comment = (await h.ok(COMMENT, { postId: byFriend, body: 'well said' }, friend.token))
      .addComment.id;

    const first = await page(me);
    const ids = first.items.filter((i) => i.verb === 'POSTED').map((i) => i.post!.id);
    expect(ids).toEqual([announcement, inGroup, byFriend, onMyWall, mine]);
    expect(ids).not.toContain(notMine);
    expect(ids).not.toContain(otherGroup);
    expect(ids).not.toContain(privateOfFriend);
    // The comment of a followed person; my own join; the creation of a group I belong to.
    const commented = first.items.find((i) => i.verb === 'COMMENTED');
    expect(commented).toMatchObject({
      actor: { id: friend.id },
      post: { id: byFriend },
      comment: { id: comment },
    });
    expect(
      first.items.filter((i) => i.verb === 'JOINED_GROUP').map((i) => [i.actor.id, i.group?.id]),
    ).toEqual([[me.id, g]]);
    expect(
      first.items.filter((i) => i.verb === 'CREATED_GROUP').map((i) => [i.actor.id, i.group?.id]),
    ).toEqual([[member.id, g]]);
    const times = first.items.map((i) => Date.parse(i.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('shows the other activities of the people followed, each only when its object is readable', async () => {
    const [me, friend] = await Promise.all([someone(h), someone(h)]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    const open = await group(friend, 'PUBLIC');
    const secret = await group(friend, 'SECRET');
    await h.ok(`mutation { updateProfile(input: { jobTitle: "Pilot" }) { id } }`, {}, friend.token);
    const items = others((await page(me)).items);
    expect(items.map((i) => [i.verb, i.group?.id ?? null])).toEqual([
      ['UPDATED_PROFILE', null],
      ['CREATED_GROUP', open],
    ]);
    expect(items.some((i) => i.group?.id === secret)).toBe(false);
  });

  it('fans a post out into the timelines of followers who may read it, and reads it from there', async () => {
    const [me, friend, outsider] = await Promise.all([someone(h), someone(h), someone(h)]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    await h.ok(FOLLOW, { u: friend.id }, outsider.token);
    await page(me); // builds the timeline
    await page(outsider);
    const earlier: string[] = [];
    for (let i = 0; i < 4; i++) earlier.unshift(await post(friend));
    const p = await post(friend, { kind: 'CUSTOM', userIds: [me.id] });
    await inTimeline(me, p);
    const [activity] = (await h.db.query(`SELECT id FROM activities WHERE post_id = $1`, [p]))
      .rows as { id: string }[];
    // The outsider follows too, but may not read a CUSTOM post naming someone else: never pushed
    // (the same job and pipeline pushed it to me).
    expect(await redis.zscore(tlKey(outsider), activity.id)).toBeNull();
    for (const id of earlier) await inTimeline(me, id);
    // A first page the timeline fills: read from the timeline's ids (then re-checked in PostgreSQL).
    expect(others((await page(me, 2)).items).map((i) => i.post!.id)).toEqual([p, earlier[0]]);
    expect(h.api.get(HomeFeedService).lastPath).toBe('timeline');
    expect(await postIds(me)).toEqual([p, ...earlier]);
    expect(await postIds(outsider)).toEqual(earlier);
  });

  it('pages with a stable cursor while new posts arrive: no duplicate, no gap', async () => {
    const [me, friend] = await Promise.all([someone(h), someone(h)]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    const before: string[] = [];
    for (let i = 0; i < 25; i++) before.unshift(await post(friend));
    await page(me, 5); // warm timeline
    const seen: string[] = [];
    let after: string | undefined;
    let newer = 0;
    for (;;) {
      const p = await page(me, 7, after);
      seen.push(...others(p.items).map((i) => i.post!.id));
      // Someone posts between every two pages (some will be fanned out before the next page).
      await post(friend);
      newer++;
      if (!p.hasNextPage) break;
      after = p.endCursor!;
    }
    expect(newer).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before);
  });

  it('forgets what the viewer lost the right to read at the very next read', async () => {
    const [me, friend, owner, author] = await Promise.all([
      someone(h),
      someone(h),
      someone(h),
      someone(h),
    ]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    await h.ok(FOLLOW, { u: author.id }, me.token);
    const g = await group(owner, 'PRIVATE');
    await h.ok(JOIN, { g }, me.token);
    const open = await group(owner, 'PUBLIC');
    await h.ok(JOIN, { g: open }, author.token);
    await page(me); // warm
    const byFriend = await post(friend, { kind: 'FOLLOWERS' });
    // Still readable after an unfollow, but no longer from a source of this feed.
    const byFriendForAll = await post(friend);
    const inGroup = await post(owner, { kind: 'GROUP', groupId: g });
    const inOpen = await post(author, { kind: 'GROUP', groupId: open });
    await inTimeline(me, byFriend);
    await inTimeline(me, byFriendForAll);
    await inTimeline(me, inGroup);
    await inTimeline(me, inOpen);
    expect(await postIds(me)).toEqual([inOpen, inGroup, byFriendForAll, byFriend]);

    await h.ok(UNFOLLOW, { u: friend.id }, me.token);
    expect(await postIds(me)).toEqual([inOpen, inGroup]);
    // One item a page: the pages before the timeline's end come from the (stale) timeline, which
    // still holds the post by the person unfollowed, just below the group's posts.
    const walked: string[] = [];
    const paths: string[] = [];
    let after: string | undefined;
    do {
      const p = await page(me, 1, after);
      walked.push(...others(p.items).flatMap((i) => (i.verb === 'POSTED' ? [i.post!.id] : [])));
      paths.push(h.api.get(HomeFeedService).lastPath);
      after = p.hasNextPage ? p.endCursor! : undefined;
    } while (after);
    expect(paths.slice(0, 3)).toEqual(['timeline', 'timeline', 'timeline']);
    expect(walked).toEqual([inOpen, inGroup]);

    await h.ok(REMOVE, { g, u: me.id }, owner.token);
    expect(await postIds(me)).toEqual([inOpen]);

    // A PUBLIC group made SECRET: its posts no longer exist for the non-member who followed their author.
    await h.ok(UPDATE_GROUP, { id: open, input: { visibility: 'SECRET' } }, owner.token);
    expect(await postIds(me)).toEqual([]);
    // The timeline still holds them: only the read-time check removed them.
    expect(await redis.zcard(tlKey(me))).toBeGreaterThanOrEqual(3);

    // A suspended viewer reads nothing (the session is gone).
    await h.ok(`mutation($u: ID!) { suspendUser(userId: $u) { id } }`, { u: me.id }, admin.token);
    expect(codeOf(await h.gql(FEED, {}, { token: me.token }))).toBe('UNAUTHENTICATED');
  });

  it('rebuilds a missing timeline from PostgreSQL and answers its first page at once', async () => {
    const [me, friend] = await Promise.all([someone(h), someone(h)]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    const posts: string[] = [];
    for (let i = 0; i < 5; i++) posts.unshift(await post(friend));
    const warm = await postIds(me);
    expect(warm).toEqual(posts);
    await redis.del(tlKey(me));
    expect(await postIds(me)).toEqual(posts);
    const feed = h.api.get(HomeFeedService);
    expect(feed.lastPath).toBe('rebuild');
    await feed.lastRebuild;
    expect(await redis.zcard(tlKey(me))).toBeGreaterThanOrEqual(5);
    expect(await postIds(me)).toEqual(posts);
  });

  it('rebuilds at most two timelines at once; the others are answered from PostgreSQL and rebuilt later', async () => {
    const friend = await someone(h);
    const readers = await Promise.all(Array.from({ length: 5 }, () => someone(h)));
    for (const r of readers) await h.ok(FOLLOW, { u: friend.id }, r.token);
    const p = await post(friend);
    const feed = h.api.get(HomeFeedService);
    // The most rebuilds running at once during the burst.
    const running = (feed as unknown as { rebuilding: Set<string> }).rebuilding;
    const add = running.add.bind(running);
    let most = 0;
    running.add = (id: string) => {
      add(id);
      most = Math.max(most, running.size);
      return running;
    };
    try {
      await Promise.all(readers.map((r) => redis.del(tlKey(r))));
      const pages = await Promise.all(readers.map((r) => postIds(r)));
      expect(pages.every((ids) => ids[0] === p)).toBe(true);
      await until(async () => feed.rebuildsRunning === 0);
    } finally {
      running.add = add;
    }
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
    // The next reads rebuild the rest, two at a time.
    for (const r of readers) {
      await postIds(r);
      await until(async () => feed.rebuildsRunning === 0);
    }
    expect((await Promise.all(readers.map((r) => redis.exists(tlKey(r))))).every(Boolean)).toBe(
      true,
    );
  });

  it('sends each new item to the viewer live (homeFeedUpdated over graphql-ws)', async () => {
    const [me, friend] = await Promise.all([someone(h), someone(h)]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    const client = createClient({
      url: `${h.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${me.token}` },
      retryAttempts: 0,
    });
    try {
      const received = new Promise<{ verb: string; post: { id: string } }>((resolve, reject) => {
        client.subscribe(
          { query: `subscription { homeFeedUpdated { id verb post { id } actor { id } } }` },
          {
            next: (r) =>
              resolve(
                (r.data as { homeFeedUpdated: { verb: string; post: { id: string } } })
                  .homeFeedUpdated,
              ),
            error: reject,
            complete: () => undefined,
          },
        );
      });
      await new Promise((r) => setTimeout(r, 300)); // subscribed
      const p = await post(friend);
      await expect(received).resolves.toMatchObject({ verb: 'POSTED', post: { id: p } });
    } finally {
      await client.dispose();
    }
  });
});

describe('the home feed without Redis timelines', () => {
  let down: Harness;
  beforeAll(async () => {
    down = await Harness.start({ env: { FEED_REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => down.stop());

  it('is served from PostgreSQL alone, correct', async () => {
    const [me, friend, stranger] = await Promise.all([someone(down), someone(down), someone(down)]);
    await down.ok(FOLLOW, { u: friend.id }, me.token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.unshift(
        (
          await down.ok(
            CREATE,
            { input: { body: `x ${i}`, audience: { kind: 'NETWORK' } } },
            friend.token,
          )
        ).createPost.id,
      );
    await down.ok(
      CREATE,
      { input: { body: 'not followed', audience: { kind: 'NETWORK' } } },
      stranger.token,
    );
    const started = Date.now();
    const { homeFeed } = await down.ok(FEED, { first: 2 }, me.token);
    expect(homeFeed.edges.map((e: { node: Item }) => e.node.post!.id)).toEqual(ids.slice(0, 2));
    const { homeFeed: next } = await down.ok(
      FEED,
      { first: 2, after: homeFeed.pageInfo.endCursor },
      me.token,
    );
    expect(next.edges.map((e: { node: Item }) => e.node.post!.id)).toEqual(ids.slice(2));
    expect(next.pageInfo.hasNextPage).toBe(false);
    expect(down.api.get(HomeFeedService).lastPath).toBe('postgres');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('the cost of a page', () => {
  it('is the same number of queries for 5 or 20 fully hydrated items (one page query, batched loaders)', async () => {
    const [me, ...friends] = await Promise.all([someone(h), someone(h), someone(h), someone(h)]);
    const g = await group(friends[0]);
    await h.ok(JOIN, { g }, me.token);
    for (const f of friends) await h.ok(FOLLOW, { u: f.id }, me.token);
    await page(me); // the timeline exists: fan-out pushes into it
    let last = '';
    for (let i = 0; i < 24; i++) {
      // The group's posts by its owner (the others are not members).
      last =
        i % 4 === 0
          ? await post(friends[0], { kind: 'GROUP', groupId: g })
          : await post(friends[i % friends.length]);
      if (i % 3 === 0) await h.ok(COMMENT, { postId: last, body: `comment ${i}` }, me.token);
    }
    await inTimeline(me, last);
    const FULL = `query($first: Int) { homeFeed(first: $first) { edges { cursor node { id verb createdAt
      actor { id displayName } group { id name } comment { id body }
      post { id bodyHtml commentsCount viewerCanEdit viewerCanDelete viewerCanComment
             author { id displayName } group { id name } reactions { emoji count viewerReacted } } } }
      pageInfo { hasNextPage endCursor } } }`;
    const cost = async (first: number) => {
      const { result, queries } = await countQueries(h, () => h.ok(FULL, { first }, me.token));
      expect(result.homeFeed.edges).toHaveLength(first);
      return queries;
    };
    await cost(20); // warm (first statements on fresh connections)
    const five = await cost(5);
    const twenty = await cost(20);
    expect(twenty).toBe(five);
    // Session check, the page, and one batch per loader: actors and authors, posts, comments,
    // groups, the viewer's memberships (rights), reactions, comment counts.
    expect(twenty).toBeLessThanOrEqual(9);
  });
});

describe('the fan-out job', () => {
  it('is idempotent when retried, and skips an activity that is gone', async () => {
    const [me, friend] = await Promise.all([someone(h), someone(h)]);
    await h.ok(FOLLOW, { u: friend.id }, me.token);
    await page(me); // a timeline to push into
    const p = await post(friend);
    await inTimeline(me, p);
    const [{ id }] = (await h.db.query(`SELECT id FROM activities WHERE post_id = $1`, [p]))
      .rows as { id: string }[];
    const before = await redis.zrange(tlKey(me), 0, -1);
    // The retry of a job that crashed after its pushes: the same ids, nothing twice.
    const handler = h.worker!.get(FanoutJobHandler);
    await expect(handler.handle({ data: { activityId: id } } as never)).resolves.toBe('done');
    expect(await redis.zrange(tlKey(me), 0, -1)).toEqual(before);
    await h.db.query(`DELETE FROM activities WHERE id = $1`, [id]);
    await expect(handler.handle({ data: { activityId: id } } as never)).resolves.toBe('skipped');
  });
});

describe('large audiences', () => {
  let big: Harness;
  beforeAll(async () => {
    big = await Harness.start({ worker: true, env: { FEED_FANOUT_MAX: '2' } });
  });
  afterAll(() => big.stop());

  it('are not copied into timelines but merged into each feed at read time', async () => {
    const [star, a, b, c, stranger] = await Promise.all([
      someone(big),
      someone(big),
      someone(big),
      someone(big),
      someone(big),
    ]);
    for (const fan of [a, b, c]) await big.ok(FOLLOW, { u: star.id }, fan.token);
    for (const who of [a, b, c, stranger]) await big.ok(FEED, {}, who.token); // warm timelines
    const p = (
      await big.ok(
        CREATE,
        { input: { body: 'to my many fans', audience: { kind: 'FOLLOWERS' } } },
        star.token,
      )
    ).createPost.id;
    await until(
      async () =>
        (await big.db.query(`SELECT broadcast FROM activities WHERE post_id = $1`, [p])).rows[0]
          ?.broadcast === true,
    );
    const [{ id }] = (await big.db.query(`SELECT id FROM activities WHERE post_id = $1`, [p]))
      .rows as { id: string }[];
    for (const fan of [a, b, c]) {
      expect(await redis.zscore(`${big.config.REDIS_PREFIX}:tl:${fan.id}`, id)).toBeNull();
      const { homeFeed } = await big.ok(FEED, {}, fan.token);
      expect(homeFeed.edges.map((e: { node: Item }) => e.node.post?.id)).toEqual([p]);
    }
    // Merged at read time, still judged: not a source of the stranger's feed, nor readable by them.
    const { homeFeed } = await big.ok(FEED, {}, stranger.token);
    expect(homeFeed.edges).toEqual([]);
    await big.ok(UNFOLLOW, { u: star.id }, a.token);
    expect((await big.ok(FEED, {}, a.token)).homeFeed.edges).toEqual([]);
  });
});

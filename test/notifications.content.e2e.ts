import { QueuesService } from '@ruche/queue';
import { Clock } from '@ruche/notifications';
import { Harness } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

/** Content reaching people: who is notified of posts, comments and reactions, in the app and by email. */
let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
});
afterAll(() => h.stop());

const LIST = `{ notifications(first: 100) { unreadCount nodes { id type readAt actor { id } group { id } post { id } comment { id } } } }`;
const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const UPDATE_POST = `mutation($id: ID!, $body: String!) { updatePost(id: $id, body: $body) { id } }`;
const DELETE_POST = `mutation($id: ID!) { deletePost(id: $id) }`;
const COMMENT = `mutation($postId: ID!, $body: String!, $parentId: ID) { addComment(postId: $postId, body: $body, parentId: $parentId) { id } }`;
const REACT = `mutation($s: ID!, $e: String!) { react(subjectId: $s, emoji: $e) { emoji count } }`;
const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id name } }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!) { inviteToGroup(groupId: $g, userIds: $u) { status } }`;
const RESPOND = `mutation($g: ID!, $a: Boolean!) { respondToGroupInvitation(groupId: $g, accept: $a) { status } }`;
const SET_PREFS = `mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { emailDigest } }`;

interface Note {
  id: string;
  type: string;
  readAt: string | null;
  actor: { id: string } | null;
  group: { id: string } | null;
  post: { id: string } | null;
  comment: { id: string } | null;
}

const list = async (who: Someone): Promise<Note[]> =>
  (await h.ok<{ notifications: { nodes: Note[] } }>(LIST, {}, who.token)).notifications.nodes;

async function waitList(who: Someone, until: (l: Note[]) => boolean, ms = 10000): Promise<Note[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const l = await list(who);
    if (until(l)) return l;
    if (Date.now() > deadline) throw new Error(`notifications never matched: ${JSON.stringify(l)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Lets the outbox relay and the worker finish what is in flight (generous: CI machines are slow). */
async function settle(): Promise<void> {
  const deadline = Date.now() + 30000;
  const notify = h.api.get(QueuesService).get('notify');
  for (;;) {
    const [{ n }] = (await h.db.query(`SELECT count(*)::int AS n FROM outbox`)).rows as {
      n: number;
    }[];
    const counts = await notify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (n === 0 && Object.values(counts).every((c) => c === 0)) break;
    if (Date.now() > deadline)
      throw new Error(`outbox or notify queue never drained: ${n} ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
}

/** Who (by id) has a notification of `type` about `postId`, straight from the table. */
async function notified(type: string, postId: string): Promise<string[]> {
  const rows = (
    await h.db.query(
      'SELECT recipient_id FROM notifications WHERE type = $1 AND post_id = $2 ORDER BY recipient_id',
      [type, postId],
    )
  ).rows as { recipient_id: string }[];
  return rows.map((r) => r.recipient_id);
}
const sorted = (people: Someone[]) => people.map((p) => p.id).sort();

const people = (n: number, prefix: string) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => someone(h, 'MEMBER', 'ACTIVE', `${prefix} ${i}`)),
  );

async function post(by: Someone, input: Record<string, unknown>): Promise<string> {
  return (
    await h.ok<{ createPost: { id: string } }>(
      CREATE_POST,
      { input: { audience: { kind: 'NETWORK' }, ...input } },
      by.token,
    )
  ).createPost.id;
}
async function comment(
  by: Someone,
  postId: string,
  body: string,
  parentId?: string,
): Promise<string> {
  return (await h.ok<{ addComment: { id: string } }>(COMMENT, { postId, body, parentId }, by.token))
    .addComment.id;
}
let groups = 0;
async function group(owner: Someone, members: Someone[], visibility = 'PRIVATE'): Promise<string> {
  const { createGroup } = await h.ok<{ createGroup: { id: string } }>(
    CREATE_GROUP,
    { input: { name: `Content team ${++groups}`, visibility, joinPolicy: 'INVITE' } },
    owner.token,
  );
  for (const m of members) {
    await h.ok(INVITE, { g: createGroup.id, u: [m.id] }, owner.token);
    await h.ok(RESPOND, { g: createGroup.id, a: true }, m.token);
  }
  return createGroup.id;
}
const emailOf = async (who: Someone): Promise<string> =>
  (
    (await h.db.query('SELECT email FROM users WHERE id = $1', [who.id])).rows[0] as {
      email: string;
    }
  ).email;

describe('content notifies exactly the right people', () => {
  it('MENTION: the mentioned people of a post, never the author, with the post resolved; edits notify the newly mentioned', async () => {
    const [author, bob, carol, dave] = await people(4, 'Mention');
    const id = await post(author, {
      body: `Hello @${bob.handle} and @${carol.handle}, says @${author.handle}`,
    });
    for (const who of [bob, carol]) {
      const [n] = await waitList(who, (l) => l.length === 1);
      expect(n).toEqual(
        expect.objectContaining({
          type: 'MENTION',
          actor: { id: author.id },
          post: { id },
          comment: null,
          group: null,
        }),
      );
    }
    await h.ok(
      UPDATE_POST,
      { id, body: `Hello @${bob.handle}, @${carol.handle} and @${dave.handle}` },
      author.token,
    );
    await waitList(dave, (l) => l.length === 1 && l[0].type === 'MENTION');
    await settle();
    expect(await notified('MENTION', id)).toEqual(sorted([bob, carol, dave]));
    expect(await list(author)).toEqual([]);
    // bob was not notified twice by the edit (his row is still the one unread MENTION).
    expect(await list(bob)).toHaveLength(1);
  });

  it('a mention inside a group the mentioned person cannot read notifies no one', async () => {
    const [owner, member, outsider] = await people(3, 'Secretive');
    const g = await group(owner, [member], 'SECRET');
    const id = await post(owner, {
      body: `Ping @${member.handle} and @${outsider.handle}`,
      audience: { kind: 'GROUP', groupId: g },
    });
    await waitList(member, (l) => l.some((n) => n.type === 'MENTION'));
    await settle();
    expect(await notified('MENTION', id)).toEqual([member.id]);
    expect(await list(outsider)).toEqual([]);
    // A PRIVATE post mentioning someone: the mentioned cannot read it, so nothing.
    const priv = await post(owner, {
      body: `Note to self about @${outsider.handle}`,
      audience: { kind: 'PRIVATE' },
    });
    await settle();
    expect(await notified('MENTION', priv)).toEqual([]);
  });

  it('COMMENT to the post author when someone else comments, REPLY to the replied author, MENTION in a comment', async () => {
    const [author, bob, carol, dave] = await people(4, 'Thread');
    const id = await post(author, { body: 'Thoughts?' });
    // The author commenting on their own post notifies no one.
    await comment(author, id, 'I start');
    const c1 = await comment(bob, id, 'Mine');
    const [n] = await waitList(author, (l) => l.some((x) => x.type === 'COMMENT'));
    expect(n).toEqual(
      expect.objectContaining({
        type: 'COMMENT',
        actor: { id: bob.id },
        post: { id },
        comment: { id: c1 },
      }),
    );
    const reply = await comment(carol, id, `Agreed, @${dave.handle}`, c1);
    await waitList(bob, (l) => l.some((x) => x.type === 'REPLY'));
    await waitList(dave, (l) => l.some((x) => x.type === 'MENTION'));
    await settle();
    expect(await notified('REPLY', id)).toEqual([bob.id]);
    expect(await notified('MENTION', id)).toEqual([dave.id]);
    // The author got one COMMENT per comment by someone else (bob's, carol's reply).
    const comments = (await list(author)).filter((x) => x.type === 'COMMENT');
    expect(comments.map((x) => x.comment?.id).sort()).toEqual([c1, reply].sort());
    expect(await list(carol)).toEqual([]);
    // The post author replying to bob: bob gets REPLY, the author nothing.
    await comment(author, id, 'Thanks', c1);
    await settle();
    expect((await list(bob)).filter((x) => x.type === 'REPLY')).toHaveLength(2);
  });

  it('REACTION: ten reactions make one unread notification that updates; a comment reaction reaches its author', async () => {
    const [author, commenter, ...fans] = await people(12, 'Fan');
    const id = await post(author, { body: 'React!' });
    await h.ok(REACT, { s: id, e: '👍' }, author.token);
    for (const f of fans) await h.ok(REACT, { s: id, e: '👍' }, f.token);
    const last = fans[fans.length - 1];
    await waitList(author, (l) => l[0]?.actor?.id === last.id);
    await settle();
    const rows = (await list(author)).filter((x) => x.type === 'REACTION');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(
      expect.objectContaining({ actor: { id: last.id }, post: { id }, readAt: null }),
    );
    // A reaction on a comment goes to the comment's author, not the post's.
    const c = await comment(commenter, id, 'A comment');
    await h.ok(REACT, { s: c, e: '🎉' }, fans[0].token);
    const [n] = await waitList(commenter, (l) => l.some((x) => x.type === 'REACTION'));
    expect(n).toEqual(
      expect.objectContaining({ type: 'REACTION', comment: { id: c }, post: { id } }),
    );
    await settle();
    expect((await list(author)).filter((x) => x.type === 'REACTION')).toHaveLength(1);
  });

  it('WALL_POST to the wall owner when someone else posts there', async () => {
    const [owner, visitor] = await people(2, 'Wall');
    const own = await post(owner, { body: 'My own wall' });
    const id = await post(visitor, { body: 'Happy birthday!', wallOwnerId: owner.id });
    const [n] = await waitList(owner, (l) => l.length === 1);
    expect(n).toEqual(
      expect.objectContaining({ type: 'WALL_POST', actor: { id: visitor.id }, post: { id } }),
    );
    await settle();
    expect(await notified('WALL_POST', own)).toEqual([]);
    expect(await list(visitor)).toEqual([]);
  });

  it('GROUP_POST to the ACTIVE members of the group, not the poster, not the invited nor outsiders', async () => {
    const [owner, m1, m2, invited, outsider] = await people(5, 'Grouped');
    const g = await group(owner, [m1, m2]);
    await h.ok(INVITE, { g, u: [invited.id] }, owner.token);
    const id = await post(m1, { body: 'For the team', audience: { kind: 'GROUP', groupId: g } });
    const [n] = await waitList(m2, (l) => l.some((x) => x.type === 'GROUP_POST'));
    expect(n).toEqual(
      expect.objectContaining({
        type: 'GROUP_POST',
        actor: { id: m1.id },
        group: { id: g },
        post: { id },
      }),
    );
    await settle();
    expect(await notified('GROUP_POST', id)).toEqual(sorted([owner, m2]));
    expect(await list(outsider)).toEqual([]);
  });

  it('ANNOUNCEMENT: the group members for a group announcement; every ACTIVE non-guest for a network one', async () => {
    const [owner, m1, m2, outsider] = await people(4, 'Herald');
    const g = await group(owner, [m1, m2]);
    const gid = await post(owner, {
      body: 'Group news',
      audience: { kind: 'GROUP', groupId: g },
      isAnnouncement: true,
    });
    await waitList(m1, (l) => l.some((x) => x.type === 'ANNOUNCEMENT'));
    await settle();
    expect(await notified('ANNOUNCEMENT', gid)).toEqual(sorted([m1, m2]));
    expect(await notified('GROUP_POST', gid)).toEqual([]);
    expect(await list(outsider)).toEqual([]);

    const admin = await someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin');
    const guest = await someone(h, 'GUEST', 'ACTIVE', 'Gail Guest');
    const suspended = await someone(h, 'MEMBER', 'SUSPENDED', 'Sam Suspended');
    const nid = await post(admin, { body: 'Company news', isAnnouncement: true });
    await waitList(outsider, (l) => l.some((x) => x.type === 'ANNOUNCEMENT'));
    await settle();
    const expected = (
      (
        await h.db.query(
          `SELECT id FROM users WHERE status = 'ACTIVE' AND role <> 'GUEST' AND id <> $1 ORDER BY id`,
          [admin.id],
        )
      ).rows as { id: string }[]
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(10);
    expect(await notified('ANNOUNCEMENT', nid)).toEqual(expected);
    for (const nobody of [admin, guest, suspended])
      expect(await notified('ANNOUNCEMENT', nid)).not.toContain(nobody.id);
  });

  it('leaves out of the list a notification whose post is no longer readable', async () => {
    const [author, bob] = await people(2, 'Vanish');
    const id = await post(author, { body: `See @${bob.handle}` });
    await waitList(bob, (l) => l.length === 1);
    await h.ok(DELETE_POST, { id }, author.token);
    const after = await h.ok<{ notifications: { unreadCount: number; nodes: Note[] } }>(
      LIST,
      {},
      bob.token,
    );
    expect(after.notifications).toEqual(expect.objectContaining({ unreadCount: 0, nodes: [] }));
  });
});

describe('content by email', () => {
  it('a MENTION email in the recipient language, with a link to the post', async () => {
    const [author, zoe] = await people(2, 'Courriel');
    await h.db.query(`UPDATE users SET locale = 'fr', display_name = 'Zoé Lefèvre' WHERE id = $1`, [
      zoe.id,
    ]);
    await h.db.query(`UPDATE users SET display_name = 'Ana Autrice' WHERE id = $1`, [author.id]);
    const id = await post(author, { body: `Bonjour @${zoe.handle}` });
    const mail = await h.smtp.waitFor(await emailOf(zoe), () => true, 15000);
    expect(mail.subject).toBe('Ana Autrice vous a mentionné');
    expect(mail.text).toContain(`${h.config.PUBLIC_URL.replace(/\/$/, '')}/posts/${id}`);
    expect(mail.text).toContain('Bonjour Zoé Lefèvre');
    expect(mail.html).toContain('Ne plus recevoir ces e-mails');
    const headers = Object.fromEntries(
      mail.headerLines.map((l) => [l.key, l.line.slice(l.key.length + 1).trim()]),
    );
    expect(headers['list-unsubscribe']).toMatch(
      /^<http:\/\/ruche\.test\/api\/unsubscribe\?token=[\w.-]+>$/,
    );
  });

  it('sends nothing for a post deleted between the notification and the end of quiet hours', async () => {
    const [author, night] = await people(2, 'Nocturne');
    const to = await emailOf(night);
    await h.ok(
      SET_PREFS,
      {
        input: {
          quietHours: {
            start: '22:00',
            end: '07:00',
            days: [1, 2, 3, 4, 5, 6, 7],
            timezone: 'Europe/Paris',
          },
        },
      },
      night.token,
    );
    const clock = h.worker!.get(Clock);
    // 06:59:40 in Paris (CET): the window ends in twenty seconds, room enough on a slow machine.
    clock.set(new Date('2026-01-15T05:59:40Z'));
    try {
      const id = await post(author, { body: `Late thought for @${night.handle}` });
      await waitList(night, (l) => l.length === 1);
      const pending = (
        await h.db.query(
          `SELECT d.status, d.batched FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.post_id = $1 AND d.channel = 'EMAIL'`,
          [id],
        )
      ).rows;
      expect(pending).toEqual([{ status: 'PENDING', batched: true }]);
      await h.ok(DELETE_POST, { id }, author.token);
      const deadline = Date.now() + 45000;
      let status = 'PENDING';
      while (status === 'PENDING' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        status = (
          (
            await h.db.query(
              `SELECT d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.post_id = $1 AND d.channel = 'EMAIL'`,
              [id],
            )
          ).rows[0] as { status: string }
        ).status;
      }
      expect(status).toBe('SKIPPED');
      expect(h.smtp.to(to)).toEqual([]);
    } finally {
      clock.reset();
    }
  }, 70000);
});

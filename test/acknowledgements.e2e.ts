import { QueuesService } from '@ruche/queue';
import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

/** Announcements that must be read: who has, who has not (among those who may read), one reminder. */
let h: Harness;
let admin: Someone, owner: Someone, a: Someone, b: Someone, c: Someone, guest: Someone;
let outsider: Someone;
let groupId: string;

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id acknowledgementRequired viewerAcknowledgedAt } }`;
const ACK = `mutation($p: ID!) { acknowledgePost(postId: $p) { id viewerAcknowledgedAt } }`;
const REMIND = `mutation($p: ID!) { remindAcknowledgement(postId: $p) }`;
const LIST = `query($p: ID!, $ack: Boolean!, $first: Int, $after: String) { post(id: $p) {
  acknowledgements(acknowledged: $ack, first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }`;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  [admin, owner, a, b, c, guest, outsider] = await Promise.all([
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Olive Owner'),
    someone(h, 'MEMBER', 'ACTIVE', 'Anna A'),
    someone(h, 'MEMBER', 'ACTIVE', 'Bruno B'),
    someone(h, 'MEMBER', 'ACTIVE', 'Chloe C'),
    someone(h, 'GUEST', 'ACTIVE', 'Gus Guest'),
    someone(h, 'MEMBER', 'ACTIVE', 'Oscar Outsider'),
  ]);
  const { createGroup } = await h.ok(
    `mutation { createGroup(input: { name: "Ops", visibility: PRIVATE, joinPolicy: INVITE }) { id } }`,
    {},
    owner.token,
  );
  groupId = createGroup.id;
  for (const p of [a, b, guest]) {
    await h.ok(
      `mutation($g: ID!, $u: [ID!]!) { inviteToGroup(groupId: $g, userIds: $u) { status } }`,
      { g: groupId, u: [p.id] },
      owner.token,
    );
    await h.ok(
      `mutation($g: ID!) { respondToGroupInvitation(groupId: $g, accept: true) { status } }`,
      { g: groupId },
      p.token,
    );
  }
});
afterAll(() => h.stop());

async function settle(): Promise<void> {
  const deadline = Date.now() + 30000;
  const notify = h.api.get(QueuesService).get('notify');
  for (;;) {
    const [{ n }] = (await h.db.query(`SELECT count(*)::int AS n FROM outbox`)).rows as {
      n: number;
    }[];
    const counts = await notify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (n === 0 && Object.values(counts).every((x) => x === 0)) break;
    if (Date.now() > deadline) throw new Error('outbox or notify queue never drained');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
}

const ids = (people: Someone[]) => people.map((p) => p.id).sort();
async function listed(who: Someone, postId: string, ack: boolean): Promise<string[] | null> {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const { post } = await h.ok(LIST, { p: postId, ack, first: 1, after }, who.token);
    if (!post.acknowledgements) return null;
    out.push(...post.acknowledgements.nodes.map((n: { id: string }) => n.id));
    if (!post.acknowledgements.pageInfo.hasNextPage) return out.sort();
    after = post.acknowledgements.pageInfo.endCursor;
  }
}

describe('acknowledged announcements', () => {
  let groupPost: string;

  it('are announcements only, by those who may announce', async () => {
    const plain = await h.gql(
      CREATE_POST,
      { input: { body: 'Read me', audience: { kind: 'NETWORK' }, acknowledgementRequired: true } },
      { token: a.token },
    );
    expect([codeOf(plain), fieldOf(plain)]).toEqual(['BAD_USER_INPUT', 'acknowledgementRequired']);
    const notManager = await h.gql(
      CREATE_POST,
      {
        input: {
          body: 'Read me',
          audience: { kind: 'GROUP', groupId },
          isAnnouncement: true,
          acknowledgementRequired: true,
        },
      },
      { token: a.token },
    );
    expect(codeOf(notManager)).toBe('FORBIDDEN');
    const { createPost } = await h.ok(
      CREATE_POST,
      {
        input: {
          body: 'New safety rules: read them',
          audience: { kind: 'GROUP', groupId },
          isAnnouncement: true,
          acknowledgementRequired: true,
        },
      },
      owner.token,
    );
    expect(createPost).toMatchObject({ acknowledgementRequired: true, viewerAcknowledgedAt: null });
    groupPost = createPost.id;
  });

  it('list exactly the readers who acknowledged and who have not, among those who may read it', async () => {
    expect(await listed(owner, groupPost, true)).toEqual([]);
    expect(await listed(owner, groupPost, false)).toEqual(ids([a, b, guest]));
    await h.ok(ACK, { p: groupPost }, a.token);
    const { acknowledgePost } = await h.ok(ACK, { p: groupPost }, guest.token);
    expect(acknowledgePost.viewerAcknowledgedAt).not.toBeNull();
    // Someone who may not read it cannot acknowledge it (it does not exist for them).
    expect(codeOf(await h.gql(ACK, { p: groupPost }, { token: outsider.token }))).toBe('NOT_FOUND');
    expect(await listed(owner, groupPost, true)).toEqual(ids([a, guest]));
    expect(await listed(owner, groupPost, false)).toEqual(ids([b]));
    const { post } = await h.ok(LIST, { p: groupPost, ack: true }, owner.token);
    expect(post.acknowledgements.totalCount).toBe(2);
    // Readers who lose the right to read leave both lists.
    await h.ok(
      `mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) }`,
      { g: groupId, u: guest.id },
      owner.token,
    );
    expect(await listed(owner, groupPost, true)).toEqual(ids([a]));
    // Only the author and the place's moderators see the lists.
    expect(await listed(a, groupPost, true)).toBeNull();
    // A post that asks nothing answers null.
    const { createPost } = await h.ok(
      CREATE_POST,
      { input: { body: 'Just news', audience: { kind: 'GROUP', groupId } } },
      owner.token,
    );
    expect(await listed(owner, createPost.id, false)).toBeNull();
    const notAsked = await h.gql(ACK, { p: createPost.id }, { token: a.token });
    expect([codeOf(notAsked), fieldOf(notAsked)]).toEqual(['BAD_USER_INPUT', 'postId']);
  });

  it('lists the whole network for a NETWORK announcement, guests excluded', async () => {
    const { createPost } = await h.ok(
      CREATE_POST,
      {
        input: {
          body: 'Company-wide: the new charter',
          audience: { kind: 'NETWORK' },
          isAnnouncement: true,
          acknowledgementRequired: true,
        },
      },
      admin.token,
    );
    await h.ok(ACK, { p: createPost.id }, c.token);
    expect(await listed(admin, createPost.id, true)).toEqual(ids([c]));
    expect(await listed(admin, createPost.id, false)).toEqual(ids([owner, a, b, outsider]));
  });

  it('reminds once, by its author only, those who have not, respecting quiet hours', async () => {
    expect(codeOf(await h.gql(REMIND, { p: groupPost }, { token: a.token }))).toBe('FORBIDDEN');
    // The network is in quiet hours all day, every day: in the app now, the email at the window's end.
    await h.ok(
      `mutation { updateNetworkSettings(input: { quietHours: { start: "00:00", end: "23:59", days: [1,2,3,4,5,6,7], timezone: "UTC" } }) { name } }`,
      {},
      admin.token,
    );
    expect((await h.ok(REMIND, { p: groupPost }, owner.token)).remindAcknowledgement).toBe(1);
    const twice = await h.gql(REMIND, { p: groupPost }, { token: owner.token });
    expect(codeOf(twice)).toBe('CONFLICT');
    await settle();
    const rows = (
      await h.db.query(
        `SELECT n.recipient_id, d.channel, d.status, d.due_at > now() AS later
           FROM notifications n LEFT JOIN notification_deliveries d ON d.notification_id = n.id
          WHERE n.type = 'ACKNOWLEDGEMENT_REQUESTED' AND n.post_id = $1`,
        [groupPost],
      )
    ).rows;
    expect(rows).toEqual([
      { recipient_id: b.id, channel: 'EMAIL', status: 'PENDING', later: true },
    ]);
    const { notifications } = await h.ok(
      `{ notifications { nodes { type post { id } } } }`,
      {},
      b.token,
    );
    expect(notifications.nodes).toContainEqual({
      type: 'ACKNOWLEDGEMENT_REQUESTED',
      post: { id: groupPost },
    });
  });
});

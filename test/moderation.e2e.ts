import { QueuesService } from '@ruche/queue';
import { Harness, codeOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

/** Reports, the moderators' queue, decisions, and hidden content on every read path. */
let h: Harness;
let admin: Someone,
  owner: Someone,
  modr: Someone,
  author: Someone,
  reporter: Someone,
  member: Someone,
  outsider: Someone,
  otherMod: Someone;
let groupId: string, otherGroupId: string;

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!, $r: GroupRole) { inviteToGroup(groupId: $g, userIds: $u, role: $r) { status } }`;
const RESPOND = `mutation($g: ID!) { respondToGroupInvitation(groupId: $g, accept: true) { status } }`;
const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const COMMENT = `mutation($p: ID!, $b: String!) { addComment(postId: $p, body: $b) { id } }`;
const REPORT = `mutation($s: ID!, $r: ReportReason!, $n: String) { report(subjectId: $s, reason: $r, note: $n) { id status reason note reporter { id } subject { __typename ... on Post { id } ... on Comment { id } } } }`;
const QUEUE = `query($status: ReportStatus, $g: ID) { reports(status: $status, groupId: $g) { nodes { id status reason note reporter { id } subject { __typename ... on Post { id hidden } ... on Comment { id } } } } }`;
const DECIDE = `mutation($id: ID!, $d: ReportDecision!, $n: String, $s: Int) { decideReport(id: $id, decision: $d, note: $n, suspendAuthorDays: $s) { id status decisionNote decidedAt } }`;
const POST = `query($id: ID!) { post(id: $id) { id hidden hiddenReason comments { totalCount nodes { id hidden } } } }`;
const NOTES = `{ notifications(first: 50) { nodes { type group { id } post { id } report { id status decisionNote subject { __typename } reporter { id } } } } }`;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  [admin, owner, modr, author, reporter, member, outsider, otherMod] = await Promise.all([
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Olive Owner'),
    someone(h, 'MEMBER', 'ACTIVE', 'Max Moderator'),
    someone(h, 'MEMBER', 'ACTIVE', 'Arthur Author'),
    someone(h, 'MEMBER', 'ACTIVE', 'Rita Reporter'),
    someone(h, 'MEMBER', 'ACTIVE', 'Mona Member'),
    someone(h, 'MEMBER', 'ACTIVE', 'Oscar Outsider'),
    someone(h, 'MEMBER', 'ACTIVE', 'Otto Othermod'),
  ]);
  const make = async (by: Someone, name: string, people: [Someone, string?][]) => {
    const { createGroup } = await h.ok(
      CREATE_GROUP,
      { input: { name, visibility: 'PRIVATE', joinPolicy: 'INVITE' } },
      by.token,
    );
    for (const [p, role] of people) {
      await h.ok(INVITE, { g: createGroup.id, u: [p.id], r: role }, by.token);
      await h.ok(RESPOND, { g: createGroup.id }, p.token);
    }
    return createGroup.id as string;
  };
  groupId = await make(owner, 'Finance', [[modr, 'MODERATOR'], [author], [reporter], [member]]);
  otherGroupId = await make(otherMod, 'Elsewhere', [[author]]);
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
    if (n === 0 && Object.values(counts).every((c) => c === 0)) break;
    if (Date.now() > deadline) throw new Error('outbox or notify queue never drained');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
}

const post = async (by: Someone, input: Record<string, unknown>) =>
  (await h.ok(CREATE_POST, { input }, by.token)).createPost.id as string;

/** Every list and search a post can be read from, for one viewer: the places it was found. */
async function foundIn(who: Someone, postId: string, word: string): Promise<string[]> {
  const {
    post: single,
    group,
    company,
    tag,
    search,
    home,
    wall,
  } = await h.ok(
    `query($id: ID!, $g: ID!, $w: String!, $t: String!, $a: ID!) {
      post(id: $id) { id }
      group(id: $g) { feed(first: 100) { nodes { id } } }
      company: companyFeed(first: 100) { nodes { id } }
      tag: postsByHashtag(tag: $t, first: 100) { nodes { id } }
      search(query: $w, kinds: [POST], first: 50) { nodes { ... on Post { id } } }
      home: homeFeed(first: 100) { nodes { post { id } } }
      wall: user(id: $a) { wall(first: 100) { nodes { id } } }
    }`,
    { id: postId, g: groupId, w: word, t: word, a: author.id },
    who.token,
  );
  const has = (ids: (string | undefined)[]) => ids.includes(postId);
  const places: string[] = [];
  if (single) places.push('post');
  if (has(group?.feed.nodes.map((n: { id: string }) => n.id) ?? [])) places.push('group feed');
  if (has(company.nodes.map((n: { id: string }) => n.id))) places.push('company feed');
  if (has(tag.nodes.map((n: { id: string }) => n.id))) places.push('hashtag');
  if (has(search.nodes.map((n: { id?: string }) => n.id))) places.push('search');
  if (has(home.nodes.map((n: { post: { id: string } | null }) => n.post?.id))) places.push('home');
  if (has(wall?.wall.nodes.map((n: { id: string }) => n.id) ?? [])) places.push('wall');
  return places;
}

describe('moderation', () => {
  let groupPost: string, reportId: string, commentId: string;

  it('takes a report from a member who reads the content, never from one who does not', async () => {
    groupPost = await post(author, {
      body: 'The quarterly #budget leaked here',
      audience: { kind: 'GROUP', groupId },
    });
    commentId = (await h.ok(COMMENT, { p: groupPost, b: 'spam spam spam' }, member.token))
      .addComment.id;
    const hidden = await h.gql(REPORT, { s: groupPost, r: 'SPAM' }, { token: outsider.token });
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    const own = await h.gql(REPORT, { s: groupPost, r: 'SPAM' }, { token: author.token });
    expect(codeOf(own)).toBe('BAD_USER_INPUT');
    const { report } = await h.ok(
      REPORT,
      { s: groupPost, r: 'CONFIDENTIAL', n: 'Figures not public yet' },
      reporter.token,
    );
    expect(report).toMatchObject({ status: 'OPEN', reason: 'CONFIDENTIAL', reporter: null });
    reportId = report.id;
    // Twice is the same report.
    expect((await h.ok(REPORT, { s: groupPost, r: 'SPAM' }, reporter.token)).report.id).toBe(
      reportId,
    );
    const onComment = await h.ok(REPORT, { s: commentId, r: 'SPAM' }, reporter.token);
    expect(onComment.report.subject).toEqual({ __typename: 'Comment', id: commentId });
  });

  it("reaches the group's moderators and the admins, nobody else, and each sees only what they may read", async () => {
    const queue = async (who: Someone) =>
      (await h.ok(QUEUE, { status: 'OPEN' }, who.token)).reports.nodes as {
        id: string;
        reporter: { id: string } | null;
        subject: { id: string } | null;
      }[];
    for (const who of [owner, modr]) {
      const mine = (await queue(who)).find((r) => r.id === reportId);
      expect(mine).toMatchObject({ reporter: { id: reporter.id }, subject: { id: groupPost } });
    }
    // The admin moderates every place but reads a PRIVATE group's post only as a member would.
    const adminView = (await queue(admin)).find((r) => r.id === reportId);
    expect(adminView).toMatchObject({ reporter: { id: reporter.id }, subject: null });
    for (const who of [member, author, reporter, outsider, otherMod])
      expect((await queue(who)).map((r) => r.id)).not.toContain(reportId);
    // By group, too.
    expect(
      (await h.ok(QUEUE, { g: otherGroupId }, otherMod.token)).reports.nodes.map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual([]);
    // Notified: the moderators and the admin (REPORT_FILED), not the others.
    await settle();
    const filed = (
      await h.db.query(
        `SELECT recipient_id FROM notifications WHERE type = 'REPORT_FILED' AND report_id = $1`,
        [reportId],
      )
    ).rows.map((r: { recipient_id: string }) => r.recipient_id);
    expect(filed.sort()).toEqual([admin.id, owner.id, modr.id].sort());
    // Someone who does not moderate cannot decide, nor see the report to decide on.
    expect(codeOf(await h.gql(DECIDE, { id: reportId, d: 'HIDE' }, { token: member.token }))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(await h.gql(DECIDE, { id: reportId, d: 'HIDE' }, { token: reporter.token })),
    ).toBe('FORBIDDEN');
  });

  it('hides: the post leaves every list and search for everyone but its author and the moderators', async () => {
    const before = await foundIn(member, groupPost, 'budget');
    expect(before).toEqual(
      expect.arrayContaining(['post', 'group feed', 'hashtag', 'search', 'home']),
    );
    const refused = await h.gql(DECIDE, { id: reportId, d: 'HIDE', s: 3 }, { token: modr.token });
    expect(codeOf(refused)).toBe('FORBIDDEN'); // suspending is for network admins
    const { decideReport } = await h.ok(
      DECIDE,
      { id: reportId, d: 'HIDE', n: 'Confidential figures' },
      modr.token,
    );
    expect(decideReport).toMatchObject({ status: 'HIDDEN', decisionNote: 'Confidential figures' });

    for (const who of [member, reporter, outsider, admin])
      expect([who.id, await foundIn(who, groupPost, 'budget')]).toEqual([who.id, []]);
    // Its author still reads it everywhere, with the reason.
    expect(await foundIn(author, groupPost, 'budget')).toEqual(
      expect.arrayContaining(['post', 'group feed', 'hashtag', 'search', 'home']),
    );
    const seen = (await h.ok(POST, { id: groupPost }, author.token)).post;
    expect(seen).toMatchObject({ hidden: true, hiddenReason: 'Confidential figures' });
    // The moderators of its place read it too (marked hidden).
    for (const who of [modr, owner])
      expect((await h.ok(POST, { id: groupPost }, who.token)).post.hidden).toBe(true);
    // Its comments go with it: the comment reads as its post.
    expect(
      (await h.ok(`query($id: ID!) { c: post(id: $id) { id } }`, { id: groupPost }, member.token))
        .c,
    ).toBeNull();
    // The attachment route follows the same predicate (an unknown file and a hidden post's file look alike).
  });

  it('tells the reporter the outcome, in the app and by email, without showing the hidden post', async () => {
    await settle();
    const notes = (await h.ok(NOTES, {}, reporter.token)).notifications.nodes as {
      type: string;
      post: unknown;
      report: {
        id: string;
        status: string;
        decisionNote: string;
        subject: unknown;
        reporter: unknown;
      } | null;
    }[];
    const decided = notes.find((n) => n.type === 'REPORT_DECIDED' && n.report?.id === reportId);
    expect(decided).toMatchObject({
      post: null,
      report: {
        status: 'HIDDEN',
        decisionNote: 'Confidential figures',
        subject: null,
        reporter: null,
      },
    });
    const email = (await h.db.query(`SELECT email FROM users WHERE id = $1`, [reporter.id])).rows[0]
      .email as string;
    const mail = await h.smtp.waitFor(email, (m) => /moderator/i.test(m.subject ?? ''), 20000);
    expect(mail.text).not.toContain('budget');
    // Recorded: who, what, when, why.
    const decisions = (
      await h.db.query(
        `SELECT moderator_id, decision, subject_type, subject_id, note FROM moderation_decisions WHERE report_id = $1`,
        [reportId],
      )
    ).rows;
    expect(decisions).toEqual([
      {
        moderator_id: modr.id,
        decision: 'HIDE',
        subject_type: 'POST',
        subject_id: groupPost,
        note: 'Confidential figures',
      },
    ]);
  });

  it('restores a hidden post for its readers', async () => {
    await h.ok(DECIDE, { id: reportId, d: 'RESTORE' }, owner.token);
    expect(await foundIn(member, groupPost, 'budget')).toEqual(
      expect.arrayContaining(['post', 'group feed', 'hashtag', 'search']),
    );
    const again = await h.gql(DECIDE, { id: reportId, d: 'RESTORE' }, { token: owner.token });
    expect(codeOf(again)).toBe('CONFLICT');
  });

  it('hides a comment for all but its author and the moderators', async () => {
    const [report] = (await h.ok(QUEUE, { status: 'OPEN' }, modr.token)).reports.nodes.filter(
      (r: { subject: { id: string } | null }) => r.subject?.id === commentId,
    );
    await h.ok(DECIDE, { id: report.id, d: 'HIDE', n: 'Spam' }, modr.token);
    const comments = async (who: Someone) =>
      (await h.ok(POST, { id: groupPost }, who.token)).post.comments.nodes.map(
        (c: { id: string }) => c.id,
      );
    expect(await comments(reporter)).toEqual([]);
    expect(await comments(author)).toEqual([]);
    expect(await comments(member)).toEqual([commentId]); // its author
    expect(await comments(modr)).toEqual([commentId]);
  });

  it('removes: read by no one, its author included; an admin may suspend the author', async () => {
    const network = await post(author, {
      body: 'Buy cheap #watches now',
      audience: { kind: 'NETWORK' },
    });
    const { report } = await h.ok(REPORT, { s: network, r: 'SPAM' }, member.token);
    // A NETWORK post is moderated by the network admins only.
    expect(codeOf(await h.gql(DECIDE, { id: report.id, d: 'REMOVE' }, { token: modr.token }))).toBe(
      'NOT_FOUND',
    );
    await h.ok(DECIDE, { id: report.id, d: 'HIDE', n: 'Spam' }, admin.token);
    // Hidden NETWORK post: the admins (its moderators) read it, members do not.
    expect((await h.ok(POST, { id: network }, admin.token)).post.hidden).toBe(true);
    expect((await h.ok(POST, { id: network }, outsider.token)).post).toBeNull();
    const { decideReport } = await h.ok(
      DECIDE,
      { id: report.id, d: 'REMOVE', n: 'Spam, again' },
      admin.token,
    );
    expect(decideReport.status).toBe('REMOVED');
    for (const who of [admin, author, member, outsider])
      expect((await h.ok(POST, { id: network }, who.token)).post).toBeNull();
    const again = await h.gql(DECIDE, { id: report.id, d: 'HIDE' }, { token: admin.token });
    expect(codeOf(again)).toBe('CONFLICT');
    // Another one, and the author suspended with it.
    const more = await post(author, { body: 'More #watches', audience: { kind: 'NETWORK' } });
    const second = (await h.ok(REPORT, { s: more, r: 'SPAM' }, member.token)).report.id;
    await h.ok(DECIDE, { id: second, d: 'REMOVE', s: 7 }, admin.token);
    // Suspended: the author's next request is refused.
    expect(codeOf(await h.gql(`{ viewer { id } }`, {}, { token: author.token }))).toBe(
      'UNAUTHENTICATED',
    );
    await settle();
    const notes = (await h.ok(NOTES, {}, member.token)).notifications.nodes as {
      type: string;
      report: { id: string; status: string } | null;
    }[];
    expect(
      notes.find((n) => n.report?.id === report.id && n.type === 'REPORT_DECIDED')?.report?.status,
    ).toBe('REMOVED');
    // The queue still lists the removed report (its subject gone for everyone).
    const removed = (await h.ok(QUEUE, { status: 'REMOVED' }, admin.token)).reports.nodes;
    expect(removed).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: report.id, subject: null })]),
    );
    expect(removed).toHaveLength(2);
  });
});

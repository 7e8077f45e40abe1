import { createClient } from 'graphql-ws';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { NotifyService } from '@ruche/notify';
import { Clock } from '@ruche/notifications';
import { QueuesService } from '@ruche/queue';
import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { until } from './support/workers.js';

let h: Harness;
let owner: Someone,
  alice: Someone,
  bob: Someone,
  carol: Someone,
  dave: Someone,
  guest: Someone,
  outsider: Someone,
  zoe: Someone;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  [owner, alice, bob, carol, dave, guest, outsider, zoe] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Olive Owner'),
    someone(h, 'MEMBER', 'ACTIVE', 'Alice Martin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Bob Durand'),
    someone(h, 'MEMBER', 'ACTIVE', 'Carol Petit'),
    someone(h, 'MEMBER', 'ACTIVE', 'Dave Moreau'),
    someone(h, 'GUEST', 'ACTIVE', 'Gus Guest'),
    someone(h, 'MEMBER', 'ACTIVE', 'Oscar Outsider'),
    someone(h, 'MEMBER', 'ACTIVE', 'Zoé Lefèvre'),
  ]);
  await h.db.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [zoe.id]);
});
afterAll(() => h.stop());

const LIST = `query($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    unreadCount pageInfo { hasNextPage endCursor }
    nodes { id type readAt createdAt actor { id } group { id name } } } }`;
const FOLLOW = `mutation($u: ID!) { follow(userId: $u) { id } }`;
const UNFOLLOW = `mutation($u: ID!) { unfollow(userId: $u) { id } }`;
const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;
const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id name } }`;
const INVITE = `mutation($g: ID!, $u: [ID!]!, $r: GroupRole) { inviteToGroup(groupId: $g, userIds: $u, role: $r) { status } }`;
const RESPOND = `mutation($g: ID!, $a: Boolean!) { respondToGroupInvitation(groupId: $g, accept: $a) { status } }`;
const JOIN = `mutation($g: ID!) { joinGroup(groupId: $g) { status } }`;
const APPROVE = `mutation($g: ID!, $u: ID!) { approveMembership(groupId: $g, userId: $u) { status } }`;
const REMOVE = `mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) }`;
const PREFS = `settings { type channels } emailDigest quietHours { start end days timezone }`;
const GET_PREFS = `{ notificationPreferences { ${PREFS} } }`;
const SET_PREFS = `mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { ${PREFS} } }`;

interface Note {
  id: string;
  type: string;
  readAt: string | null;
  actor: { id: string } | null;
  group: { id: string; name: string } | null;
}
interface Listing {
  unreadCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Note[];
}

const list = async (who: Someone, vars: Record<string, unknown> = {}): Promise<Listing> =>
  (await h.ok<{ notifications: Listing }>(LIST, vars, who.token)).notifications;

/** Waits until `who`'s notifications satisfy `until` (the worker is asynchronous). */
async function waitList(
  who: Someone,
  until: (l: Listing) => boolean,
  ms = 10000,
): Promise<Listing> {
  const deadline = Date.now() + ms;
  for (;;) {
    const l = await list(who);
    if (until(l)) return l;
    if (Date.now() > deadline) throw new Error(`notifications never matched: ${JSON.stringify(l)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Lets the outbox relay and the worker finish what is in flight. */
async function settle(): Promise<void> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const [{ n }] = (await h.db.query(`SELECT count(*)::int AS n FROM outbox`)).rows as {
      n: number;
    }[];
    if (n === 0) break;
    if (Date.now() > deadline) throw new Error('outbox never drained');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 600));
}

let groupCount = 0;
async function group(
  visibility: string,
  joinPolicy: string,
  by: Someone = owner,
): Promise<{ id: string; name: string }> {
  const { createGroup } = await h.ok(
    CREATE,
    { input: { name: `Team ${visibility} ${++groupCount}`, visibility, joinPolicy } },
    by.token,
  );
  return createGroup as { id: string; name: string };
}

async function add(g: string, who: Someone, role?: string): Promise<void> {
  await h.ok(INVITE, { g, u: [who.id], r: role }, owner.token);
  await h.ok(RESPOND, { g, a: true }, who.token);
}

const emailOf = async (who: Someone): Promise<string> =>
  (
    (await h.db.query('SELECT email FROM users WHERE id = $1', [who.id])).rows[0] as {
      email: string;
    }
  ).email;

describe('in-app notifications', () => {
  it('notifies the person followed, never the actor, and collapses repeats while unread', async () => {
    await h.ok(FOLLOW, { u: alice.id }, bob.token);
    const first = await waitList(alice, (l) => l.nodes.some((n) => n.type === 'FOLLOW'));
    expect(first.nodes).toEqual([
      expect.objectContaining({ type: 'FOLLOW', readAt: null, actor: { id: bob.id }, group: null }),
    ]);
    expect(first.unreadCount).toBe(1);

    // Carol follows too: the unread FOLLOW row takes the new actor instead of a second row.
    await h.ok(FOLLOW, { u: alice.id }, carol.token);
    const collapsed = await waitList(alice, (l) => l.nodes[0]?.actor?.id === carol.id);
    expect(collapsed.nodes).toHaveLength(1);
    expect(collapsed.nodes[0].id).toBe(first.nodes[0].id);
    expect(collapsed.unreadCount).toBe(1);

    // Following again someone already followed notifies no one.
    await h.ok(FOLLOW, { u: alice.id }, carol.token);
    await settle();
    expect((await list(alice)).nodes).toHaveLength(1);
    // The actors got nothing.
    expect((await list(bob)).nodes).toEqual([]);
    expect((await list(carol)).nodes).toEqual([]);
  });

  it('reads, counts and marks: unreadOnly, unreadCount, markNotificationsRead(ids) and (null)', async () => {
    const before = await list(alice);
    expect(await h.ok(MARK, { ids: [before.nodes[0].id] }, alice.token)).toEqual({
      markNotificationsRead: 1,
    });
    // Marking again changes nothing; someone else's ids change nothing.
    expect(await h.ok(MARK, { ids: [before.nodes[0].id] }, alice.token)).toEqual({
      markNotificationsRead: 0,
    });
    expect(await h.ok(MARK, { ids: [before.nodes[0].id] }, bob.token)).toEqual({
      markNotificationsRead: 0,
    });
    const read = await list(alice);
    expect(read.unreadCount).toBe(0);
    expect(read.nodes[0].readAt).not.toBeNull();
    expect((await list(alice, { unreadOnly: true })).nodes).toEqual([]);

    // Once read, a new follow makes a new row.
    await h.ok(UNFOLLOW, { u: alice.id }, bob.token);
    await h.ok(FOLLOW, { u: alice.id }, bob.token);
    // One at a time: two unread follows share a row, whose actor is the last one the worker wrote.
    await waitList(alice, (l) => l.unreadCount === 1 && l.nodes[0]?.actor?.id === bob.id);
    await h.ok(FOLLOW, { u: alice.id }, dave.token);
    const fresh = await waitList(
      alice,
      (l) => l.unreadCount === 1 && l.nodes[0]?.actor?.id === dave.id,
    );
    expect(fresh.nodes).toHaveLength(2);
    expect((await list(alice, { unreadOnly: true })).nodes.map((n) => n.actor?.id)).toEqual([
      dave.id,
    ]);

    // Paging: one at a time, newest first.
    const page1 = await list(alice, { first: 1 });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await list(alice, { first: 1, after: page1.pageInfo.endCursor });
    expect([page1.nodes[0].id, page2.nodes[0].id]).toEqual(fresh.nodes.map((n) => n.id));
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const bad = await h.gql(LIST, { after: 'nope' }, { token: alice.token });
    expect([codeOf(bad), fieldOf(bad)]).toEqual(['BAD_USER_INPUT', 'after']);

    expect(await h.ok(MARK, { ids: null }, alice.token)).toEqual({ markNotificationsRead: 1 });
    expect((await list(alice)).unreadCount).toBe(0);
  });

  it('invitations reach the invitee only', async () => {
    const g = await group('SECRET', 'INVITE');
    await h.ok(INVITE, { g: g.id, u: [carol.id] }, owner.token);
    const l = await waitList(carol, (x) => x.nodes.some((n) => n.type === 'GROUP_INVITATION'));
    expect(l.nodes.find((n) => n.type === 'GROUP_INVITATION')).toEqual(
      expect.objectContaining({ actor: { id: owner.id }, group: { id: g.id, name: g.name } }),
    );
    expect((await list(owner)).nodes.filter((n) => n.group?.id === g.id)).toEqual([]);
  });

  it('join requests reach the approvers (ACTIVE holders of APPROVE_MEMBERS), approvals the requester', async () => {
    const g = await group('PUBLIC', 'REQUEST');
    await add(g.id, carol, 'MODERATOR');
    await add(g.id, dave, 'MEMBER');
    await h.ok(JOIN, { g: g.id }, bob.token);
    const ownerList = await waitList(owner, (x) =>
      x.nodes.some((n) => n.type === 'GROUP_JOIN_REQUEST' && n.group?.id === g.id),
    );
    expect(ownerList.nodes.find((n) => n.type === 'GROUP_JOIN_REQUEST')?.actor).toEqual({
      id: bob.id,
    });
    await waitList(carol, (x) =>
      x.nodes.some((n) => n.type === 'GROUP_JOIN_REQUEST' && n.group?.id === g.id),
    );
    await settle();
    expect((await list(dave)).nodes.filter((n) => n.type === 'GROUP_JOIN_REQUEST')).toEqual([]);
    expect((await list(bob)).nodes.filter((n) => n.group?.id === g.id)).toEqual([]);

    // A second request on the same group collapses into the approver's unread row.
    await h.ok(JOIN, { g: g.id }, outsider.token);
    const again = await waitList(owner, (x) =>
      x.nodes.some((n) => n.type === 'GROUP_JOIN_REQUEST' && n.actor?.id === outsider.id),
    );
    expect(
      again.nodes.filter((n) => n.type === 'GROUP_JOIN_REQUEST' && n.group?.id === g.id),
    ).toHaveLength(1);

    await h.ok(APPROVE, { g: g.id, u: bob.id }, carol.token);
    const bobs = await waitList(bob, (x) => x.nodes.some((n) => n.type === 'GROUP_JOIN_APPROVED'));
    expect(bobs.nodes.find((n) => n.type === 'GROUP_JOIN_APPROVED')).toEqual(
      expect.objectContaining({ actor: { id: carol.id }, group: { id: g.id, name: g.name } }),
    );
  });

  it('re-checks access in the worker: nothing about a SECRET group reaches who cannot see it, nor a hidden actor', async () => {
    const g = await group('SECRET', 'INVITE');
    await add(g.id, dave);
    // Emitted as a content branch would, to people of whom only dave may see the group.
    const notify = h.api.get(NotifyService);
    await h.api.get(DataSource).transaction((m) =>
      notify.emit(m, {
        type: 'GROUP_INVITATION',
        actorId: owner.id,
        groupId: g.id,
        recipientIds: [outsider.id, dave.id, guest.id],
      }),
    );
    // The guest shares no group with bob: bob is no one to them, so a follow from bob does not reach them.
    await h.api
      .get(DataSource)
      .transaction((m) =>
        notify.emit(m, { type: 'FOLLOW', actorId: bob.id, recipientIds: [guest.id] }),
      );
    await waitList(dave, (x) =>
      x.nodes.some((n) => n.group?.id === g.id && n.type === 'GROUP_INVITATION'),
    );
    await settle();
    const rows = (
      await h.db.query('SELECT recipient_id FROM notifications WHERE group_id = $1', [g.id])
    ).rows as { recipient_id: string }[];
    expect(rows.map((r) => r.recipient_id)).toEqual([dave.id]);
    expect((await list(outsider)).nodes.filter((n) => n.group?.id === g.id)).toEqual([]);
    expect((await list(guest)).nodes).toEqual([]);

    // Removed from the SECRET group, dave no longer sees the notification about it.
    await h.ok(REMOVE, { g: g.id, u: dave.id }, owner.token);
    expect((await list(dave)).nodes.filter((n) => n.group?.id === g.id)).toEqual([]);
  });

  it('notificationAdded arrives over graphql-ws, for the recipient only', async () => {
    const connect = (who: Someone) =>
      createClient({
        url: `${h.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${who.token}` },
        retryAttempts: 0,
      });
    const zoeClient = connect(zoe);
    const bobClient = connect(bob);
    const received: { zoe: unknown[]; bob: unknown[] } = { zoe: [], bob: [] };
    const query = 'subscription { notificationAdded { id type actor { id } group { id } } }';
    let ready!: () => void;
    const got = new Promise<void>((resolve) => (ready = resolve));
    const stopZoe = zoeClient.subscribe(
      { query },
      {
        next: (r) => (received.zoe.push(r), ready()),
        error: (e) => received.zoe.push(e),
        complete: () => undefined,
      },
    );
    const stopBob = bobClient.subscribe(
      { query },
      { next: (r) => received.bob.push(r), error: () => undefined, complete: () => undefined },
    );
    try {
      // Subscriptions are set up asynchronously: give them a moment before the event.
      await new Promise((r) => setTimeout(r, 500));
      await h.ok(FOLLOW, { u: zoe.id }, outsider.token);
      await Promise.race([
        got,
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`no notificationAdded ${JSON.stringify(received)}`)),
            10000,
          ),
        ),
      ]);
      expect(received.zoe).toEqual([
        {
          data: {
            notificationAdded: {
              id: expect.any(String),
              type: 'FOLLOW',
              actor: { id: outsider.id },
              group: null,
            },
          },
        },
      ]);
      expect(received.bob).toEqual([]);
    } finally {
      stopZoe();
      stopBob();
      await zoeClient.dispose();
      await bobClient.dispose();
    }
  });

  it('refuses the signed-out', async () => {
    const r = await h.gql(LIST);
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
  });
});

describe('preferences', () => {
  it('shows the documented defaults and keeps changes, refusing contradictions', async () => {
    const { notificationPreferences: p } = await h.ok(GET_PREFS, {}, bob.token);
    expect(p.emailDigest).toBe('OFF');
    expect(p.quietHours).toBeNull();
    expect(p.settings).toHaveLength(15);
    expect(p.settings).toContainEqual({ type: 'REPORT_DECIDED', channels: ['IN_APP', 'EMAIL'] });
    expect(p.settings).toContainEqual({ type: 'FOLLOW', channels: ['IN_APP'] });
    expect(p.settings).toContainEqual({ type: 'MESSAGE', channels: ['IN_APP', 'EMAIL', 'PUSH'] });
    expect(p.settings).toContainEqual({
      type: 'GROUP_INVITATION',
      channels: ['IN_APP', 'EMAIL', 'PUSH'],
    });

    const quiet = { start: '22:00', end: '07:00', days: [5, 1, 2], timezone: 'Europe/Paris' };
    const { updateNotificationPreferences: u } = await h.ok(
      SET_PREFS,
      {
        input: {
          settings: [{ type: 'FOLLOW', channels: ['IN_APP', 'EMAIL'] }],
          emailDigest: 'DAILY',
          quietHours: quiet,
        },
      },
      bob.token,
    );
    expect(u.settings).toContainEqual({ type: 'FOLLOW', channels: ['IN_APP', 'EMAIL'] });
    expect(u.emailDigest).toBe('DAILY');
    expect(u.quietHours).toEqual({ ...quiet, days: [1, 2, 5] });
    const cleared = await h.ok(
      SET_PREFS,
      { input: { clearQuietHours: true, emailDigest: 'OFF' } },
      bob.token,
    );
    expect(cleared.updateNotificationPreferences.quietHours).toBeNull();

    const both = await h.gql(
      SET_PREFS,
      { input: { quietHours: quiet, clearQuietHours: true } },
      { token: bob.token },
    );
    expect([codeOf(both), fieldOf(both)]).toEqual(['BAD_USER_INPUT', 'clearQuietHours']);
    const badZone = await h.gql(
      SET_PREFS,
      { input: { quietHours: { ...quiet, timezone: 'Mars/Olympus' } } },
      { token: bob.token },
    );
    expect(codeOf(badZone)).toBe('BAD_USER_INPUT');
  });
});

describe('emails', () => {
  it('sends the email in the recipient language, with a link and a one-click unsubscribe that works', async () => {
    const to = await emailOf(zoe);
    const g = await group('PRIVATE', 'INVITE');
    await h.ok(INVITE, { g: g.id, u: [zoe.id] }, owner.token);
    const mail = await h.smtp.waitFor(to, (m) => (m.subject ?? '').includes(g.name));
    expect(mail.subject).toBe(`Olive Owner vous invite à rejoindre ${g.name}`);
    expect(mail.text).toContain(`http://ruche.test/groups/${g.id}`);
    expect(mail.html).toContain('Ne plus recevoir ces e-mails');
    const headers = Object.fromEntries(
      mail.headerLines.map((l) => [l.key, l.line.slice(l.key.length + 1).trim()]),
    );
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const url = /^<(http:\/\/ruche\.test\/api\/unsubscribe\?token=[\w.-]+)>$/.exec(
      headers['list-unsubscribe'],
    )?.[1];
    expect(url).toBeDefined();

    // The mail client posts to the link: the API answers on its own address.
    const res = await fetch(url!.replace('http://ruche.test', h.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const { notificationPreferences: p } = await h.ok(GET_PREFS, {}, zoe.token);
    expect(p.settings).toContainEqual({ type: 'GROUP_INVITATION', channels: ['IN_APP', 'PUSH'] });
    // A forged token does nothing.
    const forged = await fetch(
      `${h.url}/api/unsubscribe?token=${url!.split('token=')[1].replace(/.$/, 'x')}`,
      { method: 'POST' },
    );
    expect(forged.status).toBe(400);

    // The next invitation lands in the app, not in the mailbox.
    const g2 = await group('PRIVATE', 'INVITE');
    await h.ok(INVITE, { g: g2.id, u: [zoe.id] }, owner.token);
    await waitList(zoe, (l) => l.nodes.some((n) => n.group?.id === g2.id));
    await settle();
    expect(h.smtp.to(to).filter((m) => (m.subject ?? '').includes(g2.name))).toEqual([]);
  });

  it('holds emails during quiet hours and sends them as one summary when the window ends', async () => {
    const dave = await someone(h, 'MEMBER', 'ACTIVE', 'Dora Nuit');
    const to = await emailOf(dave);
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
      dave.token,
    );
    const clock = h.worker!.get(Clock);
    // 06:59:40 in Paris (CET): the window ends in twenty seconds, room enough on a slow machine.
    clock.set(new Date('2026-01-15T05:59:40Z'));
    try {
      const g1 = await group('PRIVATE', 'INVITE');
      const g2 = await group('PRIVATE', 'INVITE');
      await h.ok(INVITE, { g: g1.id, u: [dave.id] }, owner.token);
      await h.ok(INVITE, { g: g2.id, u: [dave.id] }, owner.token);
      await waitList(
        dave,
        (l) => l.nodes.filter((n) => n.group?.id === g1.id || n.group?.id === g2.id).length === 2,
      );
      const before = h.smtp.to(to).length;
      const summary = await h.smtp.waitFor(
        to,
        (m) => (m.subject ?? '').startsWith('2 new notifications'),
        45000,
      );
      expect(summary.text).toContain(`invites you to join ${g1.name}`);
      expect(summary.text).toContain(`invites you to join ${g2.name}`);
      // Nothing left before the summary, and it came alone.
      expect(before).toBe(0);
      await new Promise((r) => setTimeout(r, 1000));
      expect(h.smtp.to(to)).toHaveLength(1);
    } finally {
      clock.reset();
    }
  }, 70000);

  it('gathers events into one digest at the chosen pace instead of one email each', async () => {
    const who = await someone(h, 'MEMBER', 'ACTIVE', 'Hugo Digest');
    const to = await emailOf(who);
    await h.ok(SET_PREFS, { input: { emailDigest: 'HOURLY' } }, who.token);
    const clock = h.worker!.get(Clock);
    // Twenty seconds before the top of the hour: the hourly digest leaves at 11:00.
    clock.set(new Date('2026-01-15T10:59:40Z'));
    try {
      const groups = [
        await group('PRIVATE', 'INVITE'),
        await group('PRIVATE', 'INVITE'),
        await group('PRIVATE', 'INVITE'),
      ];
      for (const g of groups) await h.ok(INVITE, { g: g.id, u: [who.id] }, owner.token);
      await waitList(who, (l) => l.nodes.length === 3);
      expect(h.smtp.to(to)).toEqual([]);
      const digest = await h.smtp.waitFor(to, () => true, 45000);
      expect(digest.subject).toMatch(/^3 new notifications/);
      for (const g of groups) expect(digest.text).toContain(g.name);
      await new Promise((r) => setTimeout(r, 1000));
      expect(h.smtp.to(to)).toHaveLength(1);
    } finally {
      clock.reset();
    }
  }, 70000);

  it('retries while the SMTP server answers 451, then delivers exactly once', async () => {
    const to = await emailOf(outsider);
    h.smtp.outage = true;
    const g = await group('PRIVATE', 'INVITE');
    try {
      await h.ok(INVITE, { g: g.id, u: [outsider.id] }, owner.token);
      const deadline = Date.now() + 10000;
      let attempts = 0;
      while (Date.now() < deadline && attempts < 2) {
        const rows = (
          await h.db.query(
            `SELECT d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.group_id = $1 AND d.channel = 'EMAIL'`,
            [g.id],
          )
        ).rows as { attempts: number }[];
        attempts = rows[0]?.attempts ?? 0;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(attempts).toBeGreaterThanOrEqual(2);
    } finally {
      h.smtp.outage = false;
    }
    await h.smtp.waitFor(to, (m) => (m.subject ?? '').includes(g.name), 20000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.smtp.to(to).filter((m) => (m.subject ?? '').includes(g.name))).toHaveLength(1);
    const [row] = (
      await h.db.query(
        `SELECT d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.group_id = $1 AND d.channel = 'EMAIL'`,
        [g.id],
      )
    ).rows as { status: string }[];
    expect(row.status).toBe('SENT');
  });

  it('sends once when the same deliveries are in two jobs at once: the second waits and finds them sent', async () => {
    const who = await someone(h, 'MEMBER', 'ACTIVE', 'Jules Double');
    const to = await emailOf(who);
    // The first job's email is held at the SMTP server: its delivery stays claimed meanwhile.
    h.smtp.holdAfter = h.smtp.mails.length;
    const g = await group('PRIVATE', 'INVITE');
    let twin: string | undefined;
    try {
      await h.ok(INVITE, { g: g.id, u: [who.id] }, owner.token);
      await until('the email held', () => h.smtp.held > 0);
      const [{ id }] = (
        await h.db.query(
          `SELECT d.id::text FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.group_id = $1 AND d.channel = 'EMAIL'`,
          [g.id],
        )
      ).rows as { id: string }[];
      const queue = h.api.get(QueuesService).get('deliver');
      twin = (await queue.add('deliver', { deliveryIds: [id] }, { jobId: `twin-${id}` })).id;
      // The twin finds the delivery claimed: it fails this attempt, to look again later.
      await until('the twin tried once', async () => (await queue.getJob(twin!))!.attemptsMade > 0);
      expect((await queue.getJob(twin!))!.failedReason).toMatch(/held by another job/);
    } finally {
      h.smtp.release();
    }
    await h.smtp.waitFor(to, (m) => (m.subject ?? '').includes(g.name));
    const queue = h.api.get(QueuesService).get('deliver');
    await until('the twin done', async () => (await queue.getJob(twin!))!.isCompleted(), 15000);
    expect((await queue.getJob(twin!))!.returnvalue).toBe('skipped');
    expect(h.smtp.to(to).filter((m) => (m.subject ?? '').includes(g.name))).toHaveLength(1);
  });

  it('keeps a permanently refused email FAILED, unretried, and counts it in /metrics', async () => {
    const who = await someone(h, 'MEMBER', 'ACTIVE', 'Paula Refusee');
    // An address the SMTP server refuses for good (550).
    await h.db.query(`UPDATE users SET email = 'nobody@invalid' WHERE id = $1`, [who.id]);
    h.smtp.refuse = (to) => to === 'nobody@invalid';
    const g = await group('PRIVATE', 'INVITE');
    await h.ok(INVITE, { g: g.id, u: [who.id] }, owner.token);
    const deadline = Date.now() + 10000;
    let row: { status: string; attempts: number } | undefined;
    while (Date.now() < deadline && row?.status !== 'FAILED') {
      [row] = (
        await h.db.query(
          `SELECT d.status, d.attempts FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.group_id = $1 AND d.channel = 'EMAIL'`,
          [g.id],
        )
      ).rows as { status: string; attempts: number }[];
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row).toEqual({ status: 'FAILED', attempts: 1 });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/ruche_notification_deliveries\{channel="EMAIL",status="FAILED"\} 1/);
  });
});

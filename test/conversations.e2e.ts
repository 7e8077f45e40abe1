import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApi } from '../apps/api/api.js';
import { Harness } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

/**
 * Conversations over HTTP and graphql-ws, on the real PostgreSQL and Redis, with two API
 * processes: a three-person conversation where one is removed mid-way and then reads nothing
 * written after, by every read path built here; one-to-one uniqueness; the guest rule; limits.
 */
let h: Harness;
let second: NestExpressApplication;
let secondUrl: string;
let a: Someone, b: Someone, c: Someone, outsider: Someone;
const clients: Client[] = [];

beforeAll(async () => {
  h = await Harness.start({ env: { RATE_MESSAGES_PER_MINUTE: '15' } });
  // A second API process on the same database and Redis: subscriptions cross processes.
  second = await createApi(h.config);
  await second.listen(0, '127.0.0.1');
  secondUrl = `ws://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}/graphql`;
  [a, b, c, outsider] = [await someone(h), await someone(h), await someone(h), await someone(h)];
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await second.close();
  await h.stop();
});

const MSG = 'id kind body bodyHtml author { id } subjects { id } mentions { id } viewerCanEdit';
const CONV = `id title unreadCount muted participants { id } lastMessage { id body }`;

/** Everything a subscription delivers, collected; resolves `ready` once the server acknowledged. */
function subscribe(url: string, token: string, query: string, variables = {}) {
  const got: any[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  client.subscribe(
    { query, variables },
    { next: (r) => got.push(r), error: (e) => got.push({ error: e }), complete: () => undefined },
  );
  return { got, ready };
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await settle(25);
  }
}

const codeOf = (r: { errors?: { extensions?: { code?: string; field?: string } }[] }) => [
  r.errors?.[0]?.extensions?.code,
  r.errors?.[0]?.extensions?.field,
];

describe('a three-person conversation with a removal mid-way', () => {
  it('the removed person reads nothing written after, by any path; the others read everything', async () => {
    const started = await h.ok<{ startConversation: { id: string } }>(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "Bonjour **à tous**", title: "Projet") { ${CONV} } }`,
      { p: [b.id, c.id] },
      a.token,
    );
    const id = started.startConversation.id;
    expect(started.startConversation).toMatchObject({
      title: 'Projet',
      unreadCount: 0,
      participants: expect.arrayContaining([{ id: a.id }, { id: b.id }, { id: c.id }]),
    });

    // B listens on the other API process; C too, on this one.
    const subB = subscribe(
      secondUrl,
      b.token,
      `subscription($c: ID!) { messageAdded(conversationId: $c) { ${MSG} } }`,
      { c: id },
    );
    const subC = subscribe(
      h.url.replace('http', 'ws') + '/graphql',
      c.token,
      `subscription($c: ID!) { messageAdded(conversationId: $c) { ${MSG} } }`,
      { c: id },
    );
    const listC = subscribe(
      h.url.replace('http', 'ws') + '/graphql',
      c.token,
      `subscription { conversationsUpdated { id unreadCount lastMessage { body } } }`,
    );
    await Promise.all([subB.ready, subC.ready, listC.ready]);
    await settle();

    const before = await h.ok<{ sendMessage: { id: string } }>(
      `mutation($c: ID!, $b: String!) { sendMessage(conversationId: $c, body: $b) { ${MSG} } }`,
      { c: id, b: `avant, @${c.handle} <script>alert(1)</script>` },
      a.token,
    );
    await until(
      'both subscribers got the first message',
      () => subB.got.length >= 1 && subC.got.length >= 1,
    );
    expect(subB.got[0].data.messageAdded).toMatchObject({
      body: expect.stringContaining('avant'),
      author: { id: a.id },
      mentions: [{ id: c.id }],
    });
    expect(subB.got[0].data.messageAdded.bodyHtml).not.toContain('<script');

    // B has one unread message (the first was A's own start; B did not read it either).
    const listB = await h.ok(`{ conversations { nodes { id unreadCount } } }`, {}, b.token);
    expect(listB.conversations.nodes).toEqual([{ id, unreadCount: 2 }]);

    await h.ok(
      `mutation($c: ID!, $u: ID!) { removeParticipant(conversationId: $c, userId: $u) { id } }`,
      { c: id, u: c.id },
      a.token,
    );
    const cGotAtRemoval = subC.got.length;
    const listCAtRemoval = listC.got.length;
    await h.ok(
      `mutation($c: ID!) { sendMessage(conversationId: $c, body: "secret after removal") { id } }`,
      { c: id },
      a.token,
    );
    await h.ok(
      `mutation($c: ID!) { sendMessage(conversationId: $c, body: "another secret") { id } }`,
      { c: id },
      b.token,
    );
    await until('B got every message', () => subB.got.length >= 4);
    await settle();
    // B saw the removal line and both messages after it.
    expect(subB.got.map((g) => g.data.messageAdded.kind)).toEqual([
      'TEXT',
      'PARTICIPANT_LEFT',
      'TEXT',
      'TEXT',
    ]);
    expect(subB.got[1].data.messageAdded.subjects).toEqual([{ id: c.id }]);
    // C: nothing more on either subscription.
    expect(subC.got.length).toBe(cGotAtRemoval);
    expect(JSON.stringify(subC.got)).not.toContain('secret');
    expect(listC.got.length).toBe(listCAtRemoval);
    expect(JSON.stringify(listC.got)).not.toContain('secret');

    // C: the conversation does not exist for them any more, nor in their list...
    expect(
      (await h.ok(`query($id: ID!) { conversation(id: $id) { id } }`, { id }, c.token))
        .conversation,
    ).toBeNull();
    expect(
      (await h.ok(`{ conversations { nodes { id } } }`, {}, c.token)).conversations.nodes,
    ).toEqual([]);
    // ...and its messages stop at their removal: the start, the first message.
    const cMessages = await h.ok(
      `query($c: ID!) { messages(conversationId: $c) { nodes { ${MSG} conversation { id participants { id } lastMessage { id } } } } }`,
      { c: id },
      c.token,
    );
    const bodies = cMessages.messages.nodes.map((m: { body: string }) => m.body);
    expect(bodies).toEqual(['', expect.stringContaining('avant'), 'Bonjour **à tous**']);
    expect(JSON.stringify(cMessages)).not.toContain('secret');
    // A message's conversation, seen by someone no longer in it, tells nothing of now.
    expect(cMessages.messages.nodes[1].conversation).toEqual({
      id,
      participants: [],
      lastMessage: null,
    });
    // C cannot write, edit or mark read any more.
    const refused = await h.gql(
      `mutation($c: ID!) { sendMessage(conversationId: $c, body: "me again") { id } }`,
      { c: id },
      { token: c.token },
    );
    expect(codeOf(refused)).toEqual(['NOT_FOUND', undefined]);

    // A and B read all five, newest first, paged backwards.
    const page1 = await h.ok(
      `query($c: ID!) { messages(conversationId: $c, first: 2) { nodes { body kind } pageInfo { hasNextPage endCursor } } }`,
      { c: id },
      b.token,
    );
    expect(page1.messages.nodes.map((m: { body: string }) => m.body)).toEqual([
      'another secret',
      'secret after removal',
    ]);
    const page2 = await h.ok(
      `query($c: ID!, $before: String) { messages(conversationId: $c, first: 5, before: $before) { nodes { body kind } pageInfo { hasNextPage } } }`,
      { c: id, before: page1.messages.pageInfo.endCursor },
      b.token,
    );
    expect(page2.messages.nodes.map((m: { kind: string }) => m.kind)).toEqual([
      'PARTICIPANT_LEFT',
      'TEXT',
      'TEXT',
    ]);
    expect(page2.messages.pageInfo.hasNextPage).toBe(false);

    // An outsider: nothing at all.
    expect(
      (await h.ok(`query($id: ID!) { conversation(id: $id) { id } }`, { id }, outsider.token))
        .conversation,
    ).toBeNull();
    expect(
      codeOf(
        await h.gql(
          `query($c: ID!) { messages(conversationId: $c) { nodes { id } } }`,
          { c: id },
          { token: outsider.token },
        ),
      ),
    ).toEqual(['NOT_FOUND', undefined]);

    // Read positions: B marks read; their unread count drops to zero.
    const read = await h.ok(
      `mutation($c: ID!) { markConversationRead(conversationId: $c) { unreadCount } }`,
      { c: id },
      b.token,
    );
    expect(read.markConversationRead.unreadCount).toBe(0);
    expect(before.sendMessage.id).toBeTruthy();
  });
});

describe('one-to-one, edits, deletion, mute, leaving', () => {
  it('one conversation per pair, whoever starts it', async () => {
    const first = await h.ok(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "salut") { id } }`,
      { p: [b.id] },
      a.token,
    );
    const again = await h.ok(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "re") { id } }`,
      { p: [a.id] },
      b.token,
    );
    expect(again.startConversation.id).toBe(first.startConversation.id);
    const msgs = await h.ok(
      `query($c: ID!) { messages(conversationId: $c) { nodes { body } } }`,
      { c: first.startConversation.id },
      a.token,
    );
    expect(msgs.messages.nodes.map((m: { body: string }) => m.body)).toEqual(['re', 'salut']);
    // A one-to-one keeps its two people.
    expect(
      codeOf(
        await h.gql(
          `mutation($c: ID!, $u: [ID!]!) { addParticipants(conversationId: $c, userIds: $u) { id } }`,
          { c: first.startConversation.id, u: [c.id] },
          { token: a.token },
        ),
      ),
    ).toEqual(['BAD_USER_INPUT', 'conversationId']);
  });

  it('edits keep the history; a deleted message is read by no one; only its author changes it', async () => {
    const conv = await h.ok(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "v1") { id lastMessage { id } } }`,
      { p: [b.id, c.id] },
      a.token,
    );
    const mid = conv.startConversation.lastMessage.id;
    const edited = await h.ok(
      `mutation($id: ID!) { editMessage(id: $id, body: "v2") { body bodyHtml } }`,
      { id: mid },
      a.token,
    );
    expect(edited.editMessage).toEqual({ body: 'v2', bodyHtml: '<p>v2</p>' });
    const { rows } = await h.db.query('SELECT body FROM message_revisions WHERE message_id = $1', [
      mid,
    ]);
    expect(rows).toEqual([{ body: 'v1' }]);
    expect(
      codeOf(
        await h.gql(
          `mutation($id: ID!) { editMessage(id: $id, body: "hack") { id } }`,
          { id: mid },
          { token: b.token },
        ),
      ),
    ).toEqual(['FORBIDDEN', undefined]);
    expect(
      codeOf(
        await h.gql(
          `mutation($id: ID!) { editMessage(id: $id, body: "hack") { id } }`,
          { id: mid },
          { token: outsider.token },
        ),
      ),
    ).toEqual(['NOT_FOUND', undefined]);
    await h.ok(`mutation($id: ID!) { deleteMessage(id: $id) }`, { id: mid }, a.token);
    const left = await h.ok(
      `query($c: ID!) { messages(conversationId: $c) { nodes { id } } }`,
      { c: conv.startConversation.id },
      b.token,
    );
    expect(left.messages.nodes).toEqual([]);
  });

  it('mute and leave: a system line each; the one who left reads up to it', async () => {
    const conv = await h.ok(
      `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "hello") { id } }`,
      { p: [b.id, c.id] },
      a.token,
    );
    const id = conv.startConversation.id;
    expect(
      (
        await h.ok(
          `mutation($c: ID!) { muteConversation(conversationId: $c, muted: true) { muted } }`,
          { c: id },
          c.token,
        )
      ).muteConversation.muted,
    ).toBe(true);
    await h.ok(`mutation($c: ID!) { leaveConversation(conversationId: $c) }`, { c: id }, c.token);
    await h.ok(
      `mutation($c: ID!) { sendMessage(conversationId: $c, body: "after you left") { id } }`,
      { c: id },
      a.token,
    );
    const seen = await h.ok(
      `query($c: ID!) { messages(conversationId: $c) { nodes { kind body subjects { id } } } }`,
      { c: id },
      c.token,
    );
    expect(seen.messages.nodes).toEqual([
      { kind: 'PARTICIPANT_LEFT', body: '', subjects: [{ id: c.id }] },
      { kind: 'TEXT', body: 'hello', subjects: [] },
    ]);
    // Added back, they are a current participant again, with a system line.
    const back = await h.ok(
      `mutation($c: ID!, $u: [ID!]!) { addParticipants(conversationId: $c, userIds: $u) { participants { id } lastMessage { body } } }`,
      { c: id, u: [c.id] },
      a.token,
    );
    expect(back.addParticipants.participants).toContainEqual({ id: c.id });
  });
});

describe('who may start a conversation', () => {
  it('a guest only with people it shares an ACTIVE group with; no one reaches a PENDING account', async () => {
    const guest = await someone(h, 'GUEST');
    const mate = await someone(h);
    const g = randomUUID();
    await h.db.query(
      `INSERT INTO groups (id, slug, name, sort_name, visibility, join_policy, parent_id, path, permissions) VALUES ($1, $2, $2, $2, 'PRIVATE', 'OPEN', NULL, '{}', '{}')`,
      [g, `g-${g}`],
    );
    await h.db.query(
      `INSERT INTO group_memberships (group_id, user_id, role, status) VALUES ($1, $2, 'MEMBER', 'ACTIVE'), ($1, $3, 'MEMBER', 'ACTIVE'), ($1, $4, 'MEMBER', 'PENDING')`,
      [g, guest.id, mate.id, outsider.id],
    );
    const start = (token: string, p: string[]) =>
      h.gql(
        `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "hi") { id } }`,
        { p },
        { token },
      );
    expect(codeOf(await start(guest.token, [outsider.id]))).toEqual([
      'NOT_FOUND',
      'participantIds',
    ]);
    expect(codeOf(await start(guest.token, [mate.id, outsider.id]))).toEqual([
      'NOT_FOUND',
      'participantIds',
    ]);
    expect((await start(guest.token, [mate.id])).data?.startConversation.id).toBeTruthy();
    const pending = await someone(h, 'MEMBER', 'PENDING');
    expect(codeOf(await start(a.token, [pending.id]))).toEqual(['NOT_FOUND', 'participantIds']);
    expect(codeOf(await start(a.token, [randomUUID()]))).toEqual(['NOT_FOUND', 'participantIds']);
  });
});

describe('limits', () => {
  it('body size, participants, messages per minute', async () => {
    const writer = await someone(h);
    const start = (p: string[], body = 'hi') =>
      h.gql(
        `mutation($p: [ID!]!, $b: String!) { startConversation(participantIds: $p, body: $b) { id } }`,
        { p, b: body },
        { token: writer.token },
      );
    expect(codeOf(await start([a.id], 'x'.repeat(10_001)))).toEqual(['BAD_USER_INPUT', 'body']);
    expect(codeOf(await start([a.id], '   '))).toEqual(['BAD_USER_INPUT', 'body']);
    expect(codeOf(await start([]))).toEqual(['BAD_USER_INPUT', 'participantIds']);
    const many = Array.from({ length: 50 }, () => randomUUID());
    expect(codeOf(await start(many))).toEqual(['BAD_USER_INPUT', 'participantIds']);
    const conv = await start([a.id, b.id]);
    const id = conv.data!.startConversation.id as string;
    // 15 per minute, the start counted: the 16th is refused, and nothing is written.
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await h.gql(
        `mutation($c: ID!) { sendMessage(conversationId: $c, body: "n") { id } }`,
        { c: id },
        { token: writer.token },
      );
      codes.push(r.errors?.[0]?.extensions?.code);
    }
    expect(codes.filter((x) => x === undefined).length).toBe(14);
    expect(codes[14]).toBe('RATE_LIMITED');
    const { rows } = await h.db.query(
      `SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ n: 15 });
  });
});

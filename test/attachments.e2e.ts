import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

let h: Harness;
let alice: Someone;
let bob: Someone;

async function upload(who: Someone, text: string, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  const res = await fetch(`${h.url}/api/uploads`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${who.token}` },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function download(who: Someone, id: string) {
  const res = await fetch(`${h.url}/api/files/${id}`, {
    headers: { authorization: `Bearer ${who.token}` },
  });
  return { status: res.status, text: await res.text() };
}

const CREATE = `mutation($input: CreatePostInput!) {
  createPost(input: $input) { id attachments { id fileName version url byteSize contentType } }
}`;

beforeAll(async () => {
  h = await Harness.start();
  alice = await someone(h);
  bob = await someone(h);
});
afterAll(() => h.stop());

describe('files attached to posts', () => {
  it('are read exactly by the readers of their post, from the next request on', async () => {
    const id = await upload(alice, 'plan de Lyon', 'plan.txt');
    const { createPost } = await h.ok(
      CREATE,
      { input: { body: 'Le plan', audience: { kind: 'FOLLOWERS' }, attachmentIds: [id] } },
      alice.token,
    );
    expect(createPost.attachments).toEqual([
      {
        id,
        fileName: 'plan.txt',
        version: 1,
        url: `http://ruche.test/api/files/${id}`,
        byteSize: 12,
        contentType: 'text/plain',
      },
    ]);
    expect(await download(bob, id)).toEqual({ status: 404, text: expect.any(String) });
    await h.ok(`mutation($u: ID!) { follow(userId: $u) { id } }`, { u: alice.id }, bob.token);
    expect(await download(bob, id)).toEqual({ status: 200, text: 'plan de Lyon' });
    const { post } = await h.ok(
      `query($p: ID!) { post(id: $p) { attachments { id } } }`,
      { p: createPost.id },
      bob.token,
    );
    expect(post.attachments).toEqual([{ id }]);
    await h.ok(`mutation($u: ID!) { unfollow(userId: $u) { id } }`, { u: alice.id }, bob.token);
    expect((await download(bob, id)).status).toBe(404);
    // The uploader always reads their file; a deleted post's files are read by no one else.
    await h.ok(`mutation($u: ID!) { follow(userId: $u) { id } }`, { u: alice.id }, bob.token);
    await h.ok(`mutation($p: ID!) { deletePost(id: $p) }`, { p: createPost.id }, alice.token);
    expect((await download(bob, id)).status).toBe(404);
    expect((await download(alice, id)).status).toBe(200);
  });

  it('makes version 2 of a name attached twice to one post, keeping version 1', async () => {
    const first = await upload(alice, 'v1', 'notes.txt');
    const second = await upload(alice, 'v2!', 'notes.txt');
    const { createPost } = await h.ok(
      CREATE,
      { input: { body: 'Notes', audience: { kind: 'NETWORK' }, attachmentIds: [first, second] } },
      alice.token,
    );
    const versions = (createPost.attachments as { id: string; version: number }[])
      .map((a) => [a.id, a.version])
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(versions).toEqual([
      [first, 1],
      [second, 2],
    ]);
    expect(await download(bob, first)).toEqual({ status: 200, text: 'v1' });
    expect(await download(bob, second)).toEqual({ status: 200, text: 'v2!' });
  });

  it("refuses someone else's upload or an already attached one, naming attachmentIds, and writes no post", async () => {
    const bobs = await upload(bob, 'mine', 'bob.txt');
    const res = await h.gql(
      CREATE,
      { input: { body: 'Stolen', audience: { kind: 'NETWORK' }, attachmentIds: [bobs] } },
      { token: alice.token },
    );
    expect([codeOf(res), fieldOf(res)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
    const { rows } = await h.db.query(`SELECT count(*)::int AS n FROM posts WHERE body = 'Stolen'`);
    expect(rows[0].n).toBe(0);
    const once = await upload(alice, 'once', 'once.txt');
    await h.ok(
      CREATE,
      { input: { body: 'First', audience: { kind: 'NETWORK' }, attachmentIds: [once] } },
      alice.token,
    );
    const again = await h.gql(
      CREATE,
      { input: { body: 'Second', audience: { kind: 'NETWORK' }, attachmentIds: [once] } },
      { token: alice.token },
    );
    expect([codeOf(again), fieldOf(again)]).toEqual(['BAD_USER_INPUT', 'attachmentIds']);
  });
});

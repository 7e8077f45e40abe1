import { Harness } from './support/harness.js';
import { someone } from './support/people.js';

let h: Harness;
beforeAll(async () => (h = await Harness.start()));
afterAll(() => h.stop());

const CREATE = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const EDIT = `mutation($id: ID!, $body: String!) { updatePost(id: $id, body: $body) { id editedAt } }`;
const HISTORY = `query($id: ID!) { post(id: $id) { body revisions { body bodyHtml replacedAt } } }`;

describe('Post.revisions (the edit history)', () => {
  it('lists the bodies before each edit, oldest first, to whoever reads the post', async () => {
    const author = await someone(h);
    const reader = await someone(h);
    const { createPost } = await h.ok(
      CREATE,
      { input: { body: 'First **draft**', audience: { kind: 'NETWORK' } } },
      author.token,
    );
    const fresh = await h.ok(HISTORY, { id: createPost.id }, reader.token);
    expect(fresh.post.revisions).toEqual([]);
    await h.ok(EDIT, { id: createPost.id, body: 'Second draft' }, author.token);
    await h.ok(EDIT, { id: createPost.id, body: 'Final text' }, author.token);
    const { post } = await h.ok(HISTORY, { id: createPost.id }, reader.token);
    expect(post.body).toBe('Final text');
    expect(post.revisions.map((r: { body: string }) => r.body)).toEqual([
      'First **draft**',
      'Second draft',
    ]);
    expect(post.revisions[0].bodyHtml).toBe('<p>First <strong>draft</strong></p>');
    expect(Date.parse(post.revisions[0].replacedAt)).toBeLessThanOrEqual(
      Date.parse(post.revisions[1].replacedAt),
    );
  });

  it('gives nothing of a post the viewer may not read', async () => {
    const author = await someone(h);
    const other = await someone(h);
    const { createPost } = await h.ok(
      CREATE,
      { input: { body: 'Only mine', audience: { kind: 'PRIVATE' } } },
      author.token,
    );
    await h.ok(EDIT, { id: createPost.id, body: 'Still only mine' }, author.token);
    const seen = await h.ok(HISTORY, { id: createPost.id }, other.token);
    expect(seen.post).toBeNull();
    const own = await h.ok(HISTORY, { id: createPost.id }, author.token);
    expect(own.post.revisions).toHaveLength(1);
  });
});

// The feed's operations as the bench clients send them, shared by bench/feed.mjs and bench/profile.mjs.
import { cannon, gql } from './support.mjs';

export const PASSWORD = 'Bench-Feed-Password-42';

/** Twenty items fully hydrated: author, group, reactions, counts, viewer flags. */
export const HOME = `query { homeFeed(first: 20) { edges { cursor node { id verb createdAt
  actor { id displayName } group { id name }
  post { id bodyHtml createdAt commentsCount viewerCanEdit viewerCanDelete viewerCanComment
         author { id displayName } group { id name } reactions { emoji count viewerReacted } }
  comment { id } } } pageInfo { hasNextPage endCursor } } }`;
const POST_FIELDS = `id bodyHtml createdAt commentsCount viewerCanEdit viewerCanDelete viewerCanComment
  author { id displayName } group { id name } reactions { emoji count viewerReacted }`;
export const COMPANY = `query { companyFeed(first: 20) { edges { node { ${POST_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
export const GROUP = `query($id: ID!) { group(id: $id) { feed(first: 20) { edges { node { ${POST_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
export const WALL = `query($id: ID!) { user(id: $id) { wall(first: 20) { edges { node { ${POST_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;
export const CREATE = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }`;

/** `n` active members, the same ones run after run (but `except`). */
export async function pickViewers(db, n, except = null) {
  return (
    await db.query(
      `SELECT id, email FROM users WHERE role = 'MEMBER' AND status = 'ACTIVE' AND id IS DISTINCT FROM $2
        ORDER BY md5(handle) LIMIT $1`,
      [n, except],
    )
  ).rows;
}

/** Gives `rows` the bench password and signs each in: rows with their access token. */
export async function signIn(url, db, rows) {
  const { hashPassword } = await import('../dist/libs/identity/crypto.js');
  const hash = await hashPassword(PASSWORD);
  await db.query(`UPDATE users SET password_hash = $2 WHERE id = ANY($1::uuid[])`, [
    rows.map((r) => r.id),
    hash,
  ]);
  const out = [];
  for (const r of rows) {
    const { signIn: s } = await gql(url, null, SIGN_IN, { e: r.email, p: PASSWORD });
    out.push({ ...r, token: s.accessToken });
  }
  return out;
}

/**
 * autocannon over `viewers` (each connection keeps one), posting `query` with per-viewer variables;
 * a GraphQL error in a 200 answer fails the run. `extra`: autocannon's options (duration, amount…).
 */
export function loadAs(url, viewers, connections, query, variables = () => ({}), extra = {}) {
  let next = 0;
  return cannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req, context) => {
          context.viewer ??= viewers[next++ % viewers.length];
          return {
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${context.viewer.token}` },
            body: JSON.stringify({ query, variables: variables(context.viewer) }),
          };
        },
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"errors"'))
            throw new Error(`GraphQL error: ${body.slice(0, 300)}`);
        },
      },
    ],
    ...extra,
  });
}

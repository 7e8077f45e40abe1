import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  buildClientSchema,
  findBreakingChanges,
  getIntrospectionQuery,
  type IntrospectionOptions,
  type IntrospectionQuery,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Harness, codeOf, fieldOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

/**
 * What GraphiQL, Apollo Sandbox, code generators and schema-diff tools send: graphql-js's own
 * introspection query. It reads no data, so the cost limit does not apply; its own bounds do. A
 * data query inside an introspection-looking document is costed as ever. GRAPHQL_INTROSPECTION=false
 * refuses `__schema` and `__type` with one documented error.
 */
let h: Harness;
let member: Someone;
beforeAll(async () => {
  h = await Harness.start();
  member = await someone(h, 'MEMBER', 'ACTIVE', 'Ivy Introspect');
});
afterAll(() => h?.stop());

const OPTIONS: [string, IntrospectionOptions][] = [
  ['default options', {}],
  ['without descriptions', { descriptions: false }],
  [
    'every option on',
    {
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
      schemaDescription: true,
    },
  ],
];

/** 100 people × 40 aliased chains of managers: over the default cost limit (platform.e2e.ts). */
const COSTLY_PAGE = `users(first: 100) { nodes { id ${Array.from(
  { length: 40 },
  (_, i) => `m${i}: profile { manager { id displayName profile { manager { id displayName } } } }`,
).join(' ')} } }`;

const ofTypes = (n: number): string => (n === 0 ? 'name' : `kind ofType { ${ofTypes(n - 1)} }`);

describe('the standard introspection query', () => {
  it.each(
    OPTIONS.flatMap(
      ([name, options]) =>
        [
          [name, 'signed in', options, true],
          [name, 'signed out', options, false],
        ] as const,
    ),
  )('is answered with %s, %s, and builds the served schema', async (_, __, options, signedIn) => {
    const r = await h.gql<IntrospectionQuery>(
      getIntrospectionQuery(options),
      {},
      { token: signedIn ? member.token : undefined },
    );
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe(200);
    expect(r.data!.__schema.types.length).toBeGreaterThan(0);
    const client = buildClientSchema(r.data!);
    expect(findBreakingChanges(h.api.get(GraphQLSchemaHost).schema, client)).toEqual([]);
    expect(Object.keys(client.getQueryType()!.getFields())).toContain('viewer');
  });

  it('answers __typename alone, signed out', async () => {
    const r = await h.gql(`{ __typename }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ __typename: 'Query' });
  });
});

describe('bounds of introspection', () => {
  it('costs a data field beside __schema at the root as a data query', async () => {
    const r = await h.gql(
      `{ __schema { queryType { name } } ${COSTLY_PAGE} }`,
      {},
      {
        token: member.token,
      },
    );
    expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', 'query']);
    expect(r.errors![0].message).toMatch(/costs \d+; the limit is 20000/);
    expect(r.data ?? null).toBeNull();
  });

  it.each([
    [
      'a fragment on Query',
      `query IntrospectionQuery { __schema { queryType { name } } ...Hidden }
       fragment Hidden on Query { ${COSTLY_PAGE} }`,
    ],
    [
      'an inline fragment',
      `query IntrospectionQuery { __schema { queryType { name } } ... on Query { ${COSTLY_PAGE} } }`,
    ],
    [
      'a fragment inside a fragment',
      `query IntrospectionQuery { ...Outer }
       fragment Outer on Query { __schema { queryType { name } } ...Inner }
       fragment Inner on Query { ${COSTLY_PAGE} }`,
    ],
  ])('costs a data query hidden in %s of an introspection document', async (_, query) => {
    const r = await h.gql(query, {}, { token: member.token });
    expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', 'query']);
    expect(r.errors![0].message).toMatch(/costs \d+; the limit is 20000/);
  });

  it('refuses an ofType chain deeper than 10, and takes 10', async () => {
    const deep = await h.gql(`{ __type(name: "User") { ${ofTypes(11)} } }`);
    expect([codeOf(deep), fieldOf(deep)]).toEqual(['BAD_USER_INPUT', 'query']);
    expect(deep.errors![0].message).toBe('This query nests ofType 11 levels deep; the limit is 10');
    expect(deep.data ?? null).toBeNull();
    // Through fragments too.
    const split = await h.gql(
      `{ __type(name: "User") { ...A } } fragment A on __Type { ofType { ...B } }
       fragment B on __Type { ${ofTypes(10)} }`,
    );
    expect(split.errors![0].message).toMatch(/ofType 11 levels deep/);
    const ten = await h.gql(`{ __type(name: "User") { ${ofTypes(10)} } }`);
    expect(ten.errors).toBeUndefined();
    expect(ten.data!.__type).toEqual({ kind: 'OBJECT', ofType: null });
  });

  it('refuses lists nested past graphql-js MaxIntrospectionDepthRule', async () => {
    const r = await h.gql(
      `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`,
    );
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0].message).toBe('Maximum introspection depth exceeded');
  });

  it('refuses the whole schema asked for many times under aliases', async () => {
    const copies = Array.from(
      { length: 10 },
      (_, i) => `s${i}: __schema { types { ...FullType } }`,
    ).join(' ');
    const fullType = getIntrospectionQuery().slice(
      getIntrospectionQuery().indexOf('fragment FullType'),
    );
    const r = await h.gql(`query Copies { ${copies} } ${fullType}`);
    expect([codeOf(r), fieldOf(r)]).toEqual(['BAD_USER_INPUT', 'query']);
    expect(r.errors![0].message).toMatch(
      /^This introspection query selects \d+ fields; the limit is 1000$/,
    );
  });

  it('refuses a document of more than GRAPHQL_MAX_TOKENS (10,000) tokens unparsed', async () => {
    const aliases = Array.from({ length: 5001 }, (_, i) => `a${i}: __typename`).join(' ');
    const r = await h.gql(`{ ${aliases} }`);
    expect(codeOf(r)).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.errors![0].message).toMatch(/Document contains more tha[nt] 10000 tokens/);
  });
});

/** One operation over graphql-ws; validation errors come back as the error of the subscription. */
async function overWs(url: string, query: string): Promise<unknown> {
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve) => {
      let result: unknown;
      client.subscribe(
        { query },
        {
          next: (r) => (result = r),
          error: (e) => resolve({ errors: e }),
          complete: () => resolve(result),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('GRAPHQL_INTROSPECTION=false', () => {
  let off: Harness;
  beforeAll(async () => {
    off = await Harness.start({ env: { GRAPHQL_INTROSPECTION: 'false' } });
  });
  afterAll(() => off?.stop());

  const REFUSED = {
    message: 'Introspection is turned off on this server (GRAPHQL_INTROSPECTION=false)',
    code: 'FORBIDDEN',
  };

  it.each([
    ['the standard query', getIntrospectionQuery()],
    ['__type', `{ __type(name: "User") { name } }`],
    ['__schema beside data', `{ viewer { id } __schema { queryType { name } } }`],
  ])('refuses %s with FORBIDDEN and says why', async (_, query) => {
    const r = await off.gql(
      query,
      {},
      { headers: { accept: 'application/graphql-response+json' } },
    );
    expect(r.status).toBe(400);
    expect(r.data ?? null).toBeNull();
    expect(r.errors!.length).toBeGreaterThan(0);
    for (const e of r.errors!)
      expect({ message: e.message, code: e.extensions?.code }).toEqual(REFUSED);
  });

  it('still answers __typename and data queries', async () => {
    const r = await off.gql(`{ __typename viewer { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ __typename: 'Query', viewer: null });
  });

  it('refuses introspection over graphql-ws too', async () => {
    await expect(overWs(off.url, `{ __schema { queryType { name } } }`)).resolves.toEqual({
      errors: [
        expect.objectContaining({ message: REFUSED.message, extensions: { code: 'FORBIDDEN' } }),
      ],
    });
    await expect(overWs(off.url, `{ __typename }`)).resolves.toEqual({
      data: { __typename: 'Query' },
    });
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  astFromValue,
  getNamedType,
  getNullableType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  isCompositeType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { Harness, type GqlResult } from './support/harness.js';
import { PASSWORD } from './support/builders.js';
import { someone, type Someone } from './support/people.js';

/**
 * Every String and ID argument and input field of every query and mutation, found in the served
 * schema (a new field is covered without touching this file), gets hostile text, as an ordinary
 * member and as a network admin. No answer may be INTERNAL_SERVER_ERROR; text holding control
 * characters is refused as BAD_USER_INPUT naming the argument; the server is ready after.
 */
let h: Harness;
let member: Someone, admin: Someone;

beforeAll(async () => {
  h = await Harness.start({
    // The attempts are many: rate limits must not hide what an argument does.
    env: {
      RATE_SIGNIN_PER_IP: '100000',
      RATE_SIGNUP_PER_IP: '100000',
      RATE_EMAIL_PER_ACCOUNT: '100000',
    },
  });
  [member, admin] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Hostile Member'),
    someone(h, 'ADMIN', 'ACTIVE', 'Hostile Admin'),
  ]);
}, 60_000);
afterAll(() => h?.stop());

/** Refused wherever they are sent (the control-character rule). */
const REFUSED = ['\u0000\u0001', 'a\u0007b', 'line\u001bend'];
/** Allowed or refused as each field decides, never a 500. */
const ODD = [
  '',
  ' \t\n ',
  'x',
  "' OR 1=1 --",
  '%_\\',
  '!&|:*()<-> "a" \'b\'',
  '\ud800 lone surrogate',
  'bidi \u202e override',
  '😀'.repeat(50),
  'é'.repeat(5000),
  'x'.repeat(100_000),
  '__proto__',
  '00000000-0000-0000-0000-000000000000',
  '-1',
  'javascript:alert(1)',
];

/**
 * A string argument under test: the field, the argument and where inside it (`input.name`,
 * `emails.0`), and how errors name it (as validation does: `name` inside `input: { name }`).
 */
interface Target {
  root: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  path: string[];
  named: string;
}

/** Paths of every String and ID leaf below an input type (lists as index 0). */
function stringPaths(type: GraphQLInputType, path: string[], seen: Set<string>): string[][] {
  if (type instanceof GraphQLNonNull) return stringPaths(type.ofType, path, seen);
  if (type instanceof GraphQLList) return stringPaths(type.ofType, [...path, '0'], seen);
  if (type instanceof GraphQLInputObjectType) {
    if (seen.has(type.name)) return [];
    const inner = new Set(seen).add(type.name);
    return Object.values(type.getFields()).flatMap((f) =>
      stringPaths(f.type, [...path, f.name], inner),
    );
  }
  if (type instanceof GraphQLScalarType && (type.name === 'String' || type.name === 'ID'))
    return [path];
  return [];
}

function targets(): Target[] {
  const schema = h.api.get(GraphQLSchemaHost).schema;
  const found: Target[] = [];
  for (const [root, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {}))
      for (const arg of field.args)
        for (const path of stringPaths(arg.type, [arg.name], new Set()))
          found.push({
            root,
            field,
            path,
            named: (getNullableType(arg.type) instanceof GraphQLInputObjectType
              ? path.slice(1)
              : path
            ).join('.'),
          });
  }
  return found;
}

const ID = randomUUID();
/** A plausible value of a scalar, by the name of what holds it. */
function plausibleScalar(type: GraphQLScalarType, name: string): unknown {
  switch (type.name) {
    case 'ID':
      return ID;
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return false;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'String': {
      if (/email/i.test(name)) return `hostile.${randomBytes(3).toString('hex')}@acme.test`;
      if (/password/i.test(name)) return PASSWORD;
      if (/emoji/i.test(name)) return '👍';
      if (/endpoint/i.test(name)) return 'https://push.example.test/endpoint';
      if (/timezone/i.test(name)) return 'Europe/Paris';
      if (/locale/i.test(name)) return 'en';
      if (name === 'start' || name === 'end') return '09:00';
      if (/slug|handle|tag/i.test(name)) return 'plain-name';
      return 'Plain text';
    }
    default:
      // A new scalar: say here what a plausible value of it is.
      throw new Error(`no plausible value for the scalar ${type.name}`);
  }
}

/** A value of `type`: plausible, except the hostile text at `path` (empty path: this value). */
function valueOf(
  type: GraphQLInputType,
  name: string,
  path: string[] | null,
  hostile: string,
): unknown {
  if (type instanceof GraphQLNonNull) return valueOf(type.ofType, name, path, hostile);
  if (type instanceof GraphQLList)
    return [valueOf(type.ofType, name, path && path.slice(1), hostile)];
  if (path && path.length === 0) return hostile;
  if (type instanceof GraphQLInputObjectType) {
    const value: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      const here = path?.[0] === f.name;
      if (here || (f.type instanceof GraphQLNonNull && f.defaultValue === undefined))
        value[f.name] = valueOf(f.type, f.name, here ? path.slice(1) : null, hostile);
    }
    return value;
  }
  if (type instanceof GraphQLEnumType) return type.getValues()[0].value;
  return plausibleScalar(type, name);
}

/** The operation sending `hostile` at the target, by variables or written inline. */
function operation(t: Target, hostile: string, inline: boolean) {
  const args = t.field.args.filter(
    (a: GraphQLArgument) =>
      a.name === t.path[0] || (a.type instanceof GraphQLNonNull && a.defaultValue === undefined),
  );
  const values = Object.fromEntries(
    args.map((a) => [
      a.name,
      valueOf(a.type, a.name, a.name === t.path[0] ? t.path.slice(1) : null, hostile),
    ]),
  );
  const selection = isCompositeType(getNamedType(t.field.type)) ? ' { __typename }' : '';
  if (inline) {
    const written = args.map((a) => `${a.name}: ${print(astFromValue(values[a.name], a.type)!)}`);
    return {
      query: `${t.root} { ${t.field.name}(${written.join(', ')})${selection} }`,
      variables: {},
    };
  }
  const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const uses = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return {
    query: `${t.root}(${defs}) { ${t.field.name}(${uses})${selection} }`,
    variables: values,
  };
}

const describeTarget = (t: Target) =>
  `${t.root === 'query' ? 'Query' : 'Mutation'}.${t.field.name}(${t.path.join('.')})`;
const GUARDS = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** Sends every hostile value to every target; returns what went wrong, one line each. */
async function attack(who: Someone, values: string[], refused: boolean, inline = false) {
  const problems: string[] = [];
  for (const t of targets()) {
    for (const hostile of values) {
      const { query, variables } = operation(t, hostile, inline);
      let r: GqlResult;
      try {
        r = await h.gql(query, variables, { token: who.token });
      } catch (e) {
        problems.push(`${describeTarget(t)} ${JSON.stringify(hostile.slice(0, 20))}: ${String(e)}`);
        continue;
      }
      const codes = (r.errors ?? []).map((e) => e.extensions?.code);
      const where = `${describeTarget(t)} ${JSON.stringify(hostile.slice(0, 20))}`;
      if (r.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR'))
        problems.push(`${where}: ${r.status} ${JSON.stringify(r.errors)}`);
      else if (refused) {
        const named = r.errors?.some(
          (e) => e.extensions?.code === 'BAD_USER_INPUT' && e.extensions.field === t.named,
        );
        // A guard (sign-in, role) answers before any argument is read: that is a refusal too.
        if (!named && !codes.every((c) => GUARDS.has(c!)))
          problems.push(`${where}: not refused by name: ${JSON.stringify(r.errors ?? r.data)}`);
      }
    }
  }
  return problems;
}

describe('hostile text in every String and ID argument of every query and mutation', () => {
  it('finds the arguments in the served schema', () => {
    const names = targets().map(describeTarget);
    expect(names).toEqual(
      expect.arrayContaining([
        'Query.group(slug)',
        'Query.search(query)',
        'Mutation.createGroup(input.name)',
        'Mutation.inviteMembers(emails.0)',
        'Mutation.updateNotificationPreferences(input.quietHours.timezone)',
      ]),
    );
  });

  it.each([
    ['a member', () => member],
    ['a network admin', () => admin],
  ])(
    'refuses control characters from %s, by variables and inline, naming the field',
    async (_, who) => {
      const problems = [
        ...(await attack(who(), REFUSED, true)),
        ...(await attack(who(), REFUSED.slice(0, 1), true, true)),
      ];
      expect(problems).toEqual([]);
    },
    180_000,
  );

  it.each([
    ['a member', () => member],
    ['a network admin', () => admin],
  ])(
    'answers odd text from %s without an internal error',
    async (_, who) => {
      expect(await attack(who(), ODD, false)).toEqual([]);
    },
    300_000,
  );

  it('is still ready afterwards', async () => {
    const res = await fetch(`${h.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });
});

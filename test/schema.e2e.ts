import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { buildSchema, findBreakingChanges, type BreakingChange } from 'graphql';
import { DataSource } from 'typeorm';
import { Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => (h = await Harness.start()));
afterAll(() => h.stop());

const contract = buildSchema(readFileSync(new URL('../apps/api/contract.graphql', import.meta.url), 'utf8'));

/**
 * Parts of the contract later issues build. Each entry is a type (`Post`) or a field
 * (`User.wall`, `Query.homeFeed`); an entry that is served must leave this list.
 */
const PENDING: Record<string, string[]> = {
  'issue 4 (content), attachments': ['Post.attachments'],
  // Notification.post and Notification.comment resolve posts and comments: wired when content lands.
  'issue 6 (notifications)': ['Notification.post', 'Notification.comment'],
};
const pending = new Set(Object.values(PENDING).flat());

/** The type or field a breaking change is about: "Type" or "Type.field" (arguments → their field). */
function subject(change: BreakingChange): string {
  const match = /^(\w+)(?:\.(\w+))?/.exec(change.description);
  return match ? (match[2] ? `${match[1]}.${match[2]}` : match[1]) : change.description;
}

describe('the served schema', () => {
  it('breaks nothing of the contract that is built (graphql-js findBreakingChanges)', () => {
    const served = h.api.get(GraphQLSchemaHost).schema;
    const all = findBreakingChanges(contract, served);
    const breaking = all.filter((c) => {
      const s = subject(c);
      return !pending.has(s) && !pending.has(s.split('.')[0]);
    });
    expect(breaking.map((c) => `${c.type}: ${c.description}`)).toEqual([]);
  });

  it('serves none of the pending parts yet (so the list shrinks as issues land)', () => {
    const served = h.api.get(GraphQLSchemaHost).schema;
    const present = [...pending].filter((name) => {
      const [type, field] = name.split('.');
      const t = served.getType(type);
      if (!t) return false;
      if (!field) return true;
      return 'getFields' in t && field in (t.getFields() as Record<string, unknown>);
    });
    expect(present).toEqual([]);
  });
});

describe('migrations', () => {
  it('match the entities: a generated migration would be empty', async () => {
    const ds = h.api.get(DataSource);
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });
});

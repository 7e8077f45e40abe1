import { createHash } from 'node:crypto';
import { DataSource, type DataSourceOptions, type EntityTarget, type ObjectLiteral } from 'typeorm';

type Query = (this: unknown, ...args: unknown[]) => unknown;
interface PgClient {
  query: Query;
  [PATCHED]?: true;
}
interface PgPool {
  on(event: 'acquire', listener: (client: PgClient) => void): void;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
const PATCHED = Symbol('ruche.namedStatements');

const names = new Map<string, string>();
/** The statement's name, derived from its text (hashed once per text and process). */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `g_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** Every parameterized statement of the client is prepared once under a name derived from its text. */
function nameStatements(client: PgClient): void {
  if (client[PATCHED]) return;
  client[PATCHED] = true;
  const original = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || args.length > 2)
      return original.apply(this, args);
    return original.call(this, { name: nameOf(text), text, values });
  };
}

/**
 * The hot reads' own connection pool: its statements are prepared once per connection and run
 * with a cached generic plan (`plan_cache_mode = force_generic_plan`).
 *
 * Why: the access predicates make the hot reads (the home feed page, the by-id loaders, the session
 * check) large statements whose planning costs more than their execution — the home feed page at
 * 1M posts was planned in 5–9 ms each time and executed in 2.4 ms; PostgreSQL's automatic mode never
 * picks the generic plan for it (the generic estimate of an `= ANY($n)` array is pessimistic).
 * What may run here: reads outside transactions whose best plan does not depend on the values of
 * their parameters — primary-key and `= ANY(:ids)` lookups with the access rule, keyset pages of
 * the home feed. Their text must not vary with their input (`= ANY(CAST(:ids AS uuid[]))`, not
 * `IN (:...ids)`), so each connection holds a handful of prepared statements. Everything else
 * (writes, transactions, searches whose plan depends on the words) stays on the main DataSource.
 */
export class HotReads {
  private readonly found = new Map<string, Statement>();
  /** The pool under `db`: the hot statements skip TypeORM's query runner (about 50 µs each). */
  private readonly pool: PgPool;

  private constructor(readonly db: DataSource) {
    this.pool = (db.driver as unknown as { master: PgPool }).master;
  }

  /** A second DataSource over the same entities as `main`, with its own small pool. */
  static async over(main: DataSource, poolSize: number): Promise<HotReads> {
    const extra = (main.options as { extra?: { options?: string } }).extra ?? {};
    const db = new DataSource({
      ...main.options,
      name: 'hot-reads',
      entities: main.entityMetadatas.map((m) => m.target as new () => unknown),
      migrations: [],
      extra: {
        ...extra,
        max: poolSize,
        application_name: 'ruche-hot-reads',
        options: `${extra.options ?? ''} -c plan_cache_mode=force_generic_plan`.trim(),
      },
    } as unknown as DataSourceOptions);
    await db.initialize();
    (db.driver as unknown as { master: PgPool }).master.on('acquire', nameStatements);
    return new HotReads(db);
  }

  /** Runs a statement on the hot pool; rows as PostgreSQL returns them (snake_case columns). */
  run<T>(statement: Statement, params: Readonly<Record<string, unknown>>): Promise<T[]> {
    return this.query<T>(statement.text, statement.values(params));
  }

  /** SQL with `$n` parameters on the hot pool, straight to the driver (prepared once by its text). */
  async query<T>(text: string, values: unknown[]): Promise<T[]> {
    return (await this.pool.query({ name: nameOf(text), text, values })).rows as T[];
  }

  /**
   * Entities of `target` (all their columns) WHERE `where` (`:named` parameters, `alias` for the
   * table), plus the `extra` expressions by name (`where` may end with ORDER BY and LIMIT): TypeORM's query building and hydration cost more
   * than the query on the hot paths, so the statement is built once per text and the rows are
   * hydrated by the entity's metadata (the driver's own conversions), nothing else.
   */
  async find<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    alias: string,
    where: string,
    params: Readonly<Record<string, unknown>>,
    extra: Readonly<Record<string, string>> = {},
  ): Promise<{ entity: T; extra: Record<string, unknown> }[]> {
    const metadata = this.db.getMetadata(target);
    const statement = this.statement(target, alias, where, extra);
    const rows = await this.run<Record<string, unknown>>(statement, params);
    return rows.map((row) => {
      const entity = metadata.create() as T;
      for (const c of metadata.columns)
        c.setEntityValue(
          entity,
          this.db.driver.prepareHydratedValue(row[`c_${c.databaseName}`], c),
        );
      const more: Record<string, unknown> = {};
      for (const name of Object.keys(extra)) more[name] = row[`x_${name}`];
      return { entity, extra: more };
    });
  }

  /** The statement `find` sends for these arguments (made once per text). */
  statement<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    alias: string,
    where: string,
    extra: Readonly<Record<string, string>> = {},
  ): Statement {
    const metadata = this.db.getMetadata(target);
    const text = `${metadata.tableName}\u0000${alias}\u0000${where}\u0000${Object.entries(extra).join()}`;
    let statement = this.found.get(text);
    if (!statement) {
      const columns = metadata.columns.map(
        (c) => `"${alias}"."${c.databaseName}" AS "c_${c.databaseName}"`,
      );
      const extras = Object.entries(extra).map(([name, sql]) => `(${sql}) AS "x_${name}"`);
      statement = new Statement(
        `SELECT ${[...columns, ...extras].join(', ')} FROM "${metadata.tableName}" "${alias}" WHERE ${where}`,
      );
      this.found.set(text, statement);
    }
    return statement;
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/**
 * SQL written with `:named` parameters, turned once into PostgreSQL's `$n` form: the hot paths build
 * their statement text once per shape (not per request) and send it as it is.
 */
export class Statement {
  readonly text: string;
  private readonly names: string[] = [];

  constructor(sql: string) {
    this.text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_, name: string) => {
      let i = this.names.indexOf(name);
      if (i < 0) i = this.names.push(name) - 1;
      return `$${i + 1}`;
    });
  }

  values(params: Readonly<Record<string, unknown>>): unknown[] {
    return this.names.map((name) => {
      if (!(name in params)) throw new Error(`Statement parameter :${name} missing`);
      return params[name];
    });
  }
}

/** Statements built on first use, by key (a role, a status, a shape): a handful per process. */
export function statements(build: (key: string) => string): (key: string) => Statement {
  const made = new Map<string, Statement>();
  return (key) => {
    let found = made.get(key);
    if (!found) made.set(key, (found = new Statement(build(key))));
    return found;
  };
}

import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { badInput } from './app-error.js';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  first?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/** A keyset cursor: the sort key values of the last row, opaque to clients. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  arity: number,
): (string | number | null)[] | null {
  if (cursor === undefined || cursor === null) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => v === null || ['string', 'number'].includes(typeof v))
    ) {
      return values as (string | number | null)[];
    }
  } catch {
    // fall through to the input error
  }
  throw badInput('after', 'Invalid cursor');
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** Computed only when the client asks for it (the connection's totalCount field calls it). */
  totalCount?: () => Promise<number>;
}

/**
 * The one way to build a Relay connection: `rows` were fetched with `limit + 1` so the extra row
 * tells whether a next page exists; `key` gives a row's sort key for its cursor.
 */
export function toPage<R, T = R>(
  rows: R[],
  limit: number,
  key: (row: R) => (string | number | null)[],
  map: (row: R) => T = (row) => row as unknown as T,
  totalCount?: () => Promise<number>,
): Page<T> {
  const hasNextPage = rows.length > limit;
  const kept = hasNextPage ? rows.slice(0, limit) : rows;
  const edges = kept.map((row) => ({ cursor: encodeCursor(key(row)), node: map(row) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}

export const pageSize = (first?: number) => first ?? DEFAULT_PAGE;

/** Declares `<Name>Edge` and `<Name>Connection` for a node type, as the contract spells them. */
export function Connection<T>(
  node: Type<T>,
  name: string,
  opts: { totalCount: boolean; connectionName?: string },
) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType(opts.connectionName ?? `${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => [node]) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  if (opts.totalCount) {
    // Nest's field resolver returns the property as it is: call the thunk toPage left there.
    Field(() => Int, {
      middleware: [
        async (_ctx, next) => {
          const value: unknown = await next();
          return typeof value === 'function' ? (value as () => Promise<number>)() : value;
        },
      ],
    })(ConnectionType.prototype, 'totalCount');
  }
  return ConnectionType as Type<Page<T>>;
}

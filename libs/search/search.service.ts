import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { groupAccess, readablePosts, visibleUsers } from '@ruche/access';
import {
  badInput,
  decodeCursor,
  isUuid,
  pageSize,
  toPage,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { PostsService } from '@ruche/content';
import { GroupsService } from '@ruche/groups';
import { UsersService } from '@ruche/identity';
import { SearchKind, type SearchArgs, type SearchHitValue } from './graphql/search.objects.js';
import { parseSearch, textTerms, toTsQuery, type ParsedSearch } from './search-query.js';

/**
 * A text's words in both languages, as stored lexemes: posts.search_vector and
 * comments.search_vector (GIN-indexed by posts_search_idx and comments_search_idx), so matching
 * and ranking read the vector instead of re-parsing each body.
 */
const doc = (alias: string) => `${alias}.search_vector`;

/** The text part of a post search: the tsquery ('' for none) and each phrase per language. */
interface PostText {
  query: string;
  phrases: { fr: string; en: string }[];
}

interface HitRow {
  kind: 'USER' | 'GROUP' | 'POST';
  id: string;
  rank: string;
  created: string;
}

/** One kind's matching rows: its SQL (selecting kind, id, rank, created_at) and named params. */
interface KindQuery {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Search across people, groups (and posts, with the content issue): one SQL statement, each kind
 * filtered by its access predicate from @ruche/access, ranked by relevance then recency, paged by
 * a keyset cursor (rank, time, id) that stays stable across pages. Hits are then loaded through
 * the same per-request loaders as every other read, which check access once more.
 */
@Injectable()
export class SearchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly posts: PostsService,
  ) {}

  private people(viewer: Viewer, p: ParsedSearch): KindQuery | null {
    const query = toTsQuery(p, { withTagsAsWords: false });
    const where: string[] = [];
    if (query) where.push(`u.search_vector @@ to_tsquery('simple', :userQuery)`);
    if (p.handles.length) where.push('u.handle = ANY(:handles)');
    if (!where.length) return null;
    const rule = visibleUsers(viewer, 'u');
    const rank = query ? `ts_rank(u.search_vector, to_tsquery('simple', :userQuery))` : '1';
    return {
      sql: `SELECT 'USER' AS kind, u.id, (${rank})::real AS rank, u.created_at
              FROM users u WHERE ${rule.sql} AND u.status = 'ACTIVE' AND ${where.join(' AND ')}`,
      params: { ...rule.params, userQuery: query, handles: p.handles },
    };
  }

  private groupsOf(viewer: Viewer, p: ParsedSearch): KindQuery | null {
    const query = toTsQuery(p, { withTagsAsWords: true });
    if (!query || (p.handles.length && !p.words.length && !p.phrases.length)) return null;
    const access = groupAccess(viewer, 'g');
    const words = `to_tsvector('ruche_simple', g.name || ' ' || coalesce(g.description, ''))`;
    return {
      sql: `SELECT 'GROUP' AS kind, g.id, ts_rank(${words}, to_tsquery('ruche_simple', :groupQuery))::real AS rank, g.created_at
              FROM groups g WHERE ${access.list.sql} AND ${words} @@ to_tsquery('ruche_simple', :groupQuery)`,
      params: { ...access.list.params, groupQuery: query },
    };
  }

  /**
   * The words and phrases as one tsquery over both languages: each term is its French OR its
   * English lexemes, the terms ANDed. A term that is a stop word in either language, or whose stem
   * is one (« les » → le), is dropped: a French post holds « le » as an English word, so "le la les"
   * searches posts for nothing. Built by PostgreSQL itself (the configurations unaccent and stem),
   * then handed back as a constant so the planner sees the real query. Each phrase also comes
   * per language, to be checked within one language (see postsOf).
   */
  private async postTsQuery(p: ParsedSearch): Promise<PostText> {
    const terms = textTerms(p);
    if (!terms.length) return { query: '', phrases: [] };
    const rows: { phrase: boolean; fr: string; en: string; fr2: string; en2: string }[] =
      await this.db.query(
        `SELECT t LIKE '%<->%' AS phrase, fr, en,
              to_tsquery('ruche_fr', fr)::text AS fr2, to_tsquery('ruche_en', en)::text AS en2
         FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i),
              LATERAL (SELECT to_tsquery('ruche_fr', t)::text AS fr, to_tsquery('ruche_en', t)::text AS en) l
        ORDER BY i`,
        [terms],
      );
    const kept = rows.filter((r) => r.fr !== '' && r.en !== '' && r.fr2 !== '' && r.en2 !== '');
    return {
      query: kept.map((r) => (r.fr === r.en ? r.fr : `(${r.fr} | ${r.en})`)).join(' & '),
      phrases: kept.filter((r) => r.phrase).map((r) => ({ fr: r.fr, en: r.en })),
    };
  }

  /**
   * Posts whose body, or one of whose live comments, matches the words (rank: the best of them),
   * #hashtags through the post's tags, @handles through its mentions and author, always AND the
   * read rule on the post (a comment is read exactly when its post is). Body and comment matches
   * come from their own GIN indexes, then meet the rule.
   */
  private postsOf(viewer: Viewer, p: ParsedSearch, text: PostText): KindQuery | null {
    const tsquery = text.query;
    const where: string[] = [];
    if (p.hashtags.length) where.push('p.hashtags @> :hashtags::text[]');
    if (p.handles.length) {
      where.push(
        `EXISTS (SELECT 1 FROM users mu WHERE mu.handle = ANY(:handles) AND (mu.id = p.author_id OR mu.id = ANY(p.mention_ids)))`,
      );
    }
    if (!tsquery && !where.length) return null;
    const rule = readablePosts(viewer, 'p');
    const params: Record<string, unknown> = {
      ...rule.params,
      postQuery: tsquery,
      hashtags: p.hashtags,
      handles: p.handles,
    };
    if (!tsquery) {
      return {
        sql: `SELECT 'POST' AS kind, p.id, 1::real AS rank, p.created_at FROM posts p WHERE ${where.join(' AND ')} AND ${rule.sql}`,
        params,
      };
    }
    const q = `:postQuery::tsquery`;
    // fr || en shifts the English positions past the French ones, so a phrase could straddle the
    // two halves ("… bureau" + "Grenoble …"): a phrase must also hold within one language.
    const phrase = (a: string) =>
      text.phrases
        .map(
          (_, i) =>
            `AND (to_tsvector('ruche_fr', ${a}.body) @@ :phraseFr${i}::tsquery OR to_tsvector('ruche_en', ${a}.body) @@ :phraseEn${i}::tsquery)`,
        )
        .join(' ');
    text.phrases.forEach((ph, i) =>
      Object.assign(params, { [`phraseFr${i}`]: ph.fr, [`phraseEn${i}`]: ph.en }),
    );
    const matches = `SELECT m.post_id, max(m.rank) AS rank FROM (
        SELECT pm.id AS post_id, ts_rank(${doc('pm')}, ${q}) AS rank FROM posts pm WHERE ${doc('pm')} @@ ${q} AND pm.deleted_at IS NULL ${phrase('pm')}
        UNION ALL
        SELECT cm.post_id, ts_rank(${doc('cm')}, ${q}) FROM comments cm WHERE ${doc('cm')} @@ ${q} AND cm.deleted_at IS NULL ${phrase('cm')}
      ) m GROUP BY m.post_id`;
    return {
      sql: `SELECT 'POST' AS kind, p.id, hit.rank::real AS rank, p.created_at
              FROM (${matches}) hit JOIN posts p ON p.id = hit.post_id
             WHERE ${[...where, rule.sql].join(' AND ')}`,
      params,
    };
  }

  /**
   * The one statement of a search page, as sent (also rendered by bench/search.mjs), or null when
   * there is nothing to look for.
   */
  async pageQuery(
    viewer: Viewer,
    args: SearchArgs,
  ): Promise<{ sql: string; values: unknown[]; limit: number } | null> {
    const parsed = parseSearch(args.query);
    const kinds = new Set(args.kinds?.length ? args.kinds : Object.values(SearchKind));
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 3);
    if (
      after &&
      (typeof after[0] !== 'string' ||
        typeof after[1] !== 'string' ||
        typeof after[2] !== 'string' ||
        !isUuid(after[2]) ||
        !Number.isFinite(Number(after[0])) ||
        Number.isNaN(Date.parse(after[1])))
    ) {
      throw badInput('after', 'Invalid cursor');
    }
    const parts = [
      kinds.has(SearchKind.USER) ? this.people(viewer, parsed) : null,
      kinds.has(SearchKind.GROUP) ? this.groupsOf(viewer, parsed) : null,
      kinds.has(SearchKind.POST)
        ? this.postsOf(viewer, parsed, await this.postTsQuery(parsed))
        : null,
    ].filter((q): q is KindQuery => q !== null);
    if (!parts.length) return null;

    // Each kind is cut to its own first page (after the cursor, in the final order) before the
    // merge: the page of the merge is within the union of those, and no kind ranks all its rows twice.
    const order = 'ORDER BY rank DESC, created_at DESC, id DESC';
    const cut = after
      ? 'WHERE (rank, created_at, id) < (:afterRank::real, :afterTime::timestamptz, :afterId::uuid)'
      : '';
    const sql = `SELECT kind, id, rank::text AS rank, created_at::text AS created
                   FROM (${parts.map((p) => `(SELECT * FROM (${p.sql}) k ${cut} ${order} LIMIT ${limit + 1})`).join(' UNION ALL ')}) hits
                  ${order}
                  LIMIT ${limit + 1}`;
    const params: Record<string, unknown> = Object.assign(
      {},
      ...parts.map((p) => p.params),
      after ? { afterRank: after[0], afterTime: after[1], afterId: after[2] } : {},
    ) as Record<string, unknown>;
    const [query, values] = this.db.driver.escapeQueryWithParameters(sql, params);
    return { sql: query, values, limit };
  }

  async search(
    ctx: RequestContext,
    viewer: Viewer,
    args: SearchArgs,
  ): Promise<Page<SearchHitValue>> {
    const page = await this.pageQuery(viewer, args);
    if (!page) return toPage([], pageSize(args.first), () => []);
    const { limit } = page;
    const rows: HitRow[] = await this.db.query(page.sql, page.values);

    const users = this.users.loader(ctx);
    const groups = this.groups.loader(ctx);
    const posts = this.posts.loader(ctx);
    const loaded = await Promise.all(
      rows.map(async (row): Promise<SearchHitValue | null> => {
        if (row.kind === 'USER') {
          const user = await users.load(row.id);
          return user ? { ...user, searchKind: 'USER' } : null;
        }
        if (row.kind === 'GROUP') {
          const group = await groups.load(row.id);
          return group ? { ...group, searchKind: 'GROUP' } : null;
        }
        const post = await posts.load(row.id);
        return post ? { ...post, searchKind: 'POST' } : null;
      }),
    );
    // The loaders apply the same rule; a hit they refuse (a change between the two reads) is left out.
    const kept = rows.map((row, i) => ({ row, hit: loaded[i] })).filter((x) => x.hit !== null);
    return toPage(
      kept,
      limit,
      (x) => [x.row.rank, x.row.created, x.row.id],
      (x) => x.hit!,
    );
  }
}

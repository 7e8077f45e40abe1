import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { groupAccess, readablePosts, visibleUsers } from '@ruche/access';
import { badInput, decodeCursor, isUuid, pageSize, toPage, type Page, type RequestContext, type Viewer } from '@ruche/common';
import { PostsService } from '@ruche/content';
import { GroupsService } from '@ruche/groups';
import { UsersService } from '@ruche/identity';
import { SearchKind, type SearchArgs, type SearchHitValue } from './graphql/search.objects.js';
import { parseSearch, toTsQuery, type ParsedSearch } from './search-query.js';

/** A post's words in both languages: the expression of the index posts_search_idx. */
const POST_DOC = `(to_tsvector('ruche_fr', p.body) || to_tsvector('ruche_en', p.body))`;

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
    const doc = `to_tsvector('ruche_simple', g.name || ' ' || coalesce(g.description, ''))`;
    return {
      sql: `SELECT 'GROUP' AS kind, g.id, ts_rank(${doc}, to_tsquery('ruche_simple', :groupQuery))::real AS rank, g.created_at
              FROM groups g WHERE ${access.list.sql} AND ${doc} @@ to_tsquery('ruche_simple', :groupQuery)`,
      params: { ...access.list.params, groupQuery: query },
    };
  }

  /**
   * Posts in French and English at once (each configuration unaccents, then stems), #hashtags
   * through the tags, @handles through mentions and authors, always AND the read rule.
   */
  private postsOf(viewer: Viewer, p: ParsedSearch): KindQuery | null {
    const query = toTsQuery(p, { withTagsAsWords: false });
    const where: string[] = [];
    if (query) where.push(`${POST_DOC} @@ (to_tsquery('ruche_fr', :postQuery) || to_tsquery('ruche_en', :postQuery))`);
    if (p.hashtags.length) where.push('p.hashtags @> :hashtags::text[]');
    if (p.handles.length) {
      where.push(`EXISTS (SELECT 1 FROM users mu WHERE mu.handle = ANY(:handles) AND (mu.id = p.author_id OR mu.id = ANY(p.mention_ids)))`);
    }
    if (!where.length) return null;
    const rule = readablePosts(viewer, 'p');
    const rank = query ? `ts_rank(${POST_DOC}, to_tsquery('ruche_fr', :postQuery) || to_tsquery('ruche_en', :postQuery))` : '1';
    return {
      sql: `SELECT 'POST' AS kind, p.id, (${rank})::real AS rank, p.created_at
              FROM posts p WHERE ${where.join(' AND ')} AND ${rule.sql}`,
      params: { ...rule.params, postQuery: query, hashtags: p.hashtags, handles: p.handles },
    };
  }

  async search(ctx: RequestContext, viewer: Viewer, args: SearchArgs): Promise<Page<SearchHitValue>> {
    const parsed = parseSearch(args.query);
    const kinds = new Set(args.kinds?.length ? args.kinds : Object.values(SearchKind));
    const parts = [
      kinds.has(SearchKind.USER) ? this.people(viewer, parsed) : null,
      kinds.has(SearchKind.GROUP) ? this.groupsOf(viewer, parsed) : null,
      kinds.has(SearchKind.POST) ? this.postsOf(viewer, parsed) : null,
    ].filter((q): q is KindQuery => q !== null);
    const limit = pageSize(args.first);
    if (!parts.length) return toPage([], limit, () => []);

    const after = decodeCursor(args.after, 3);
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || typeof after[2] !== 'string' || !isUuid(after[2]) || !Number.isFinite(Number(after[0])) || Number.isNaN(Date.parse(after[1])))) {
      throw badInput('after', 'Invalid cursor');
    }
    const sql = `SELECT kind, id, rank::text AS rank, created_at::text AS created
                   FROM (${parts.map((p) => p.sql).join(' UNION ALL ')}) hits
                  ${after ? 'WHERE (rank, created_at, id) < (:afterRank::real, :afterTime::timestamptz, :afterId::uuid)' : ''}
                  ORDER BY rank DESC, created_at DESC, id DESC
                  LIMIT ${limit + 1}`;
    const params: Record<string, unknown> = Object.assign({}, ...parts.map((p) => p.params), after ? { afterRank: after[0], afterTime: after[1], afterId: after[2] } : {}) as Record<string, unknown>;
    const [query, values] = this.db.driver.escapeQueryWithParameters(sql, params);
    const rows: HitRow[] = await this.db.query(query, values);

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
    return toPage(kept, limit, (x) => [x.row.rank, x.row.created, x.row.id], (x) => x.hit!);
  }
}

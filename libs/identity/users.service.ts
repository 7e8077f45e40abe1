import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { HotReads } from '@ruche/database';
import { visibleUsers } from '@ruche/access';
import { FeedService } from '@ruche/feed';
import {
  accessLoader,
  badInput,
  cleanLine,
  conflict,
  decodeCursor,
  fold,
  isUuid,
  notFound,
  pageSize,
  toPage,
  toPrefixQuery,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { UserEntity } from './entities/user.entity.js';
import type { UserObject } from './graphql/user.objects.js';
import type { DirectoryArgs, ProfileInput } from './graphql/user.inputs.js';
import { deriveSearchColumns, toUserObject } from './users.mapper.js';

/** Below this many matches, a search sorts its matches; above, it walks the name index. */
const FEW_MATCHES = 5000;

/** An account as notifications address it. */
export interface Recipient {
  viewer: Viewer;
  email: string;
  displayName: string;
  handle: string;
  locale: 'fr' | 'en';
  timezone: string;
}

/** People: who the viewer may see, the directory, profiles. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly feed: FeedService,
    private readonly hot: HotReads,
  ) {}

  private visible(viewer: Viewer): SelectQueryBuilder<UserEntity> {
    const rule = visibleUsers(viewer, 'u');
    return this.users.createQueryBuilder('u').where(rule.sql, rule.params);
  }

  /** The per-request loader of users by id, honouring the viewer's access (null = not visible). */
  loader(ctx: RequestContext): DataLoader<string, UserObject | null> {
    return accessLoader(ctx, 'users.byId', async (viewer, ids) => {
      const rule = visibleUsers(viewer, 'u');
      const where = `${rule.sql} AND u.id = ANY(CAST(:ids AS uuid[]))`;
      const rows = await this.hot.find(UserEntity, 'u', where, { ...rule.params, ids });
      return rows.map((r) => toUserObject(r.entity));
    });
  }

  async findVisible(
    ctx: RequestContext,
    ref: { id?: string | null; handle?: string | null },
  ): Promise<UserObject | null> {
    if ((ref.id == null) === (ref.handle == null))
      throw badInput('id', 'Give exactly one of id or handle');
    if (ref.id != null) return this.loader(ctx).load(ref.id);
    if (!ctx.viewer) return null;
    const row = await this.visible(ctx.viewer)
      .andWhere('u.handle = :handle', { handle: ref.handle!.trim().toLowerCase() })
      .getOne();
    return row ? toUserObject(row) : null;
  }

  /**
   * The directory: ACTIVE people the viewer may see, by name, with an accent-blind prefix search.
   * With a search, the matches are first collected from the GIN index, capped: when they are few,
   * the page is sorted from them (and their number is the total); when they are many, walking the
   * name index finds a page of them at once. Either way one or two queries.
   */
  async directory(viewer: Viewer, args: DirectoryArgs): Promise<Page<UserObject>> {
    const limit = pageSize(args.first);
    const qb = this.visible(viewer).andWhere("u.status = 'ACTIVE'");
    const prefix = args.query !== undefined ? toPrefixQuery(args.query) : null;
    if (prefix) qb.andWhere("u.search_vector @@ to_tsquery('simple', :prefix)", { prefix });
    const department = cleanLine(args.department);
    if (department) qb.andWhere('lower(u.department) = lower(:department)', { department });
    const counted = qb.clone();
    let total = () => counted.getCount();
    if (prefix) {
      const matches = await qb
        .clone()
        .select('u.id', 'id')
        .limit(FEW_MATCHES + 1)
        .getRawMany<{ id: string }>();
      if (matches.length <= FEW_MATCHES) {
        qb.andWhere('u.id = ANY(:matchIds)', { matchIds: matches.map((m) => m.id) });
        total = () => Promise.resolve(matches.length);
      }
    }
    const after = decodeCursor(args.after, 2);
    if (
      after &&
      (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !isUuid(after[1]))
    )
      throw badInput('after', 'Invalid cursor');
    if (after)
      qb.andWhere('(u.sort_name, u.id) > (:afterName, :afterId)', {
        afterName: after[0],
        afterId: after[1],
      });
    const rows = await qb
      .orderBy('u.sort_name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (r) => [r.sortName, r.id], toUserObject, total);
  }

  /** The signed-in user edits their own profile. */
  async updateProfile(viewer: Viewer, input: ProfileInput): Promise<UserObject> {
    return this.db.transaction(async (manager) => {
      // Manager changes take turns, before any row lock: two people naming each other at once
      // would otherwise both pass the loop check (or deadlock on the manager foreign key).
      if (input.managerId)
        await manager.query("SELECT pg_advisory_xact_lock(hashtext('ruche.users.manager'))");
      const me = await manager.findOneOrFail(UserEntity, {
        where: { id: viewer.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (input.displayName !== undefined) {
        const name = cleanLine(input.displayName);
        if (!name) throw badInput('displayName', 'displayName must not be blank');
        me.displayName = name;
      }
      if (input.handle !== undefined && input.handle !== me.handle) {
        const taken = await manager.existsBy(UserEntity, { handle: input.handle });
        if (taken) throw conflict('handle', 'This handle is taken');
        me.handle = input.handle;
      }
      for (const field of ['jobTitle', 'department', 'location', 'phone'] as const) {
        if (input[field] !== undefined) me[field] = cleanLine(input[field]);
      }
      if (input.bio !== undefined) me.bio = input.bio?.trim() || null;
      if (input.skills !== undefined) me.skills = dedupeSkills(input.skills ?? []);
      if (input.timezone !== undefined && input.timezone !== null) me.timezone = input.timezone;
      if (input.locale !== undefined && input.locale !== null)
        me.locale = input.locale as 'fr' | 'en';
      if ('managerId' in input)
        me.managerId = await this.checkManager(manager, viewer, input.managerId ?? null);
      deriveSearchColumns(me);
      try {
        const saved = toUserObject(await manager.save(me));
        await this.feed.record(manager, { verb: 'UPDATED_PROFILE', actorId: viewer.id });
        return saved;
      } catch (e) {
        if ((e as { constraint?: string }).constraint === 'users_handle_key')
          throw conflict('handle', 'This handle is taken');
        throw e;
      }
    });
  }

  /** A manager must be an ACTIVE member the viewer can see, and no chain may loop back. */
  private async checkManager(
    manager: DataSource['manager'],
    viewer: Viewer,
    managerId: string | null,
  ): Promise<string | null> {
    if (managerId === null) return null;
    if (managerId === viewer.id) throw badInput('managerId', 'You cannot be your own manager');
    const rule = visibleUsers(viewer, 'u');
    const found = await manager
      .createQueryBuilder(UserEntity, 'u')
      .where(rule.sql, rule.params)
      .andWhere('u.id = :managerId', { managerId })
      .andWhere("u.status = 'ACTIVE'")
      .getExists();
    if (!found) throw badInput('managerId', 'The manager must be an active member of the network');
    const loop: unknown[] = await manager.query(
      `WITH RECURSIVE chain(id, depth) AS (
         SELECT manager_id, 1 FROM users WHERE id = $1
         UNION ALL
         SELECT u.manager_id, c.depth + 1 FROM users u JOIN chain c ON u.id = c.id WHERE c.depth < 1000
       ) SELECT 1 FROM chain WHERE id = $2 LIMIT 1`,
      [managerId, viewer.id],
    );
    if (loop.length) throw badInput('managerId', 'This would make a loop of managers');
    return managerId;
  }

  /** Used by the admin mutations: a user the viewer may see, or NOT_FOUND. */
  async requireVisible(viewer: Viewer, id: string): Promise<UserEntity> {
    if (!isUuid(id)) throw notFound('No such user');
    const row = await this.visible(viewer).andWhere('u.id = :id', { id }).getOne();
    if (!row) throw notFound('No such user');
    return row;
  }

  /**
   * The ACTIVE accounts among `ids`, with what a notification needs to reach them (address,
   * language, zone) and to judge what they may read (role, status as a Viewer).
   */
  async recipients(ids: readonly string[]): Promise<Recipient[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const rows = await this.users
      .createQueryBuilder('u')
      .where('u.id IN (:...ids)', { ids: valid })
      .andWhere("u.status = 'ACTIVE'")
      .getMany();
    return rows.map((u) => ({
      viewer: { id: u.id, sessionId: '', role: u.role, status: u.status },
      email: u.email,
      displayName: u.displayName,
      handle: u.handle,
      locale: u.locale === 'fr' ? 'fr' : 'en',
      timezone: u.timezone,
    }));
  }

  /** The ACTIVE accounts among these ids or handles that the viewer may see (mentions, access lists). */
  async visibleActive(
    viewer: Viewer,
    ref: { ids?: string[]; handles?: string[] },
  ): Promise<{ id: string; handle: string }[]> {
    const ids = (ref.ids ?? []).filter(isUuid);
    const handles = ref.handles ?? [];
    if (!ids.length && !handles.length) return [];
    return this.visible(viewer)
      .select(['u.id', 'u.handle'])
      .andWhere("u.status = 'ACTIVE'")
      .andWhere('(u.id = ANY(:refIds::uuid[]) OR u.handle = ANY(:refHandles::text[]))', {
        refIds: ids,
        refHandles: handles,
      })
      .getMany();
  }

  /** The ids of the ACTIVE accounts with these handles (a bot's mentions: the bot sees no one). */
  async activeByHandles(handles: readonly string[]): Promise<string[]> {
    if (!handles.length) return [];
    const rows: { id: string; handle: string }[] = await this.db.query(
      "SELECT id, handle FROM users WHERE status = 'ACTIVE' AND handle = ANY($1::text[])",
      [handles],
    );
    const byHandle = new Map(rows.map((r) => [r.handle, r.id]));
    return handles.flatMap((h) => byHandle.get(h) ?? []);
  }

  /** Is this an ACTIVE account the viewer may see (for follows, mentions, invitations)? */
  async isVisibleActive(viewer: Viewer, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.visible(viewer)
      .andWhere('u.id = :id', { id })
      .andWhere("u.status = 'ACTIVE'")
      .getExists();
  }
}

function dedupeSkills(skills: string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const raw of skills) {
    const skill = cleanLine(raw);
    if (!skill || seen.has(fold(skill))) continue;
    seen.add(fold(skill));
    kept.push(skill);
  }
  return kept;
}

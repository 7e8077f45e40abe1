import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '@ruche/audit';
import { HotReads } from '@ruche/database';
import { groupAccess, visibleUserId } from '@ruche/access';
import {
  accessLoader,
  badInput,
  cleanLine,
  decodeCursor,
  fold,
  isUuid,
  loader,
  notFound,
  pageSize,
  toPage,
  toPrefixQuery,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { FeedService } from '@ruche/feed';
import { UsersService } from '@ruche/identity';
import { NotifyService } from '@ruche/notify';
import { GroupMembershipEntity } from './entities/group-membership.entity.js';
import { GroupEntity } from './entities/group.entity.js';
import { GroupErrors } from './groups.errors.js';
import {
  beyond,
  DEFAULT_MATRIX,
  permissionsOf,
  ROLES,
  slugify,
  touched,
  type GroupPermissionName,
  type GroupRoleName,
} from './groups.rules.js';
import type {
  CreateGroupInput,
  GroupsArgs,
  MembersArgs,
  UpdateGroupInput,
} from './graphql/group.inputs.js';
import {
  MembershipStatus,
  type GroupObject,
  type GroupRole,
  type GroupVisibility,
  type JoinPolicy,
  type MembershipObject,
} from './graphql/group.objects.js';

interface Flags {
  can_list: boolean;
  can_read: boolean;
}

/** A group as the viewer knows it, with the viewer's own membership, for the mutations. */
interface Place {
  group: GroupEntity;
  membership: GroupMembershipEntity | null;
  permissions: GroupPermissionName[];
}

export function toGroupObject(g: GroupEntity, flags: Flags): GroupObject {
  return {
    id: g.id,
    slug: g.slug,
    name: g.name,
    descriptionText: g.description,
    visibility: g.visibility as GroupVisibility,
    joinPolicy: g.joinPolicy as JoinPolicy,
    archived: g.archivedAt !== null,
    createdAt: g.createdAt,
    parentId: g.parentId,
    matrix: g.permissions,
    canList: flags.can_list,
    canRead: flags.can_read,
  };
}

export function toMembershipObject(m: GroupMembershipEntity): MembershipObject {
  return {
    userId: m.userId,
    groupId: m.groupId,
    role: m.role as GroupRole,
    status: m.status as MembershipStatus,
    createdAt: m.createdAt,
  };
}

/** What an ACTIVE member may do in a group right now (nothing in an archived group). */
function permissionsIn(
  group: GroupEntity,
  membership: GroupMembershipEntity | null,
): GroupPermissionName[] {
  if (!membership || membership.status !== 'ACTIVE' || group.archivedAt) return [];
  return permissionsOf(membership.role, group.permissions);
}

const emptyPage = <T>(): Page<T> => ({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, endCursor: null },
  totalCount: () => Promise.resolve(0),
});

/** Groups, memberships and each group's permission matrix. Who sees what comes from @ruche/access. */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly notify: NotifyService,
    private readonly feed: FeedService,
    private readonly hot: HotReads,
    private readonly audit: AuditService,
  ) {}

  /** `userId` became an ACTIVE member: the JOINED_GROUP activity, in the same transaction. */
  private joined(manager: EntityManager, userId: string, groupId: string): Promise<string> {
    return this.feed.record(manager, { verb: 'JOINED_GROUP', actorId: userId, groupId });
  }

  /** Groups the viewer may see, each with its access flags selected in the same query. */
  private seen(
    viewer: Viewer,
    manager: EntityManager = this.db.manager,
  ): SelectQueryBuilder<GroupEntity> {
    const access = groupAccess(viewer, 'g');
    return manager
      .createQueryBuilder(GroupEntity, 'g')
      .addSelect(access.list.sql, 'can_list')
      .addSelect(access.read.sql, 'can_read')
      .where(access.see.sql, access.see.params)
      .setParameters({ ...access.list.params, ...access.read.params });
  }

  private async run(qb: SelectQueryBuilder<GroupEntity>): Promise<GroupObject[]> {
    const { entities, raw } = await qb.getRawAndEntities<Flags & { g_id: string }>();
    const flags = new Map(raw.map((r) => [r.g_id, r]));
    return entities.map((g) => toGroupObject(g, flags.get(g.id)!));
  }

  /** The per-request loader of groups by id, through the viewer's access (null = not visible). */
  loader(ctx: RequestContext): DataLoader<string, GroupObject | null> {
    return accessLoader(ctx, 'groups.byId', async (viewer, ids) => {
      const access = groupAccess(viewer, 'g');
      const where = `${access.see.sql} AND g.id = ANY(CAST(:ids AS uuid[]))`;
      const params = { ...access.see.params, ...access.list.params, ...access.read.params, ids };
      const rows = await this.hot.find(GroupEntity, 'g', where, params, {
        can_list: access.list.sql,
        can_read: access.read.sql,
      });
      return rows.map((r) => toGroupObject(r.entity, r.extra as unknown as Flags));
    });
  }

  async find(
    ctx: RequestContext,
    ref: { id?: string | null; slug?: string | null },
  ): Promise<GroupObject | null> {
    if ((ref.id == null) === (ref.slug == null))
      throw badInput('id', 'Give exactly one of id or slug');
    if (ref.id != null) return this.loader(ctx).load(ref.id);
    if (!ctx.viewer) return null;
    const [row] = await this.run(
      this.seen(ctx.viewer).andWhere('g.slug = :slug', { slug: ref.slug!.trim().toLowerCase() }),
    );
    return row ?? null;
  }

  /** A group the viewer may see, read fresh (mutation results), or NOT_FOUND. */
  async get(viewer: Viewer, id: string): Promise<GroupObject> {
    const [row] = await this.run(this.seen(viewer).andWhere('g.id = :id', { id }));
    if (!row) throw GroupErrors.notFound();
    return row;
  }

  /**
   * The groups the viewer may see, by name: one query for the page (plus one for totalCount when
   * asked), whatever the depth of nesting.
   */
  async list(viewer: Viewer, args: GroupsArgs): Promise<Page<GroupObject>> {
    const qb = this.seen(viewer);
    if (args.memberOnly) {
      qb.andWhere(
        "EXISTS (SELECT 1 FROM group_memberships mo WHERE mo.group_id = g.id AND mo.user_id = :listViewerId AND mo.status = 'ACTIVE')",
        { listViewerId: viewer.id },
      );
    }
    if (args.parentId) {
      const parent = groupAccess(viewer, 'pg');
      qb.andWhere('g.parent_id = :parentId', { parentId: args.parentId });
      qb.andWhere(`EXISTS (SELECT 1 FROM groups pg WHERE pg.id = :parentId AND ${parent.see.sql})`);
    }
    const prefix =
      args.query !== undefined && args.query !== null ? toPrefixQuery(args.query) : null;
    if (prefix)
      qb.andWhere("to_tsvector('simple', g.sort_name) @@ to_tsquery('simple', :prefix)", {
        prefix,
      });
    return this.page(qb, args);
  }

  /**
   * First pages of sub-groups for every group of a listing, in one query: the visible children of
   * all the parents asked for, sliced per parent (their number is each parent's totalCount).
   * The parents were resolved through the viewer's access already.
   */
  subgroupsLoader(ctx: RequestContext, first: number): DataLoader<string, Page<GroupObject>> {
    return loader(ctx, `groups.subgroups.${first}`, () => {
      const viewer = ctx.viewer;
      return new DataLoader<string, Page<GroupObject>>(async (parentIds) => {
        const rows = viewer
          ? await this.run(
              this.seen(viewer)
                .andWhere('g.parent_id IN (:...parentIds)', { parentIds: [...parentIds] })
                .orderBy('g.sort_name', 'ASC')
                .addOrderBy('g.id', 'ASC'),
            )
          : [];
        return parentIds.map((parentId) => {
          const children = rows.filter((r) => r.parentId === parentId);
          return toPage(
            children.slice(0, first + 1),
            first,
            (r) => [fold(r.name), r.id],
            (r) => r,
            () => Promise.resolve(children.length),
          );
        });
      });
    });
  }

  /** The groups `userId` ACTIVEly belongs to whose members list the viewer may read. */
  async groupsOf(
    viewer: Viewer,
    userId: string,
    args: { first?: number; after?: string },
  ): Promise<Page<GroupObject>> {
    const access = groupAccess(viewer, 'g');
    const qb = this.seen(viewer)
      .andWhere(access.read.sql)
      .andWhere(
        "EXISTS (SELECT 1 FROM group_memberships mu WHERE mu.group_id = g.id AND mu.user_id = :memberId AND mu.status = 'ACTIVE')",
        { memberId: userId },
      );
    return this.page(qb, args);
  }

  private async page(
    qb: SelectQueryBuilder<GroupEntity>,
    args: { first?: number; after?: string },
  ): Promise<Page<GroupObject>> {
    const limit = pageSize(args.first);
    const total = qb.clone();
    const after = decodeCursor(args.after, 2);
    if (after)
      qb.andWhere('(g.sort_name, g.id) > (:afterName, :afterId)', {
        afterName: after[0],
        afterId: after[1],
      });
    const rows = await this.run(
      qb
        .orderBy('g.sort_name', 'ASC')
        .addOrderBy('g.id', 'ASC')
        .limit(limit + 1),
    );
    return toPage(
      rows,
      limit,
      (r) => [fold(r.name), r.id],
      (r) => r,
      () => total.getCount(),
    );
  }

  /** A group's memberships, for those who may read its content; requests and invitations only to those who handle them. */
  async members(
    ctx: RequestContext,
    group: GroupObject,
    args: MembersArgs,
  ): Promise<Page<MembershipObject>> {
    const viewer = ctx.viewer;
    if (!viewer || !group.canRead) return emptyPage();
    const status = args.status ?? MembershipStatus.ACTIVE;
    if (status !== MembershipStatus.ACTIVE) {
      const mine = await this.viewerMemberships(ctx).load(group.id);
      const held =
        mine?.status === MembershipStatus.ACTIVE && !group.archived
          ? permissionsOf(mine.role, group.matrix)
          : [];
      if (!held.includes(status === MembershipStatus.PENDING ? 'APPROVE_MEMBERS' : 'INVITE'))
        return emptyPage();
    }
    const seeUser = visibleUserId(viewer, 'm.user_id');
    const qb = this.db.manager
      .createQueryBuilder(GroupMembershipEntity, 'm')
      .addSelect('m.created_at::text', 'created_key')
      .where('m.group_id = :groupId', { groupId: group.id })
      .andWhere('m.status = :status', { status })
      .andWhere(seeUser.sql, seeUser.params);
    if (args.role) qb.andWhere('m.role = :role', { role: args.role });
    const total = qb.clone();
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 2);
    if (after)
      qb.andWhere('(m.created_at, m.user_id) > (:afterAt::timestamptz, :afterUser::uuid)', {
        afterAt: after[0],
        afterUser: after[1],
      });
    const { entities, raw } = await qb
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.user_id', 'ASC')
      .limit(limit + 1)
      .getRawAndEntities<{ m_user_id: string; created_key: string }>();
    const keys = new Map(raw.map((r) => [r.m_user_id, r.created_key]));
    return toPage(
      entities,
      limit,
      (m) => [keys.get(m.userId)!, m.userId],
      toMembershipObject,
      () => total.getCount(),
    );
  }

  /** ACTIVE member counts, batched per request. */
  membersCount(ctx: RequestContext): DataLoader<string, number> {
    return loader(
      ctx,
      'groups.membersCount',
      () =>
        new DataLoader<string, number>(async (ids) => {
          const rows: { group_id: string; n: number }[] = await this.db.query(
            `SELECT group_id, count(*)::int AS n FROM group_memberships WHERE group_id = ANY($1::uuid[]) AND status = 'ACTIVE' GROUP BY group_id`,
            [ids],
          );
          const byId = new Map(rows.map((r) => [r.group_id, r.n]));
          return ids.map((id) => byId.get(id) ?? 0);
        }),
    );
  }

  /** The viewer's own membership (any status) in each group, batched per request. */
  viewerMemberships(ctx: RequestContext): DataLoader<string, MembershipObject | null> {
    return loader(
      ctx,
      'groups.viewerMembership',
      () =>
        new DataLoader<string, MembershipObject | null>(async (ids) => {
          if (!ctx.viewer) return ids.map(() => null);
          const rows = await this.hot.db.manager
            .createQueryBuilder(GroupMembershipEntity, 'm')
            .where('m.user_id = :userId', { userId: ctx.viewer.id })
            .andWhere('m.group_id = ANY(CAST(:ids AS uuid[]))', { ids })
            .getMany();
          const byId = new Map(rows.map((r) => [r.groupId, toMembershipObject(r)]));
          return ids.map((id) => byId.get(id) ?? null);
        }),
    );
  }

  /**
   * The viewer's standing in a group, for other domains' mutations: the group as the viewer sees
   * it, the role of an ACTIVE membership and what it allows right now; null when the group does
   * not exist for the viewer.
   */
  async standing(
    viewer: Viewer,
    groupId: string,
  ): Promise<{
    group: GroupObject;
    role: GroupRoleName | null;
    permissions: GroupPermissionName[];
  } | null> {
    if (!isUuid(groupId)) return null;
    const [group] = await this.run(this.seen(viewer).andWhere('g.id = :groupId', { groupId }));
    if (!group) return null;
    const m = await this.db.manager.findOneBy(GroupMembershipEntity, {
      groupId,
      userId: viewer.id,
    });
    if (!m || m.status !== 'ACTIVE') return { group, role: null, permissions: [] };
    return {
      group,
      role: m.role,
      permissions: group.archived ? [] : permissionsOf(m.role, group.matrix),
    };
  }

  /** What the viewer may do in the group right now: read on every request, never cached. */
  async viewerPermissions(ctx: RequestContext, group: GroupObject): Promise<GroupPermissionName[]> {
    const mine = await this.viewerMemberships(ctx).load(group.id);
    if (!mine || mine.status !== MembershipStatus.ACTIVE || group.archived) return [];
    return permissionsOf(mine.role, group.matrix);
  }

  // ------------------------------------------------------------------ mutations

  /** Loads the group (locked for the transaction) and the viewer's membership, or NOT_FOUND. */
  private async place(manager: EntityManager, viewer: Viewer, groupId: string): Promise<Place> {
    const [row] = await this.seen(viewer, manager)
      .andWhere('g.id = :groupId', { groupId })
      .getMany();
    if (!row) throw GroupErrors.notFound();
    // Serializes the changes of one group (last owner, roles, matrix) without locking the ancestors.
    const group = await manager
      .createQueryBuilder(GroupEntity, 'g')
      .where('g.id = :groupId', { groupId })
      .setLock('pessimistic_write')
      .getOneOrFail();
    const membership = await manager.findOneBy(GroupMembershipEntity, {
      groupId,
      userId: viewer.id,
    });
    return { group, membership, permissions: permissionsIn(group, membership) };
  }

  private need(place: Place, permission: GroupPermissionName): void {
    if (place.group.archivedAt) throw GroupErrors.archived();
    if (!place.permissions.includes(permission)) throw GroupErrors.lacks(permission);
  }

  async create(viewer: Viewer, input: CreateGroupInput): Promise<GroupObject> {
    const name = cleanLine(input.name);
    if (!name) throw badInput('name', 'name must not be blank');
    const id = await this.db.transaction(async (manager) => {
      let path: string[] = [];
      if (input.parentId) {
        const parent = await this.place(manager, viewer, input.parentId);
        this.need(parent, 'CREATE_SUBGROUP');
        path = [...parent.group.path, parent.group.id];
      } else if (viewer.role === 'GUEST') {
        throw GroupErrors.guestTopLevel();
      }
      const slug = input.slug ?? (await this.freeSlug(manager, slugify(name)));
      if (input.slug && (await manager.existsBy(GroupEntity, { slug })))
        throw GroupErrors.slugTaken();
      const group = manager.create(GroupEntity, {
        slug,
        name,
        sortName: fold(name),
        description: input.description?.trim() || null,
        visibility: input.visibility,
        joinPolicy: input.joinPolicy,
        parentId: input.parentId ?? null,
        path,
        permissions: DEFAULT_MATRIX,
        archivedAt: null,
        createdById: viewer.id,
      });
      try {
        await manager.save(group);
      } catch (e) {
        if ((e as { constraint?: string }).constraint === 'groups_slug_key')
          throw GroupErrors.slugTaken();
        throw e;
      }
      await manager.insert(GroupMembershipEntity, {
        groupId: group.id,
        userId: viewer.id,
        role: 'OWNER',
        status: 'ACTIVE',
        invitedById: null,
      });
      await this.feed.record(manager, {
        verb: 'CREATED_GROUP',
        actorId: viewer.id,
        groupId: group.id,
      });
      return group.id;
    });
    return this.get(viewer, id);
  }

  private async freeSlug(manager: EntityManager, base: string): Promise<string> {
    const rows: { slug: string }[] = await manager.query(
      `SELECT slug FROM groups WHERE slug = $1 OR slug LIKE $2`,
      [base, `${base}-%`],
    );
    const taken = new Set(rows.map((r) => r.slug));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  async update(viewer: Viewer, id: string, input: UpdateGroupInput): Promise<GroupObject> {
    await this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, id);
      this.need(place, 'MANAGE_SETTINGS');
      const g = place.group;
      if (input.name !== undefined && input.name !== null) {
        const name = cleanLine(input.name);
        if (!name) throw badInput('name', 'name must not be blank');
        g.name = name;
        g.sortName = fold(name);
      }
      if (input.description !== undefined) g.description = input.description?.trim() || null;
      const before = { visibility: g.visibility, joinPolicy: g.joinPolicy };
      if (input.visibility) g.visibility = input.visibility;
      if (input.joinPolicy) g.joinPolicy = input.joinPolicy;
      await manager.save(g);
      const changes = (['visibility', 'joinPolicy'] as const).filter((k) => before[k] !== g[k]);
      if (changes.length)
        await this.audit.record(
          {
            action: 'group.access-changed',
            actorId: viewer.id,
            targetType: 'group',
            targetId: id,
            details: Object.fromEntries(changes.map((k) => [k, { from: before[k], to: g[k] }])),
          },
          manager,
        );
    });
    return this.get(viewer, id);
  }

  async archive(viewer: Viewer, id: string): Promise<GroupObject> {
    await this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, id);
      if (place.group.archivedAt) return;
      this.need(place, 'MANAGE_SETTINGS');
      await manager.update(GroupEntity, { id }, { archivedAt: new Date() });
      await this.audit.record(
        { action: 'group.archived', actorId: viewer.id, targetType: 'group', targetId: id },
        manager,
      );
    });
    return this.get(viewer, id);
  }

  // ------------------------------------------- the `ruche` operator's commands (no viewer)

  private async bySlug(manager: EntityManager, slug: string): Promise<GroupEntity> {
    const group = await manager
      .createQueryBuilder(GroupEntity, 'g')
      .where('g.slug = :slug', { slug: slug.trim().toLowerCase() })
      .setLock('pessimistic_write')
      .getOne();
    if (!group) throw badInput('slug', `No group has the slug ${slug.slice(0, 100)}`);
    return group;
  }

  /**
   * `ruche archive-group`: the group becomes read-only whatever its visibility — the way IT acts
   * on a group no admin can see. Returns false when it already was.
   */
  async operatorArchive(slug: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const group = await this.bySlug(manager, slug);
      if (group.archivedAt) return false;
      await manager.update(GroupEntity, { id: group.id }, { archivedAt: new Date() });
      await this.audit.record(
        {
          action: 'group.archived',
          actorId: null,
          targetType: 'group',
          targetId: group.id,
          details: { command: 'archive-group', operator: true, slug: group.slug },
        },
        manager,
      );
      return true;
    });
  }

  /**
   * `ruche hand-over-group`: `userId` becomes an ACTIVE OWNER of the group (a membership is made
   * or raised); the other members keep their roles.
   */
  async operatorHandOver(slug: string, userId: string): Promise<{ groupId: string }> {
    return this.db.transaction(async (manager) => {
      const group = await this.bySlug(manager, slug);
      const existing = await manager.findOneBy(GroupMembershipEntity, {
        groupId: group.id,
        userId,
      });
      const before = existing ? { role: existing.role, status: existing.status } : null;
      if (existing) {
        const wasActive = existing.status === 'ACTIVE';
        existing.role = 'OWNER';
        existing.status = 'ACTIVE';
        await manager.save(existing);
        if (!wasActive) await this.joined(manager, userId, group.id);
      } else {
        await manager.insert(GroupMembershipEntity, {
          groupId: group.id,
          userId,
          role: 'OWNER',
          status: 'ACTIVE',
          invitedById: null,
        });
        await this.joined(manager, userId, group.id);
      }
      await this.audit.record(
        {
          action: 'group.owner-changed',
          actorId: null,
          targetType: 'group',
          targetId: group.id,
          details: {
            command: 'hand-over-group',
            operator: true,
            slug: group.slug,
            userId,
            from: before,
            to: { role: 'OWNER', status: 'ACTIVE' },
          },
        },
        manager,
      );
      return { groupId: group.id };
    });
  }

  async setRolePermissions(
    viewer: Viewer,
    groupId: string,
    role: GroupRoleName,
    permissions: GroupPermissionName[],
  ): Promise<GroupObject> {
    if (role === 'OWNER') throw badInput('role', 'OWNER always holds every permission');
    await this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      this.need(place, 'MANAGE_ROLES');
      const before = permissionsOf(role, place.group.permissions);
      const after = permissionsOf(role, { [role]: permissions });
      const outside = beyond(place.permissions, touched(before, after));
      if (outside.length) throw GroupErrors.cannotGrant(outside);
      await manager.update(
        GroupEntity,
        { id: groupId },
        { permissions: { ...place.group.permissions, [role]: after } },
      );
      await this.audit.record(
        {
          action: 'group.permissions-changed',
          actorId: viewer.id,
          targetType: 'group',
          targetId: groupId,
          details: { role, from: before, to: after },
        },
        manager,
      );
    });
    return this.get(viewer, groupId);
  }

  async join(viewer: Viewer, groupId: string): Promise<MembershipObject> {
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      const mine = place.membership;
      if (mine?.status === 'INVITED') {
        if (place.group.archivedAt) throw GroupErrors.archived();
        mine.status = 'ACTIVE';
        await this.joined(manager, viewer.id, groupId);
        return toMembershipObject(await manager.save(mine));
      }
      if (mine) return toMembershipObject(mine);
      if (place.group.archivedAt) throw GroupErrors.archived();
      const policy = place.group.joinPolicy;
      if (policy === 'INVITE')
        throw place.group.visibility === 'SECRET'
          ? GroupErrors.notFound()
          : GroupErrors.inviteOnly();
      const joined = manager.create(GroupMembershipEntity, {
        groupId,
        userId: viewer.id,
        role: viewer.role === 'GUEST' ? 'GUEST' : 'MEMBER',
        status: policy === 'OPEN' ? 'ACTIVE' : 'PENDING',
        invitedById: null,
      });
      const saved = toMembershipObject(await manager.save(joined));
      if (joined.status === 'ACTIVE') await this.joined(manager, viewer.id, groupId);
      if (joined.status === 'PENDING') {
        const recipientIds = await this.approvers(manager, place.group);
        await this.notify.emit(manager, {
          type: 'GROUP_JOIN_REQUEST',
          actorId: viewer.id,
          groupId,
          recipientIds,
        });
      }
      return saved;
    });
  }

  async leave(viewer: Viewer, groupId: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      const mine = place.membership;
      if (!mine) return false;
      if (
        mine.role === 'OWNER' &&
        mine.status === 'ACTIVE' &&
        (await this.otherOwners(manager, groupId, viewer.id)) === 0
      ) {
        throw GroupErrors.lastOwner('groupId');
      }
      await manager.delete(GroupMembershipEntity, { groupId, userId: viewer.id });
      return true;
    });
  }

  /** The ACTIVE members who may approve requests, by the group's matrix (OWNER always may). */
  private async approvers(manager: EntityManager, group: GroupEntity): Promise<string[]> {
    const roles = ROLES.filter((r) =>
      permissionsOf(r, group.permissions).includes('APPROVE_MEMBERS'),
    );
    const rows: { user_id: string }[] = await manager.query(
      `SELECT user_id FROM group_memberships WHERE group_id = $1 AND status = 'ACTIVE' AND role = ANY($2::text[])`,
      [group.id, roles],
    );
    return rows.map((r) => r.user_id);
  }

  private otherOwners(manager: EntityManager, groupId: string, userId: string): Promise<number> {
    return manager
      .createQueryBuilder(GroupMembershipEntity, 'm')
      .where(
        "m.group_id = :groupId AND m.user_id <> :userId AND m.role = 'OWNER' AND m.status = 'ACTIVE'",
        { groupId, userId },
      )
      .getCount();
  }

  /** May the holder of `place` give `role` (or take it away from someone)? */
  private checkRole(place: Place, role: GroupRoleName): void {
    if (role === 'OWNER') {
      if (place.membership?.role !== 'OWNER') throw GroupErrors.ownersOnly();
      return;
    }
    if (beyond(place.permissions, permissionsOf(role, place.group.permissions)).length)
      throw GroupErrors.outranks();
  }

  async invite(
    viewer: Viewer,
    groupId: string,
    userIds: string[],
    role: GroupRoleName | undefined,
  ): Promise<MembershipObject[]> {
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      this.need(place, 'INVITE');
      if (role !== undefined && role !== null) {
        if (role !== 'MEMBER' && role !== 'GUEST') this.need(place, 'MANAGE_ROLES');
        this.checkRole(place, role);
      }
      const out: MembershipObject[] = [];
      for (const userId of [...new Set(userIds)]) {
        if (userId === viewer.id) throw badInput('userIds', 'You cannot invite yourself');
        const user = await this.users.requireVisible(viewer, userId).catch(() => null);
        if (!user || user.status !== 'ACTIVE') throw notFound('No such user');
        const existing = await manager.findOneBy(GroupMembershipEntity, { groupId, userId });
        if (existing) {
          // An invitation answers a pending request when the inviter may approve it.
          if (existing.status === 'PENDING' && place.permissions.includes('APPROVE_MEMBERS')) {
            existing.status = 'ACTIVE';
            await manager.save(existing);
            await this.joined(manager, userId, groupId);
          }
          out.push(toMembershipObject(existing));
          continue;
        }
        const created = manager.create(GroupMembershipEntity, {
          groupId,
          userId,
          role: role ?? (user.role === 'GUEST' ? 'GUEST' : 'MEMBER'),
          status: 'INVITED',
          invitedById: viewer.id,
        });
        out.push(toMembershipObject(await manager.save(created)));
        await this.notify.emit(manager, {
          type: 'GROUP_INVITATION',
          actorId: viewer.id,
          groupId,
          recipientIds: [userId],
        });
      }
      return out;
    });
  }

  async respond(
    viewer: Viewer,
    groupId: string,
    accept: boolean,
  ): Promise<MembershipObject | null> {
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      const mine = place.membership;
      if (mine?.status !== 'INVITED') throw GroupErrors.noInvitation();
      if (!accept) {
        await manager.delete(GroupMembershipEntity, { groupId, userId: viewer.id });
        return null;
      }
      if (place.group.archivedAt) throw GroupErrors.archived();
      mine.status = 'ACTIVE';
      await this.joined(manager, viewer.id, groupId);
      return toMembershipObject(await manager.save(mine));
    });
  }

  /** Approves (ACTIVE) or rejects (deleted) a PENDING request. */
  async decide(
    viewer: Viewer,
    groupId: string,
    userId: string,
    approve: boolean,
  ): Promise<MembershipObject | null> {
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      this.need(place, 'APPROVE_MEMBERS');
      const target = await manager.findOneBy(GroupMembershipEntity, { groupId, userId });
      if (target?.status !== 'PENDING') throw GroupErrors.noSuchMember();
      if (!approve) {
        await manager.delete(GroupMembershipEntity, { groupId, userId });
        return null;
      }
      target.status = 'ACTIVE';
      const saved = toMembershipObject(await manager.save(target));
      await this.joined(manager, userId, groupId);
      await this.notify.emit(manager, {
        type: 'GROUP_JOIN_APPROVED',
        actorId: viewer.id,
        groupId,
        recipientIds: [userId],
      });
      return saved;
    });
  }

  async setMemberRole(
    viewer: Viewer,
    groupId: string,
    userId: string,
    role: GroupRoleName,
  ): Promise<MembershipObject> {
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      this.need(place, 'MANAGE_ROLES');
      const target = await manager.findOneBy(GroupMembershipEntity, { groupId, userId });
      if (!target) throw GroupErrors.noSuchMember();
      if (target.role === role) return toMembershipObject(target);
      this.checkRole(place, target.role);
      this.checkRole(place, role);
      if (
        target.role === 'OWNER' &&
        target.status === 'ACTIVE' &&
        (await this.otherOwners(manager, groupId, userId)) === 0
      ) {
        throw GroupErrors.lastOwner('role');
      }
      const from = target.role;
      target.role = role;
      const saved = toMembershipObject(await manager.save(target));
      await this.audit.record(
        {
          action:
            from === 'OWNER' || role === 'OWNER' ? 'group.owner-changed' : 'group.role-changed',
          actorId: viewer.id,
          targetType: 'group',
          targetId: groupId,
          details: { userId, from, to: role },
        },
        manager,
      );
      return saved;
    });
  }

  /**
   * Single sign-on's group claim: makes the account an ACTIVE member of the groups with these slugs,
   * whatever their visibility and join policy (the company's directory decides), archived ones
   * left out; an invitation or a request waiting there is accepted. Never removes a membership.
   * Returns the ids of the groups joined now.
   */
  async joinFromDirectory(
    userId: string,
    networkRole: 'ADMIN' | 'MEMBER' | 'GUEST',
    slugs: string[],
  ): Promise<string[]> {
    if (!slugs.length) return [];
    return this.db.transaction(async (manager) => {
      const groups: { id: string }[] = await manager.query(
        'SELECT id FROM groups WHERE slug = ANY($1::text[]) AND archived_at IS NULL',
        [[...new Set(slugs)]],
      );
      const joined: string[] = [];
      for (const { id: groupId } of groups) {
        const existing = await manager.findOne(GroupMembershipEntity, {
          where: { groupId, userId },
          lock: { mode: 'pessimistic_write' },
        });
        if (existing?.status === 'ACTIVE') continue;
        if (existing) {
          existing.status = 'ACTIVE';
          await manager.save(existing);
        } else {
          await manager
            .createQueryBuilder()
            .insert()
            .into(GroupMembershipEntity)
            .values({
              groupId,
              userId,
              role: networkRole === 'GUEST' ? 'GUEST' : 'MEMBER',
              status: 'ACTIVE',
              invitedById: null,
            })
            .orIgnore()
            .execute();
        }
        await this.joined(manager, userId, groupId);
        joined.push(groupId);
      }
      return joined;
    });
  }

  async removeMember(viewer: Viewer, groupId: string, userId: string): Promise<boolean> {
    if (userId === viewer.id) throw badInput('userId', 'Use leaveGroup to leave a group');
    return this.db.transaction(async (manager) => {
      const place = await this.place(manager, viewer, groupId);
      this.need(place, 'MODERATE');
      const target = await manager.findOneBy(GroupMembershipEntity, { groupId, userId });
      if (!target) throw GroupErrors.noSuchMember();
      this.checkRole(place, target.role);
      await manager.delete(GroupMembershipEntity, { groupId, userId });
      return true;
    });
  }
}

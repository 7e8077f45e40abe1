import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Ctx,
  CurrentViewer,
  notFound,
  PageArgs,
  pageSize,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { UserObject, UsersService } from '@ruche/identity';
import { GroupErrors } from './groups.errors.js';
import { fullMatrix } from './groups.rules.js';
import { GroupsService } from './groups.service.js';
import {
  CreateGroupInput,
  GroupIdArgs,
  GroupRefArgs,
  GroupsArgs,
  IdArgs,
  InviteArgs,
  MemberArgs,
  MembersArgs,
  RespondArgs,
  SetMemberRoleArgs,
  SetPermissionsArgs,
  UpdateGroupInput,
} from './graphql/group.inputs.js';
import {
  GroupConnection,
  GroupObject,
  GroupPermission,
  MembershipConnection,
  MembershipObject,
  RolePermissionsObject,
} from './graphql/group.objects.js';

const emptyPage = <T>(): Page<T> => ({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, endCursor: null },
  totalCount: () => Promise.resolve(0),
});

@Resolver(() => GroupObject)
export class GroupsResolver {
  constructor(private readonly service: GroupsService) {}

  @Query(() => GroupObject, { nullable: true })
  group(@Args() args: GroupRefArgs, @Ctx() ctx: RequestContext): Promise<GroupObject | null> {
    return this.service.find(ctx, args);
  }

  @Query(() => GroupConnection, {
    description:
      "Groups the viewer may see, at every depth; memberOnly = those the viewer actively belongs to; parentId = only that group's direct sub-groups.",
  })
  groups(@Args() args: GroupsArgs, @CurrentViewer() viewer: Viewer): Promise<Page<GroupObject>> {
    return this.service.list(viewer, args);
  }

  @Mutation(() => GroupObject)
  createGroup(
    @Args('input') input: CreateGroupInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<GroupObject> {
    return this.service.create(viewer, input);
  }

  @Mutation(() => GroupObject)
  updateGroup(
    @Args() { id }: IdArgs,
    @Args('input') input: UpdateGroupInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<GroupObject> {
    return this.service.update(viewer, id, input);
  }

  @Mutation(() => GroupObject)
  archiveGroup(@Args() { id }: IdArgs, @CurrentViewer() viewer: Viewer): Promise<GroupObject> {
    return this.service.archive(viewer, id);
  }

  @Mutation(() => GroupObject, {
    description: "Managers define who may do what: replaces one role's permissions in this group.",
  })
  setGroupRolePermissions(
    @Args() args: SetPermissionsArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<GroupObject> {
    return this.service.setRolePermissions(viewer, args.groupId, args.role, args.permissions);
  }

  @Mutation(() => MembershipObject, {
    description:
      'OPEN: ACTIVE at once; REQUEST: PENDING; INVITE: NOT_FOUND for a secret group, FORBIDDEN otherwise.',
  })
  joinGroup(
    @Args() { groupId }: GroupIdArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MembershipObject> {
    return this.service.join(viewer, groupId);
  }

  @Mutation(() => Boolean)
  leaveGroup(@Args() { groupId }: GroupIdArgs, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.service.leave(viewer, groupId);
  }

  @Mutation(() => [MembershipObject])
  inviteToGroup(
    @Args() args: InviteArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MembershipObject[]> {
    return this.service.invite(viewer, args.groupId, args.userIds, args.role);
  }

  @Mutation(() => MembershipObject, { nullable: true })
  respondToGroupInvitation(
    @Args() args: RespondArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MembershipObject | null> {
    return this.service.respond(viewer, args.groupId, args.accept);
  }

  @Mutation(() => MembershipObject)
  async approveMembership(
    @Args() args: MemberArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MembershipObject> {
    return (await this.service.decide(viewer, args.groupId, args.userId, true))!;
  }

  @Mutation(() => Boolean)
  async rejectMembership(
    @Args() args: MemberArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<boolean> {
    await this.service.decide(viewer, args.groupId, args.userId, false);
    return true;
  }

  @Mutation(() => MembershipObject)
  setMemberRole(
    @Args() args: SetMemberRoleArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<MembershipObject> {
    return this.service.setMemberRole(viewer, args.groupId, args.userId, args.role);
  }

  @Mutation(() => Boolean)
  removeMember(@Args() args: MemberArgs, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.service.removeMember(viewer, args.groupId, args.userId);
  }

  @ResolveField(() => String, { nullable: true })
  description(group: GroupObject): string | null {
    return group.canList ? group.descriptionText : null;
  }

  @ResolveField(() => GroupObject, {
    nullable: true,
    description: 'The enclosing sub-network, when the viewer may see it.',
  })
  parent(group: GroupObject, _args: unknown, ctx: RequestContext): Promise<GroupObject | null> {
    return group.parentId ? this.service.loader(ctx).load(group.parentId) : Promise.resolve(null);
  }

  @ResolveField(() => GroupConnection)
  subgroups(
    @Parent() group: GroupObject,
    @Args() args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<GroupObject>> {
    if (!ctx.viewer) return Promise.resolve(emptyPage());
    // First pages of every group in a listing come in one batched query; later pages one by one.
    if (args.after === undefined || args.after === null)
      return this.service.subgroupsLoader(ctx, pageSize(args.first)).load(group.id);
    return this.service.list(ctx.viewer, { ...args, parentId: group.id });
  }

  @ResolveField(() => Int, { description: 'ACTIVE members; 0 for those who know only the name.' })
  async membersCount(group: GroupObject, _args: unknown, ctx: RequestContext): Promise<number> {
    return group.canList ? this.service.membersCount(ctx).load(group.id) : 0;
  }

  @ResolveField(() => MembershipObject, {
    nullable: true,
    description: 'Null when the viewer has no membership (of any status).',
  })
  viewerMembership(
    group: GroupObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<MembershipObject | null> {
    return this.service.viewerMemberships(ctx).load(group.id);
  }

  @ResolveField(() => [GroupPermission], { description: 'What the viewer may do here right now.' })
  viewerPermissions(
    group: GroupObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<GroupPermission[]> {
    return this.service.viewerPermissions(ctx, group) as Promise<GroupPermission[]>;
  }

  @ResolveField(() => MembershipConnection, {
    description: "Readable by those who may read the group's content.",
  })
  members(
    @Parent() group: GroupObject,
    @Args() args: MembersArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<MembershipObject>> {
    return this.service.members(ctx, group, args);
  }

  @ResolveField(() => [RolePermissionsObject], {
    nullable: true,
    description:
      "The group's access rules: which role may do what. Visible to those holding MANAGE_ROLES.",
  })
  async permissionMatrix(
    group: GroupObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<RolePermissionsObject[] | null> {
    const held = await this.service.viewerPermissions(ctx, group);
    return held.includes('MANAGE_ROLES')
      ? (fullMatrix(group.matrix) as RolePermissionsObject[])
      : null;
  }
}

@Resolver(() => MembershipObject)
export class MembershipsResolver {
  constructor(
    private readonly service: GroupsService,
    private readonly users: UsersService,
  ) {}

  @ResolveField(() => UserObject)
  async user(m: MembershipObject, _args: unknown, ctx: RequestContext): Promise<UserObject> {
    return (
      (await this.users.loader(ctx).load(m.userId)) ?? Promise.reject(notFound('No such user'))
    );
  }

  @ResolveField(() => GroupObject)
  async group(m: MembershipObject, _args: unknown, ctx: RequestContext): Promise<GroupObject> {
    return (
      (await this.service.loader(ctx).load(m.groupId)) ?? Promise.reject(GroupErrors.notFound())
    );
  }
}

/** User.groups lives here: identity knows nothing of groups. */
@Resolver(() => UserObject)
export class UserGroupsResolver {
  constructor(private readonly service: GroupsService) {}

  @ResolveField(() => GroupConnection, {
    description: 'Groups this user belongs to that the viewer may see.',
  })
  groups(
    @Parent() user: UserObject,
    @Args() args: PageArgs,
    @CurrentViewer() viewer: Viewer | null,
  ): Promise<Page<GroupObject>> {
    if (!viewer) return Promise.resolve(emptyPage());
    return this.service.groupsOf(viewer, user.id, args);
  }
}

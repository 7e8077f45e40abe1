import {
  Args,
  ArgsType,
  Field,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Ctx, CurrentViewer, type RequestContext, type Viewer } from '@ruche/common';
import { GroupObject, GroupsService } from '@ruche/groups';
import { UserObject, UsersService } from '@ruche/identity';
import {
  IntegrationCallObject,
  IntegrationObject,
  IntegrationSecretObject,
} from './graphql/integration.objects.js';
import { IntegrationsService } from './integrations.service.js';

@ArgsType()
class GroupIdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) groupId: string;
}

@ArgsType()
class CreateIntegrationArgs {
  @Field(() => ID) @IsString() @MaxLength(100) groupId: string;
  @Field(() => String) @IsString() @MaxLength(200) name: string;
}

@ArgsType()
class IdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) id: string;
}

@ArgsType()
class CallsArgs {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
}

@Resolver(() => IntegrationObject)
export class IntegrationsResolver {
  constructor(
    private readonly service: IntegrationsService,
    private readonly groups: GroupsService,
    private readonly users: UsersService,
  ) {}

  @Query(() => [IntegrationObject], { description: 'Group managers (MANAGE_SETTINGS).' })
  integrations(
    @Args() { groupId }: GroupIdArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<IntegrationObject[]> {
    return this.service.list(viewer, groupId);
  }

  @Mutation(() => IntegrationSecretObject)
  createIntegration(
    @Args() { groupId, name }: CreateIntegrationArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<IntegrationSecretObject> {
    return this.service.create(viewer, groupId, name);
  }

  @Mutation(() => IntegrationSecretObject)
  rotateIntegrationSecret(
    @Args() { id }: IdArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<IntegrationSecretObject> {
    return this.service.rotate(viewer, id);
  }

  @Mutation(() => Boolean)
  revokeIntegration(@Args() { id }: IdArgs, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.service.revoke(viewer, id);
  }

  @ResolveField(() => GroupObject)
  async group(
    @Parent() i: IntegrationObject,
    @Ctx() ctx: RequestContext,
  ): Promise<GroupObject | null> {
    return this.groups.loader(ctx).load(i.groupId);
  }

  @ResolveField(() => UserObject)
  async bot(
    @Parent() i: IntegrationObject,
    @Ctx() ctx: RequestContext,
  ): Promise<UserObject | null> {
    return this.users.loader(ctx).load(i.botId);
  }

  @ResolveField(() => [IntegrationCallObject], {
    description: 'The latest calls of its URL, newest first (managers only): never their body.',
  })
  calls(
    @Parent() i: IntegrationObject,
    @Args() { first }: CallsArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<IntegrationCallObject[]> {
    return this.service.calls(viewer, i.id, first);
  }
}

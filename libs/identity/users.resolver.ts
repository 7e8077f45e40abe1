import {
  Args,
  ArgsType,
  Field,
  ID,
  Mutation,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  AdminOnly,
  AllowPending,
  CharterExempt,
  Ctx,
  CurrentViewer,
  Public,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { AccountsService } from './accounts.service.js';
import { NetworkRole, ProfileObject, UserConnection, UserObject } from './graphql/user.objects.js';
import { DirectoryArgs, ProfileInput } from './graphql/user.inputs.js';
import { toUserObject } from './users.mapper.js';
import { UsersService } from './users.service.js';

@ArgsType()
class UserRefArgs {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) id?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  handle?: string;
}

@ArgsType()
class UserIdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) userId: string;
}

@ArgsType()
class SetRoleArgs extends UserIdArgs {
  @Field(() => NetworkRole) @IsIn(Object.values(NetworkRole)) role: NetworkRole;
}

@Resolver(() => UserObject)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
  ) {}

  @Public()
  @AllowPending()
  @CharterExempt()
  @Query(() => UserObject, { nullable: true, description: 'Null when not signed in.' })
  viewer(@Ctx() ctx: RequestContext): Promise<UserObject | null> {
    // A refused token is not "signed out": the client must learn to refresh it.
    if (ctx.authError) return Promise.reject(ctx.authError);
    return ctx.viewer ? this.users.loader(ctx).load(ctx.viewer.id) : Promise.resolve(null);
  }

  @Query(() => UserObject, { nullable: true })
  user(@Args() args: UserRefArgs, @Ctx() ctx: RequestContext): Promise<UserObject | null> {
    return this.users.findVisible(ctx, args);
  }

  @Query(() => UserConnection, { name: 'users', description: 'The directory.' })
  directory(
    @Args() args: DirectoryArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<Page<UserObject>> {
    return this.users.directory(viewer, args);
  }

  @Mutation(() => UserObject)
  updateProfile(
    @Args('input') input: ProfileInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<UserObject> {
    return this.users.updateProfile(viewer, input);
  }

  @AdminOnly()
  @Mutation(() => UserObject)
  async setUserRole(
    @Args() args: SetRoleArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<UserObject> {
    return toUserObject(await this.accounts.setRole(viewer, args.userId, args.role));
  }

  @AdminOnly()
  @Mutation(() => UserObject)
  async suspendUser(
    @Args() args: UserIdArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<UserObject> {
    return toUserObject(await this.accounts.suspend(viewer, args.userId));
  }

  @AdminOnly()
  @Mutation(() => UserObject)
  async reactivateUser(
    @Args() args: UserIdArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<UserObject> {
    return toUserObject(await this.accounts.reactivate(viewer, args.userId));
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'Only the user themself and network admins see the address; null for everyone else.',
  })
  email(user: UserObject, _args: unknown, { viewer: viewer }: RequestContext): string | null {
    if (user.isAuthenticatedSelf) return user.emailAddress;
    if (!viewer) return null;
    return viewer.id === user.id || (viewer.role === 'ADMIN' && viewer.status === 'ACTIVE')
      ? user.emailAddress
      : null;
  }
}

@Resolver(() => ProfileObject)
export class ProfileResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => UserObject, { nullable: true })
  manager(profile: ProfileObject, _args: unknown, ctx: RequestContext): Promise<UserObject | null> {
    return profile.managerId
      ? this.users.loader(ctx).load(profile.managerId)
      : Promise.resolve(null);
  }
}

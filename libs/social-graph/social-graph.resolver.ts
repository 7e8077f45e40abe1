import { Args, ArgsType, Field, ID, Int, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { Ctx, CurrentViewer, notFound, type RequestContext, type Viewer } from '@ruche/common';
import { UserObject, UsersService } from '@ruche/identity';
import { SocialGraphService } from './social-graph.service.js';

@ArgsType()
class FollowArgs {
  @Field(() => ID) @IsString() @MaxLength(100) userId: string;
}

@Resolver(() => UserObject)
export class SocialGraphResolver {
  constructor(
    private readonly graph: SocialGraphService,
    private readonly users: UsersService,
  ) {}

  @Mutation(() => UserObject)
  async follow(
    @Args() { userId }: FollowArgs,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: RequestContext,
  ): Promise<UserObject> {
    await this.graph.follow(viewer, userId);
    return (await this.users.loader(ctx).load(userId)) ?? Promise.reject(notFound('No such user'));
  }

  @Mutation(() => UserObject)
  async unfollow(
    @Args() { userId }: FollowArgs,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: RequestContext,
  ): Promise<UserObject> {
    await this.graph.unfollow(viewer, userId);
    return (await this.users.loader(ctx).load(userId)) ?? Promise.reject(notFound('No such user'));
  }

  @ResolveField(() => Int)
  async followersCount(user: UserObject, _args: unknown, ctx: RequestContext): Promise<number> {
    return (await this.graph.counts(ctx).load(user.id)).followers;
  }

  @ResolveField(() => Int)
  async followingCount(user: UserObject, _args: unknown, ctx: RequestContext): Promise<number> {
    return (await this.graph.counts(ctx).load(user.id)).following;
  }

  @ResolveField(() => Boolean)
  viewerIsFollowing(user: UserObject, _args: unknown, ctx: RequestContext): Promise<boolean> {
    return this.graph.viewerFollows(ctx).load(user.id);
  }
}

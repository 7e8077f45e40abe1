import { Args, ArgsType, Field, ID, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { AdminOnly, CurrentViewer, type Viewer } from '@ruche/common';
import { ErasedPosts } from '@ruche/network';
import { ErasureService } from './erasure.service.js';

@ObjectType('Erasure')
export class ErasureObject {
  @Field(() => ID, { description: 'The id stays; the account is now "Former member".' })
  userId: string;
  @Field(() => ErasedPosts) posts: ErasedPosts;
  @Field(() => Boolean, {
    description: 'False when the Redis and file cleanup was left to a retrying job.',
  })
  cleanedUp: boolean;
}

@ArgsType()
class EraseUserArgs {
  @Field(() => ID) @IsString() @MaxLength(100) userId: string;
  @Field(() => ErasedPosts, {
    nullable: true,
    description: "Defaults to the network's erasedPosts setting.",
  })
  @IsOptional()
  @IsIn(Object.values(ErasedPosts))
  posts?: ErasedPosts;
}

@Resolver()
export class DataRightsResolver {
  constructor(private readonly erasures: ErasureService) {}

  @AdminOnly()
  @Mutation(() => ErasureObject, {
    description:
      'GDPR erasure: the account is anonymised, its personal data removed everywhere; its posts removed or kept as "Former member".',
  })
  async eraseUser(
    @Args() args: EraseUserArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ErasureObject> {
    const r = await this.erasures.erase(args.userId, args.posts, viewer.id);
    // TODO(#17): AuditService.record({ action: 'user.erased', actorId: viewer.id, targetType: 'user', targetId: r.userId, details: { posts: r.posts } })
    return { userId: r.userId, posts: r.posts as ErasedPosts, cleanedUp: r.cleanedUp };
  }
}

import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Ctx,
  CurrentViewer,
  notFound,
  PageArgs,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { GroupObject, GroupsService } from '@ruche/groups';
import { UserObject, UsersService } from '@ruche/identity';
import { CommentsService } from './comments.service.js';
import {
  AddCommentArgs,
  CreatePostInput,
  EditArgs,
  HashtagArgs,
  IdArgs,
  PinArgs,
  ReactArgs,
  VoteArgs,
} from './graphql/content.inputs.js';
import {
  AudienceKind,
  AudienceObject,
  CommentConnection,
  CommentObject,
  PollObject,
  PostConnection,
  PostObject,
  PostRevisionObject,
  ReactionSummaryObject,
} from './graphql/content.objects.js';
import { PostsService } from './posts.service.js';
import { ReactionsService } from './reactions.service.js';

const emptyPage = <T>(): Page<T> => ({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, endCursor: null },
  totalCount: () => Promise.resolve(0),
});

const present = <T>(items: (T | null)[]): T[] => items.filter((i): i is T => i !== null);

@Resolver(() => PostObject)
export class PostsResolver {
  constructor(
    private readonly posts: PostsService,
    private readonly commentsSvc: CommentsService,
    private readonly reactionsSvc: ReactionsService,
    private readonly usersSvc: UsersService,
    private readonly groupsSvc: GroupsService,
  ) {}

  @Query(() => PostObject, { nullable: true })
  post(@Args() { id }: IdArgs, @Ctx() ctx: RequestContext): Promise<PostObject | null> {
    return this.posts.loader(ctx).load(id);
  }

  @Query(() => PostConnection, {
    description: 'The company-wide wall: NETWORK-audience posts, announcements pinned first.',
  })
  companyFeed(@Args() args: PageArgs, @CurrentViewer() viewer: Viewer): Promise<Page<PostObject>> {
    return this.posts.companyFeed(viewer, args);
  }

  @Query(() => PostConnection)
  postsByHashtag(
    @Args() args: HashtagArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<Page<PostObject>> {
    return this.posts.byHashtag(viewer, args.tag, args);
  }

  @Mutation(() => PostObject)
  createPost(
    @Args('input') input: CreatePostInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<PostObject> {
    return this.posts.create(viewer, input);
  }

  @Mutation(() => PostObject)
  updatePost(@Args() { id, body }: EditArgs, @CurrentViewer() viewer: Viewer): Promise<PostObject> {
    return this.posts.update(viewer, id, body);
  }

  @Mutation(() => Boolean)
  deletePost(@Args() { id }: IdArgs, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.posts.delete(viewer, id);
  }

  @Mutation(() => PostObject)
  pinPost(@Args() { id, pinned }: PinArgs, @CurrentViewer() viewer: Viewer): Promise<PostObject> {
    return this.posts.pin(viewer, id, pinned);
  }

  @Mutation(() => PollObject)
  votePoll(
    @Args() { postId, optionIds }: VoteArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<PollObject> {
    return this.posts.vote(viewer, postId, optionIds);
  }

  @ResolveField(() => UserObject)
  async author(post: PostObject, _args: unknown, ctx: RequestContext): Promise<UserObject> {
    return (
      (await this.usersSvc.loader(ctx).load(post.authorId)) ??
      Promise.reject(notFound('No such user'))
    );
  }

  @ResolveField(() => UserObject, {
    nullable: true,
    description: 'Set when the post stands on a personal wall.',
  })
  wallOwner(post: PostObject, _args: unknown, ctx: RequestContext): Promise<UserObject | null> {
    return post.wallOwnerId
      ? this.usersSvc.loader(ctx).load(post.wallOwnerId)
      : Promise.resolve(null);
  }

  @ResolveField(() => GroupObject, {
    nullable: true,
    description: 'Set when the post stands in a group.',
  })
  group(post: PostObject, _args: unknown, ctx: RequestContext): Promise<GroupObject | null> {
    return post.groupId ? this.groupsSvc.loader(ctx).load(post.groupId) : Promise.resolve(null);
  }

  @ResolveField(() => AudienceObject)
  audience(post: PostObject): AudienceObject {
    return {
      kind: post.audienceKind as AudienceKind,
      groupId: post.groupId,
      userIds: post.audienceUserIds,
      groupIds: post.audienceGroupIds,
    };
  }

  @ResolveField(() => [UserObject])
  async mentions(post: PostObject, _args: unknown, ctx: RequestContext): Promise<UserObject[]> {
    return present(
      await Promise.all(post.mentionIds.map((id) => this.usersSvc.loader(ctx).load(id))),
    );
  }

  @ResolveField(() => PollObject, { nullable: true })
  async poll(post: PostObject, _args: unknown, ctx: RequestContext): Promise<PollObject | null> {
    if (!post.hasPoll) return null;
    return this.posts.pollOf(post, await this.posts.pollLoader(ctx).load(post.id));
  }

  @ResolveField(() => [ReactionSummaryObject])
  reactions(
    post: PostObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<ReactionSummaryObject[]> {
    return post.counted
      ? Promise.resolve(post.counted.reactions)
      : this.reactionsSvc.loader(ctx).load(post.id);
  }

  @ResolveField(() => Int)
  commentsCount(post: PostObject, _args: unknown, ctx: RequestContext): Promise<number> {
    return post.counted
      ? Promise.resolve(post.counted.comments)
      : this.commentsSvc.countLoader(ctx).load(post.id);
  }

  @ResolveField(() => CommentConnection)
  comments(
    @Parent() post: PostObject,
    @Args() args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<CommentObject>> {
    return this.commentsSvc.page(ctx, post, args);
  }

  @ResolveField(() => [PostRevisionObject], {
    description:
      'The edit history: the bodies the post had before each edit, oldest first (at most 100). Readable with the post.',
  })
  revisions(post: PostObject): Promise<PostRevisionObject[]> {
    return this.posts.revisions(post);
  }

  @ResolveField(() => Boolean)
  viewerCanEdit(post: PostObject, _args: unknown, { viewer: viewer }: RequestContext): boolean {
    return viewer?.id === post.authorId;
  }

  @ResolveField(() => Boolean)
  async viewerCanDelete(post: PostObject, _args: unknown, ctx: RequestContext): Promise<boolean> {
    return ctx.viewer ? (await this.posts.rightsIn(ctx, post)).delete : false;
  }

  @ResolveField(() => Boolean)
  async viewerCanComment(post: PostObject, _args: unknown, ctx: RequestContext): Promise<boolean> {
    return ctx.viewer ? (await this.posts.rightsIn(ctx, post)).comment : false;
  }
}

@Resolver(() => AudienceObject)
export class AudienceResolver {
  constructor(
    private readonly usersSvc: UsersService,
    private readonly groupsSvc: GroupsService,
  ) {}

  @ResolveField(() => GroupObject, { nullable: true })
  group(a: AudienceObject, _args: unknown, ctx: RequestContext): Promise<GroupObject | null> {
    return a.kind === AudienceKind.GROUP && a.groupId
      ? this.groupsSvc.loader(ctx).load(a.groupId)
      : Promise.resolve(null);
  }

  @ResolveField(() => [UserObject], {
    nullable: true,
    description: 'For CUSTOM; only the entries the viewer may see.',
  })
  async users(
    a: AudienceObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<UserObject[] | null> {
    if (a.kind !== AudienceKind.CUSTOM) return null;
    return present(await Promise.all(a.userIds.map((id) => this.usersSvc.loader(ctx).load(id))));
  }

  @ResolveField(() => [GroupObject], { nullable: true })
  async groups(
    a: AudienceObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<GroupObject[] | null> {
    if (a.kind !== AudienceKind.CUSTOM) return null;
    return present(await Promise.all(a.groupIds.map((id) => this.groupsSvc.loader(ctx).load(id))));
  }
}

@Resolver(() => CommentObject)
export class CommentsResolver {
  constructor(
    private readonly commentsSvc: CommentsService,
    private readonly posts: PostsService,
    private readonly reactionsSvc: ReactionsService,
    private readonly usersSvc: UsersService,
  ) {}

  @Mutation(() => CommentObject)
  addComment(
    @Args() args: AddCommentArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CommentObject> {
    return this.commentsSvc.add(viewer, args.postId, args.body, args.parentId);
  }

  @Mutation(() => CommentObject)
  updateComment(
    @Args() { id, body }: EditArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<CommentObject> {
    return this.commentsSvc.update(viewer, id, body);
  }

  @Mutation(() => Boolean)
  deleteComment(@Args() { id }: IdArgs, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.commentsSvc.delete(viewer, id);
  }

  @Mutation(() => [ReactionSummaryObject], {
    description: "subjectId: a post's or a comment's id.",
  })
  react(
    @Args() { subjectId, emoji }: ReactArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReactionSummaryObject[]> {
    return this.reactionsSvc.react(viewer, subjectId, emoji);
  }

  @Mutation(() => [ReactionSummaryObject])
  unreact(
    @Args() { subjectId, emoji }: ReactArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ReactionSummaryObject[]> {
    return this.reactionsSvc.unreact(viewer, subjectId, emoji);
  }

  @ResolveField(() => PostObject)
  async post(c: CommentObject, _args: unknown, ctx: RequestContext): Promise<PostObject> {
    return (
      (await this.posts.loader(ctx).load(c.postId)) ?? Promise.reject(notFound('No such post'))
    );
  }

  @ResolveField(() => UserObject)
  async author(c: CommentObject, _args: unknown, ctx: RequestContext): Promise<UserObject> {
    return (
      (await this.usersSvc.loader(ctx).load(c.authorId)) ?? Promise.reject(notFound('No such user'))
    );
  }

  @ResolveField(() => CommentObject, {
    nullable: true,
    description: 'The comment this one answers (one level of threading).',
  })
  parent(c: CommentObject, _args: unknown, ctx: RequestContext): Promise<CommentObject | null> {
    return c.parentId ? this.commentsSvc.loader(ctx).load(c.parentId) : Promise.resolve(null);
  }

  @ResolveField(() => [UserObject])
  async mentions(c: CommentObject, _args: unknown, ctx: RequestContext): Promise<UserObject[]> {
    return present(await Promise.all(c.mentionIds.map((id) => this.usersSvc.loader(ctx).load(id))));
  }

  @ResolveField(() => [ReactionSummaryObject])
  reactions(
    c: CommentObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<ReactionSummaryObject[]> {
    return this.reactionsSvc.loader(ctx).load(c.id);
  }
}

/** User.wall lives here: identity knows nothing of posts. */
@Resolver(() => UserObject)
export class UserWallResolver {
  constructor(private readonly posts: PostsService) {}

  @ResolveField(() => PostConnection, {
    description: "Posts on this user's personal wall that the viewer may read, newest first.",
  })
  wall(
    @Parent() user: UserObject,
    @Args() args: PageArgs,
    @CurrentViewer() viewer: Viewer | null,
  ): Promise<Page<PostObject>> {
    return viewer ? this.posts.wall(viewer, user.id, args) : Promise.resolve(emptyPage());
  }
}

/** Group.feed lives here: groups knows nothing of posts. */
@Resolver(() => GroupObject)
export class GroupFeedResolver {
  constructor(private readonly posts: PostsService) {}

  @ResolveField(() => PostConnection, { description: "The group's wall." })
  feed(
    @Parent() group: GroupObject,
    @Args() args: PageArgs,
    @CurrentViewer() viewer: Viewer | null,
  ): Promise<Page<PostObject>> {
    // Not gated on canRead: an author removed from a PRIVATE group still reads their own posts there.
    return viewer ? this.posts.groupFeed(viewer, group.id, args) : Promise.resolve(emptyPage());
  }
}

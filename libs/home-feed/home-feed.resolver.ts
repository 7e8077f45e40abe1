import { Query, ResolveField, Resolver, Subscription, Args } from '@nestjs/graphql';
import {
  CurrentViewer,
  PageArgs,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { CommentObject, CommentsService, PostObject, PostsService } from '@ruche/content';
import {
  HOME_FEED_TOPIC,
  HomeFeedService,
  type ActivityView,
  type HomeFeedMessage,
} from '@ruche/feed';
import { GroupObject, GroupsService } from '@ruche/groups';
import { UserObject, UsersService } from '@ruche/identity';
import { RedisPubSub } from '@ruche/queue';
import { ActivityConnection, ActivityObject, type ActivityVerb } from './activity.objects.js';

const toObject = (a: ActivityView): ActivityObject => ({ ...a, verb: a.verb as ActivityVerb });

@Resolver(() => ActivityObject)
export class HomeFeedResolver {
  constructor(
    private readonly feed: HomeFeedService,
    private readonly pubsub: RedisPubSub,
    private readonly users: UsersService,
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly groups: GroupsService,
  ) {}

  @Query(() => ActivityConnection, {
    description:
      "The viewer's home feed: what they, the people they follow and their groups did, posts on their wall and announcements, newest first; each item readable by the viewer now.",
  })
  async homeFeed(
    @Args() args: PageArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<Page<ActivityObject>> {
    const page = await this.feed.homeFeed(viewer, args);
    return {
      ...page,
      edges: page.edges.map((e) => ({ ...e, node: toObject(e.node) })),
      nodes: page.nodes.map(toObject),
    };
  }

  @Subscription(() => ActivityObject, {
    description: "New activity for the viewer's home feed.",
    // The socket's context outlives requests: judge the objects by the rights of now.
    resolve: (a: ActivityObject, _args: unknown, ctx: RequestContext) => (ctx.loaders.clear(), a),
  })
  async *homeFeedUpdated(@CurrentViewer() viewer: Viewer): AsyncGenerator<ActivityObject> {
    for await (const m of this.pubsub.listen<HomeFeedMessage>(HOME_FEED_TOPIC, viewer.id)) {
      // The worker checked the rule when it fanned out; check again at delivery.
      const activity = await this.feed.one(viewer, m.activityId);
      if (activity) yield toObject(activity);
    }
  }

  @ResolveField(() => UserObject)
  async actor(a: ActivityObject, _args: unknown, ctx: RequestContext): Promise<UserObject> {
    const user = await this.users.loader(ctx).load(a.actorId);
    // The access predicate keeps only activities whose actor the viewer sees.
    if (!user) throw new Error('Activity actor not visible');
    return user;
  }

  @ResolveField(() => PostObject, { nullable: true })
  post(a: ActivityObject, _args: unknown, ctx: RequestContext): Promise<PostObject | null> | null {
    return a.postId ? this.posts.loader(ctx).load(a.postId) : null;
  }

  @ResolveField(() => CommentObject, { nullable: true })
  comment(
    a: ActivityObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<CommentObject | null> | null {
    return a.commentId ? this.comments.loader(ctx).load(a.commentId) : null;
  }

  @ResolveField(() => GroupObject, { nullable: true })
  group(
    a: ActivityObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<GroupObject | null> | null {
    return a.groupId ? this.groups.loader(ctx).load(a.groupId) : null;
  }
}

import {
  Args,
  ArgsType,
  Field,
  ID,
  Int,
  Mutation,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentViewer, PageArgs, type RequestContext, type Viewer } from '@ruche/common';
import { CommentObject, CommentsService, PostObject, PostsService } from '@ruche/content';
import { GroupObject, GroupsService } from '@ruche/groups';
import { UserObject, UsersService } from '@ruche/identity';
import {
  NotificationConnection,
  NotificationObject,
  NotificationPreferencesInput,
  NotificationPreferencesObject,
  PushSubscriptionInput,
  type NotificationType,
} from './graphql/notification.objects.js';
import { NotificationsPubSub, type NotificationMessage } from './notifications.pubsub.js';
import { NotificationsService, type NotificationPage } from './notifications.service.js';
import { PreferencesService } from './preferences.service.js';
import { VapidKeys } from './vapid.js';

@ArgsType()
class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() unreadOnly?: boolean;
}

@ArgsType()
class MarkReadArgs {
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  ids?: string[] | null;
}

@ArgsType()
class EndpointArgs {
  @Field(() => String) @IsString() @MaxLength(2000) endpoint: string;
}

const fromMessage = (m: NotificationMessage): NotificationObject => ({
  id: m.id,
  type: m.type as NotificationType,
  actorId: m.actorId,
  groupId: m.groupId,
  postId: m.postId,
  commentId: m.commentId,
  reportId: m.reportId ?? null,
  readAt: m.readAt ? new Date(m.readAt) : null,
  createdAt: new Date(m.createdAt),
});

@Resolver(() => NotificationObject)
export class NotificationsResolver {
  constructor(
    private readonly service: NotificationsService,
    private readonly prefs: PreferencesService,
    private readonly pubsub: NotificationsPubSub,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly vapid: VapidKeys,
  ) {}

  @Query(() => String, {
    description:
      'The VAPID public key (base64url) a browser subscribes to Web Push with (applicationServerKey).',
  })
  async pushPublicKey(): Promise<string> {
    return (await this.vapid.get()).publicKey;
  }

  @Query(() => NotificationConnection)
  notifications(
    @Args() args: NotificationsArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<NotificationPage> {
    return this.service.list(viewer, args);
  }

  @Query(() => NotificationPreferencesObject)
  notificationPreferences(@CurrentViewer() viewer: Viewer): Promise<NotificationPreferencesObject> {
    return this.prefs.get(viewer);
  }

  @Mutation(() => Int)
  markNotificationsRead(
    @Args() { ids }: MarkReadArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<number> {
    return this.service.markRead(viewer, ids);
  }

  @Mutation(() => NotificationPreferencesObject)
  updateNotificationPreferences(
    @Args('input') input: NotificationPreferencesInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<NotificationPreferencesObject> {
    return this.prefs.update(viewer, input);
  }

  @Mutation(() => Boolean)
  registerPushSubscription(
    @Args('input') input: PushSubscriptionInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<boolean> {
    return this.prefs.registerPush(viewer, input);
  }

  @Mutation(() => Boolean)
  removePushSubscription(
    @Args() { endpoint }: EndpointArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<boolean> {
    return this.prefs.removePush(viewer, endpoint);
  }

  @Subscription(() => NotificationObject, {
    description:
      "The viewer's new notifications, as they are created (graphql-ws protocol on /graphql).",
    // A subscription's context lives as long as the socket: forget cached loaders at each event so
    // the actor and group are judged by the rights of now.
    resolve: (m: NotificationMessage, _args: unknown, ctx: RequestContext) => (
      ctx.loaders.clear(),
      fromMessage(m)
    ),
  })
  notificationAdded(@CurrentViewer() viewer: Viewer): AsyncIterator<NotificationMessage> {
    return this.pubsub.listen(viewer.id);
  }

  @ResolveField(() => UserObject, { nullable: true })
  actor(
    n: NotificationObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<UserObject | null> | null {
    return n.actorId ? this.users.loader(ctx).load(n.actorId) : null;
  }

  @ResolveField(() => GroupObject, { nullable: true })
  group(
    n: NotificationObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<GroupObject | null> | null {
    return n.groupId ? this.groups.loader(ctx).load(n.groupId) : null;
  }

  /** Through content's per-request loader, which applies the read rule (null: no longer readable). */
  @ResolveField(() => PostObject, { nullable: true })
  post(
    n: NotificationObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<PostObject | null> | null {
    return n.postId ? this.posts.loader(ctx).load(n.postId) : null;
  }

  @ResolveField(() => CommentObject, { nullable: true })
  comment(
    n: NotificationObject,
    _args: unknown,
    ctx: RequestContext,
  ): Promise<CommentObject | null> | null {
    return n.commentId ? this.comments.loader(ctx).load(n.commentId) : null;
  }
}

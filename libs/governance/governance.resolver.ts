import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  AdminOnly,
  CharterExempt,
  Ctx,
  CurrentViewer,
  loader,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { CommentObject, CommentsService, PostObject, PostsService } from '@ruche/content';
import { UserConnection, UserObject, UsersService } from '@ruche/identity';
import { NotificationObject } from '@ruche/notifications';
import DataLoader from 'dataloader';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { CharterService } from './charter.service.js';
import {
  AcceptCharterArgs,
  AcknowledgementsArgs,
  CharterObject,
  DecideReportArgs,
  PostIdArgs,
  PublishCharterArgs,
  ReportArgs,
  ReportConnection,
  ReportObject,
  ReportsArgs,
  ReportSubject,
} from './graphql/governance.objects.js';
import { ModerationService } from './moderation.service.js';

@Resolver(() => CharterObject)
export class CharterResolver {
  constructor(private readonly charters: CharterService) {}

  @CharterExempt()
  @Query(() => CharterObject, {
    nullable: true,
    description: 'The current charter (null until admins publish one).',
  })
  charter(@CurrentViewer() viewer: Viewer): Promise<CharterObject | null> {
    return this.charters.get(viewer);
  }

  @AdminOnly()
  @Mutation(() => CharterObject, {
    description: 'Network admins: a new version, which every member must accept.',
  })
  publishCharter(
    @CurrentViewer() viewer: Viewer,
    @Args() args: PublishCharterArgs,
  ): Promise<CharterObject> {
    return this.charters.publish(viewer, args);
  }

  @CharterExempt()
  @Mutation(() => CharterObject)
  acceptCharter(
    @CurrentViewer() viewer: Viewer,
    @Args() args: AcceptCharterArgs,
  ): Promise<CharterObject> {
    return this.charters.accept(viewer, args.version);
  }
}

@Resolver(() => ReportObject)
export class ReportsResolver {
  constructor(
    private readonly moderation: ModerationService,
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly users: UsersService,
  ) {}

  @Query(() => ReportConnection, {
    description:
      "Network admins: every report; group moderators: those about their groups' content.",
  })
  reports(@CurrentViewer() viewer: Viewer, @Args() args: ReportsArgs): Promise<Page<ReportObject>> {
    return this.moderation.queue(viewer, args);
  }

  @Mutation(() => ReportObject, {
    description: "subjectId: a post's, a comment's or a message's id the reporter may read.",
  })
  report(@CurrentViewer() viewer: Viewer, @Args() args: ReportArgs): Promise<ReportObject> {
    return this.moderation.report(viewer, args);
  }

  @Mutation(() => ReportObject, {
    description: 'Moderators: suspendAuthorDays suspends the author for that many days.',
  })
  decideReport(
    @CurrentViewer() viewer: Viewer,
    @Args() args: DecideReportArgs,
  ): Promise<ReportObject> {
    return this.moderation.decide(viewer, args);
  }

  @ResolveField(() => ReportSubject, {
    nullable: true,
    description: 'Null once the viewer may no longer read it.',
  })
  subject(
    @Parent() r: ReportObject,
    @Ctx() ctx: RequestContext,
  ): Promise<PostObject | CommentObject | null> {
    if (r.subjectType === 'POST') return this.posts.loader(ctx).load(r.subjectId);
    if (r.subjectType === 'COMMENT') return this.comments.loader(ctx).load(r.subjectId);
    return Promise.resolve(null);
  }

  @ResolveField(() => UserObject, { nullable: true, description: 'Shown to moderators only.' })
  reporter(@Parent() r: ReportObject, @Ctx() ctx: RequestContext): Promise<UserObject | null> {
    return r.viewerModerates ? this.users.loader(ctx).load(r.reporterId) : Promise.resolve(null);
  }
}

@Resolver(() => NotificationObject)
export class NotificationReportResolver {
  constructor(private readonly moderation: ModerationService) {}

  @ResolveField(() => ReportObject, {
    nullable: true,
    description: 'The report a REPORT_FILED or REPORT_DECIDED notification is about.',
  })
  report(
    @Parent() n: NotificationObject,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportObject | null> {
    if (!n.reportId) return Promise.resolve(null);
    const byId = loader(
      ctx,
      'reports.byId',
      () =>
        new DataLoader<string, ReportObject | null>(async (ids) => {
          const found = await this.moderation.byIds(ctx.viewer!, [...ids]);
          const map = new Map(found.map((r) => [r.id, r]));
          return ids.map((id) => map.get(id) ?? null);
        }),
    );
    return byId.load(n.reportId);
  }
}

@Resolver(() => PostObject)
export class AcknowledgementsResolver {
  constructor(
    private readonly acks: AcknowledgementsService,
    private readonly users: UsersService,
  ) {}

  @Mutation(() => PostObject)
  acknowledgePost(@CurrentViewer() viewer: Viewer, @Args() args: PostIdArgs): Promise<PostObject> {
    return this.acks.acknowledge(viewer, args.postId);
  }

  @Mutation(() => Int, {
    description: "The post's author: reminds those who have not acknowledged; returns how many.",
  })
  remindAcknowledgement(
    @CurrentViewer() viewer: Viewer,
    @Args() args: PostIdArgs,
  ): Promise<number> {
    return this.acks.remind(viewer, args.postId);
  }

  @ResolveField(() => Date, { nullable: true })
  viewerAcknowledgedAt(
    @Parent() post: PostObject,
    @Ctx() ctx: RequestContext,
  ): Promise<Date | null> {
    if (!post.acknowledgementRequired) return Promise.resolve(null);
    return this.acks.viewerAcknowledgedAt(ctx).load(post.id);
  }

  @ResolveField(() => UserConnection, {
    nullable: true,
    description:
      'For its author and moderators: readers who have (true) or have not (false) acknowledged.',
  })
  async acknowledgements(
    @Parent() post: PostObject,
    @Ctx() ctx: RequestContext,
    @Args() args: AcknowledgementsArgs,
  ): Promise<Page<UserObject> | null> {
    const viewer = ctx.viewer!;
    if (!post.acknowledgementRequired || !(await this.acks.mayList(viewer, post))) return null;
    const page = await this.acks.page(viewer, post, args);
    const users = await Promise.all(page.edges.map((e) => this.users.loader(ctx).load(e.node)));
    const edges = page.edges.flatMap((e, i) =>
      users[i] ? [{ cursor: e.cursor, node: users[i] }] : [],
    );
    return { ...page, edges, nodes: edges.map((e) => e.node) };
  }
}

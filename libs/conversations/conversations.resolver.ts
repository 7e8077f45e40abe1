import {
  Args,
  ArgsType,
  Field,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import DataLoader from 'dataloader';
import {
  ArrayMaxSize,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  Max,
  Min,
  IsInt,
} from 'class-validator';
import { Int } from '@nestjs/graphql';
import {
  Ctx,
  CurrentViewer,
  loader,
  PageArgs,
  type Page,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { ReactionSummaryObject } from '@ruche/content';
import { UserObject, UsersService } from '@ruche/identity';
import { AttachmentObject } from '@ruche/storage';
import { ConversationsPubSub, type ConversationEvent } from './conversations.pubsub.js';
import { CONVERSATION_LIMITS, ConversationsService } from './conversations.service.js';
import {
  ConversationConnection,
  ConversationObject,
  MessageConnection,
  MessageObject,
} from './graphql/conversation.objects.js';

// Text bounds are checked by the service with the field's name; these caps only stop abuse early.
const HARD_MAX = CONVERSATION_LIMITS.body * 4;

@ArgsType()
class MessagesArgs {
  @Field(() => ID) @IsString() @MaxLength(100) conversationId: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  before?: string;
}

@ArgsType()
class StartArgs {
  @Field(() => [ID]) @ArrayMaxSize(200) @IsString({ each: true }) participantIds: string[];
  @Field(() => String) @IsString() @MaxLength(HARD_MAX) body: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  title?: string;
}

@ArgsType()
class SendArgs {
  @Field(() => ID) @IsString() @MaxLength(100) conversationId: string;
  @Field(() => String) @IsString() @MaxLength(HARD_MAX) body: string;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  attachmentIds?: string[];
}

@ArgsType()
class EditArgs {
  @Field(() => ID) @IsString() @MaxLength(100) id: string;
  @Field(() => String) @IsString() @MaxLength(HARD_MAX) body: string;
}

@ArgsType()
class IdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) id: string;
}

@ArgsType()
class ConversationArgs {
  @Field(() => ID) @IsString() @MaxLength(100) conversationId: string;
}

@ArgsType()
class AddArgs extends ConversationArgs {
  @Field(() => [ID]) @ArrayMaxSize(200) @IsString({ each: true }) userIds: string[];
}

@ArgsType()
class RemoveArgs extends ConversationArgs {
  @Field(() => ID) @IsString() @MaxLength(100) userId: string;
}

@ArgsType()
class ReadArgs extends ConversationArgs {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) upTo?: string;
}

@ArgsType()
class MuteArgs extends ConversationArgs {
  @Field(() => Boolean) @IsBoolean() muted: boolean;
}

@Resolver(() => ConversationObject)
export class ConversationsResolver {
  constructor(
    private readonly service: ConversationsService,
    private readonly users: UsersService,
    private readonly pubsub: ConversationsPubSub,
  ) {}

  @Query(() => ConversationConnection, {
    description: "The viewer's conversations, latest activity first.",
  })
  conversations(
    @Args() args: PageArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<Page<ConversationObject>> {
    return this.service.list(viewer, args);
  }

  @Query(() => ConversationObject, { nullable: true })
  conversation(
    @Args() { id }: IdArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject | null> {
    return this.service.find(viewer, id);
  }

  @Query(() => MessageConnection, { description: 'Newest first; `before` pages back in time.' })
  messages(
    @Args() args: MessagesArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<Page<MessageObject>> {
    return this.service.messages(viewer, args.conversationId, args);
  }

  @Mutation(() => ConversationObject, {
    description:
      'With one other person: returns the existing one-to-one conversation when there is one.',
  })
  startConversation(
    @Args() args: StartArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject> {
    return this.service.start(viewer, args);
  }

  @Mutation(() => MessageObject)
  sendMessage(@Args() args: SendArgs, @CurrentViewer() viewer: Viewer): Promise<MessageObject> {
    return this.service.send(viewer, args.conversationId, args.body, args.attachmentIds ?? []);
  }

  @Mutation(() => MessageObject)
  editMessage(@Args() args: EditArgs, @CurrentViewer() viewer: Viewer): Promise<MessageObject> {
    return this.service.edit(viewer, args.id, args.body);
  }

  @Mutation(() => Boolean)
  deleteMessage(@Args() { id }: IdArgs, @CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.service.remove(viewer, id);
  }

  @Mutation(() => ConversationObject)
  addParticipants(
    @Args() args: AddArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject> {
    return this.service.addParticipants(viewer, args.conversationId, args.userIds);
  }

  @Mutation(() => ConversationObject)
  removeParticipant(
    @Args() args: RemoveArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject> {
    return this.service.removeParticipant(viewer, args.conversationId, args.userId);
  }

  @Mutation(() => Boolean)
  leaveConversation(
    @Args() args: ConversationArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<boolean> {
    return this.service.leave(viewer, args.conversationId);
  }

  @Mutation(() => ConversationObject, {
    description: 'Marks read up to a message (the newest when upTo is null).',
  })
  markConversationRead(
    @Args() args: ReadArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject> {
    return this.service.markRead(viewer, args.conversationId, args.upTo);
  }

  @Mutation(() => ConversationObject)
  muteConversation(
    @Args() args: MuteArgs,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject> {
    return this.service.mute(viewer, args.conversationId, args.muted);
  }

  @Subscription(() => MessageObject, {
    description: 'New messages (and system lines) of one conversation the viewer is in.',
    resolve: (m: MessageObject, _args: unknown, ctx: RequestContext) => (ctx.loaders.clear(), m),
  })
  messageAdded(
    @Args() { conversationId }: ConversationArgs,
    @CurrentViewer() viewer: Viewer,
  ): AsyncGenerator<MessageObject> {
    return this.delivered(viewer.id, async function* (events, service) {
      for await (const e of events) {
        if (e.conversationId !== conversationId) continue;
        for (const id of e.messageIds) {
          // Judged at delivery, with the account and the participation of now.
          const m = await service.deliverable(viewer.id, id);
          if (m) yield m;
        }
      }
    });
  }

  @Subscription(() => ConversationObject, {
    description:
      "The viewer's conversations as they change (new message, unread count, participants).",
    resolve: (c: ConversationObject, _args: unknown, ctx: RequestContext) => (
      ctx.loaders.clear(),
      c
    ),
  })
  conversationsUpdated(@CurrentViewer() viewer: Viewer): AsyncGenerator<ConversationObject> {
    return this.delivered(viewer.id, async function* (events, service) {
      for await (const e of events) {
        const c = await service.deliverableConversation(viewer.id, e.conversationId);
        if (c) yield c;
      }
    });
  }

  private delivered<T>(
    userId: string,
    body: (
      events: AsyncGenerator<ConversationEvent>,
      service: ConversationsService,
    ) => AsyncGenerator<T>,
  ): AsyncGenerator<T> {
    const events = this.pubsub.listen(userId);
    const out = body(events, this.service);
    // Closing the subscription closes the Redis listener too.
    const ret = out.return.bind(out);
    out.return = async (v) => {
      await events.return(undefined);
      return ret(v);
    };
    return out;
  }

  @ResolveField(() => [UserObject], { description: 'Current participants, the viewer included.' })
  async participants(
    @Parent() c: ConversationObject,
    @Ctx() ctx: RequestContext,
  ): Promise<UserObject[]> {
    const users = await this.users.loader(ctx).loadMany(c.participantIds);
    return users.filter((u): u is UserObject => !!u && !(u instanceof Error));
  }

  @ResolveField(() => MessageObject, { nullable: true })
  lastMessage(
    @Parent() c: ConversationObject,
    @Ctx() ctx: RequestContext,
  ): Promise<MessageObject | null> | null {
    return c.lastMessageId ? messageLoader(ctx, this.service).load(c.lastMessageId) : null;
  }
}

function messageLoader(
  ctx: RequestContext,
  service: ConversationsService,
): DataLoader<string, MessageObject | null> {
  return loader(
    ctx,
    'messages.byId',
    () =>
      new DataLoader<string, MessageObject | null>(async (ids) => {
        if (!ctx.viewer) return ids.map(() => null);
        const byId = new Map((await service.messagesByIds(ctx.viewer, ids)).map((m) => [m.id, m]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
}

@Resolver(() => MessageObject)
export class MessagesResolver {
  constructor(
    private readonly service: ConversationsService,
    private readonly users: UsersService,
  ) {}

  @ResolveField(() => ConversationObject)
  conversation(
    @Parent() m: MessageObject,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ConversationObject> {
    return this.service.ofMessage(viewer, m);
  }

  @ResolveField(() => UserObject, { nullable: true, description: 'Null for a system line.' })
  author(
    @Parent() m: MessageObject,
    @Ctx() ctx: RequestContext,
  ): Promise<UserObject | null> | null {
    return m.authorId ? this.users.loader(ctx).load(m.authorId) : null;
  }

  @ResolveField(() => [UserObject], {
    description: 'For system lines: the people added, or the one who left.',
  })
  async subjects(@Parent() m: MessageObject, @Ctx() ctx: RequestContext): Promise<UserObject[]> {
    const users = await this.users.loader(ctx).loadMany(m.subjectIds);
    return users.filter((u): u is UserObject => !!u && !(u instanceof Error));
  }

  @ResolveField(() => [UserObject])
  async mentions(@Parent() m: MessageObject, @Ctx() ctx: RequestContext): Promise<UserObject[]> {
    const users = await this.users.loader(ctx).loadMany(m.mentionIds);
    return users.filter((u): u is UserObject => !!u && !(u instanceof Error));
  }

  // TODO(#15): attachments on messages (libs/storage's upload path, read policy per message).
  @ResolveField(() => [AttachmentObject])
  attachments(): AttachmentObject[] {
    return [];
  }

  @ResolveField(() => [ReactionSummaryObject])
  async reactions(
    @Parent() m: MessageObject,
    @Ctx() ctx: RequestContext,
  ): Promise<ReactionSummaryObject[]> {
    const byMessage = loader(
      ctx,
      'messages.reactions',
      () =>
        new DataLoader<string, ReactionSummaryObject[]>(async (ids) => {
          const found = await this.service.reactions(ctx.viewer!, ids);
          return ids.map((id) => found.get(id) ?? []);
        }),
    );
    return byMessage.load(m.id);
  }

  @ResolveField(() => Boolean)
  viewerCanEdit(@Parent() m: MessageObject, @CurrentViewer() viewer: Viewer): boolean {
    return m.kind === 'TEXT' && m.authorId === viewer.id;
  }
}

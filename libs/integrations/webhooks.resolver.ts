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
} from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { Ctx, CurrentViewer, type RequestContext, type Viewer } from '@ruche/common';
import { GroupObject, GroupsService } from '@ruche/groups';
import { WebhookEvent, WebhookObject, WebhookSecretObject } from './graphql/webhook.objects.js';
import { WebhooksService } from './webhooks.service.js';

@ArgsType()
class CreateWebhookArgs {
  @Field(() => String) @IsString() @MaxLength(2000) url: string;
  @Field(() => [WebhookEvent])
  @IsArray()
  @ArrayMaxSize(10)
  @IsEnum(WebhookEvent, { each: true })
  events: WebhookEvent[];
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) groupId?: string;
}

@ArgsType()
class WebhooksArgs {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) groupId?: string;
}

@ArgsType()
class IdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) id: string;
}

@Resolver(() => WebhookObject)
export class WebhooksResolver {
  constructor(
    private readonly service: WebhooksService,
    private readonly groups: GroupsService,
  ) {}

  @Query(() => [WebhookObject], {
    description: "Network admins: every webhook; group managers: their groups'.",
  })
  webhooks(@Args() { groupId }: WebhooksArgs, @CurrentViewer() viewer: Viewer) {
    return this.service.list(viewer, groupId ?? null);
  }

  @Mutation(() => WebhookSecretObject, {
    description:
      'HTTPS only; loopback and private addresses are refused unless the network allows them.',
  })
  createWebhook(@Args() a: CreateWebhookArgs, @CurrentViewer() viewer: Viewer) {
    return this.service.create(viewer, a.url, a.events, a.groupId ?? null);
  }

  @Mutation(() => Boolean)
  deleteWebhook(@Args() { id }: IdArgs, @CurrentViewer() viewer: Viewer) {
    return this.service.delete(viewer, id);
  }

  @ResolveField(() => GroupObject, {
    nullable: true,
    description: 'Only events about this group (null: the whole network, for admins).',
  })
  group(@Parent() w: WebhookObject, @Ctx() ctx: RequestContext) {
    return w.groupId ? this.groups.loader(ctx).load(w.groupId) : null;
  }
}

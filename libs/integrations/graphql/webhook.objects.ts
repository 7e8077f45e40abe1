import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum WebhookEvent {
  POST_CREATED = 'POST_CREATED',
  COMMENT_CREATED = 'COMMENT_CREATED',
  MEMBER_JOINED = 'MEMBER_JOINED',
  GROUP_CREATED = 'GROUP_CREATED',
  REPORT_FILED = 'REPORT_FILED',
}
registerEnumType(WebhookEvent, { name: 'WebhookEvent' });

@ObjectType('Webhook')
export class WebhookObject {
  @Field(() => ID) id: string;
  @Field(() => String) url: string;
  @Field(() => [WebhookEvent]) events: WebhookEvent[];
  @Field(() => Boolean) active: boolean;
  @Field(() => Int) consecutiveFailures: number;
  @Field(() => Date) createdAt: Date;
  /** Resolved by WebhooksResolver.group. */
  groupId: string | null;
}

@ObjectType('WebhookSecret', {
  description: 'Shown once: the HMAC-SHA256 signing secret (Standard Webhooks headers).',
})
export class WebhookSecretObject {
  @Field(() => WebhookObject) webhook: WebhookObject;
  @Field(() => String) secret: string;
}

import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Integration', {
  description: "A group's incoming integration: a bot that posts into that group only.",
})
export class IntegrationObject {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => Boolean) revoked: boolean;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  /** Resolved by IntegrationResolver.group / .bot. */
  groupId: string;
  botId: string;
}

@ObjectType('IntegrationSecret', {
  description:
    'Shown once, when created or rotated: POST a JSON { text } (or a Slack-style payload) to url.',
})
export class IntegrationSecretObject {
  @Field(() => IntegrationObject) integration: IntegrationObject;
  @Field(() => String) url: string;
}

@ObjectType('IntegrationCall', {
  description: 'One call of an integration URL: never its body.',
})
export class IntegrationCallObject {
  @Field(() => Date) at: Date;
  @Field(() => Int) status: number;
  @Field(() => String) ip: string;
  @Field(() => Int, { description: 'Bytes received.' }) size: number;
}

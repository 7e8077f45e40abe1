import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { Connection, PageArgs } from '@ruche/common';

@ObjectType('AuditEvent', {
  description: 'One security-relevant event, as the audit log keeps it.',
})
export class AuditEventObject {
  @Field(() => ID, { description: 'Increasing: the position in the hash chain.' }) id: string;
  @Field(() => Date) at: Date;
  @Field(() => String, { description: 'What happened, e.g. auth.sign-in, user.role-changed.' })
  action: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Who did it; null for a `ruche` operator command or an anonymous attempt.',
  })
  actorId: string | null;
  @Field(() => String, { nullable: true }) targetType: string | null;
  @Field(() => String, { nullable: true }) targetId: string | null;
  @Field(() => String, { description: "The event's details as a JSON object." }) details: string;
  @Field(() => String, { nullable: true }) ip: string | null;
  @Field(() => String, { description: 'sha256 of the previous hash and this row.' }) hash: string;
}

export const AuditEventConnection = Connection(AuditEventObject, 'AuditEvent', {
  totalCount: false,
});

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetId?: string;

  @Field(() => Date, { nullable: true, description: 'Events at or after this moment.' })
  @IsOptional()
  @IsDate()
  since?: Date;

  @Field(() => Date, { nullable: true, description: 'Events before this moment.' })
  @IsOptional()
  @IsDate()
  until?: Date;
}

@ObjectType('AuditChainCheck')
export class AuditChainCheckObject {
  @Field(() => Boolean) ok: boolean;
  @Field(() => Int, { description: 'Rows checked before the first broken one (or all).' })
  checked: number;
  @Field(() => ID, { nullable: true, description: 'The first row that breaks the chain.' })
  firstBrokenId: string | null;
  @Field(() => String, { nullable: true }) reason: string | null;
}

import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '@ruche/common';
import { LIMITS } from '../content.rules.js';
import { AudienceKind } from './content.objects.js';

const BODY = { message: `body must be 1 to ${LIMITS.body} characters` };
const ID_OF = (what: string) => ({ message: `${what} must be an id` });
const IDS_OF = (what: string) => ({ each: true, message: `${what} must hold ids` });

@InputType()
export class AudienceInput {
  @Field(() => AudienceKind) @IsEnum(AudienceKind) kind: AudienceKind;
  @Field(() => ID, { nullable: true, description: 'Required for GROUP.' })
  @IsOptional()
  @IsUUID('all', ID_OF('groupId'))
  groupId?: string;
  @Field(() => [ID], { nullable: true, description: 'For CUSTOM.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.customUsers, {
    message: `userIds holds at most ${LIMITS.customUsers} people`,
  })
  @IsUUID('all', IDS_OF('userIds'))
  userIds?: string[];
  @Field(() => [ID], {
    nullable: true,
    description: 'For CUSTOM: the active members of these groups.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.customGroups, {
    message: `groupIds holds at most ${LIMITS.customGroups} groups`,
  })
  @IsUUID('all', IDS_OF('groupIds'))
  groupIds?: string[];
}

@InputType()
export class PollInput {
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(2, { message: 'A poll needs at least 2 options' })
  @ArrayMaxSize(LIMITS.pollOptions, { message: `A poll has at most ${LIMITS.pollOptions} options` })
  @IsString({ each: true })
  @Length(1, LIMITS.pollOptionLabel, {
    each: true,
    message: `Each option is 1 to ${LIMITS.pollOptionLabel} characters`,
  })
  options: string[];
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() multipleChoice?: boolean;
  @Field(() => Date, { nullable: true }) @IsOptional() @Type(() => Date) @IsDate() closesAt?: Date;
}

@InputType()
export class CreatePostInput {
  @Field(() => String) @IsString() @Length(1, LIMITS.body, BODY) body: string;
  @Field(() => AudienceInput) @ValidateNested() @Type(() => AudienceInput) audience: AudienceInput;
  @Field(() => ID, {
    nullable: true,
    description: "Post on this person's wall instead of your own.",
  })
  @IsOptional()
  @IsUUID('all', ID_OF('wallOwnerId'))
  wallOwnerId?: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() isAnnouncement?: boolean;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.attachments, { message: `At most ${LIMITS.attachments} attachments` })
  @IsUUID('all', IDS_OF('attachmentIds'))
  attachmentIds?: string[];
  @Field(() => PollInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PollInput)
  poll?: PollInput;
  @Field(() => Boolean, {
    nullable: true,
    description: 'An announcement (isAnnouncement) whose readers are asked to acknowledge it.',
  })
  @IsOptional()
  @IsBoolean()
  acknowledgementRequired?: boolean;
}

@ArgsType()
export class IdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) id: string;
}

@ArgsType()
export class EditArgs extends IdArgs {
  @Field(() => String) @IsString() @Length(1, LIMITS.body, BODY) body: string;
}

@ArgsType()
export class PinArgs extends IdArgs {
  @Field(() => Boolean) @IsBoolean() pinned: boolean;
}

@ArgsType()
export class AddCommentArgs {
  @Field(() => ID) @IsString() @MaxLength(100) postId: string;
  @Field(() => String) @IsString() @Length(1, LIMITS.body, BODY) body: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) parentId?: string;
}

@ArgsType()
export class ReactArgs {
  @Field(() => ID, { description: "subjectId: a post's or a comment's id." })
  @IsString()
  @MaxLength(100)
  subjectId: string;
  @Field(() => String) @IsString() @MaxLength(64) emoji: string;
}

@ArgsType()
export class VoteArgs {
  @Field(() => ID) @IsString() @MaxLength(100) postId: string;
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1, { message: 'Choose at least one option' })
  @ArrayMaxSize(LIMITS.pollOptions)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  optionIds: string[];
}

@ArgsType()
export class HashtagArgs extends PageArgs {
  @Field(() => String) @IsString() @Length(1, LIMITS.hashtag + 1) tag: string;
}

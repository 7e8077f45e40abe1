import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageArgs } from '@ruche/common';
import { SLUG_PATTERN } from '../groups.rules.js';
import {
  GroupPermission,
  GroupRole,
  GroupVisibility,
  JoinPolicy,
  MembershipStatus,
} from './group.objects.js';

const SLUG_MESSAGE =
  'slug must be 3 to 50 characters: lower-case letters, digits and dashes, starting and ending with a letter or digit';
const NAME_MESSAGE = 'name must be 1 to 80 characters';
const ID_OPTS = (field: string) => ({ message: `${field} must be a group id` });

@InputType()
export class CreateGroupInput {
  @Field(() => String) @IsString() @Length(1, 80, { message: NAME_MESSAGE }) name: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  slug?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;
  @Field(() => GroupVisibility) @IsEnum(GroupVisibility) visibility: GroupVisibility;
  @Field(() => JoinPolicy) @IsEnum(JoinPolicy) joinPolicy: JoinPolicy;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', ID_OPTS('parentId'))
  parentId?: string;
}

@InputType()
export class UpdateGroupInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 80, { message: NAME_MESSAGE })
  name?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'description must be at most 2000 characters' })
  description?: string;
  @Field(() => GroupVisibility, { nullable: true })
  @IsOptional()
  @IsEnum(GroupVisibility)
  visibility?: GroupVisibility;
  @Field(() => JoinPolicy, { nullable: true })
  @IsOptional()
  @IsEnum(JoinPolicy)
  joinPolicy?: JoinPolicy;
}

@ArgsType()
export class GroupRefArgs {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) id?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) slug?: string;
}

@ArgsType()
export class GroupsArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) query?: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() memberOnly?: boolean;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', ID_OPTS('parentId'))
  parentId?: string;
}

@ArgsType()
export class MembersArgs extends PageArgs {
  @Field(() => GroupRole, { nullable: true }) @IsOptional() @IsEnum(GroupRole) role?: GroupRole;
  @Field(() => MembershipStatus, { nullable: true })
  @IsOptional()
  @IsEnum(MembershipStatus)
  status?: MembershipStatus;
}

@ArgsType()
export class GroupIdArgs {
  @Field(() => ID) @IsUUID('all', ID_OPTS('groupId')) groupId: string;
}

@ArgsType()
export class IdArgs {
  @Field(() => ID) @IsUUID('all', ID_OPTS('id')) id: string;
}

@ArgsType()
export class MemberArgs extends GroupIdArgs {
  @Field(() => ID) @IsUUID('all', { message: 'userId must be a user id' }) userId: string;
}

@ArgsType()
export class SetMemberRoleArgs extends MemberArgs {
  @Field(() => GroupRole) @IsEnum(GroupRole) role: GroupRole;
}

@ArgsType()
export class InviteArgs extends GroupIdArgs {
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1, { message: 'userIds must name someone' })
  @ArrayMaxSize(100, { message: 'userIds holds at most 100 ids' })
  @IsUUID('all', { each: true, message: 'userIds must hold user ids' })
  userIds: string[];
  @Field(() => GroupRole, { nullable: true }) @IsOptional() @IsEnum(GroupRole) role?: GroupRole;
}

@ArgsType()
export class RespondArgs extends GroupIdArgs {
  @Field(() => Boolean) @IsBoolean() accept: boolean;
}

@ArgsType()
export class SetPermissionsArgs extends GroupIdArgs {
  @Field(() => GroupRole) @IsEnum(GroupRole) role: GroupRole;
  @Field(() => [GroupPermission])
  @IsArray()
  @ArrayMaxSize(20)
  @IsEnum(GroupPermission, { each: true })
  permissions: GroupPermission[];
}

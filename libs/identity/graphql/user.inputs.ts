import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { EMAIL_PATTERN, IsTimeZone, LOCALES, PageArgs } from '@ruche/common';

/** Lower-case letters, digits, dot, dash and underscore; starts and ends with a letter or digit. */
export const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{1,28}[a-z0-9])$/;
const HANDLE_MESSAGE =
  'handle must be 3 to 30 characters: lower-case letters, digits, . _ -, starting and ending with a letter or digit';

@InputType()
export class SignUpInput {
  @Field(() => String)
  @IsString()
  @MaxLength(254)
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  email: string;
  @Field(() => String)
  @IsString()
  @Length(10, 256, { message: 'password must be 10 to 256 characters' })
  password: string;
  @Field(() => String)
  @IsString()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  displayName: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(HANDLE_PATTERN, { message: HANDLE_MESSAGE })
  handle?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Required when registrationMode is INVITE_ONLY.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  invitationToken?: string;
}

@InputType()
export class ProfileInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  displayName?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Added to the contract: the handle is changed here too.',
  })
  @IsOptional()
  @Matches(HANDLE_PATTERN, { message: HANDLE_MESSAGE })
  handle?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  jobTitle?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  location?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\+?[0-9 ().-]{3,30}$/, { message: 'phone must be a phone number' })
  phone?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) bio?: string;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50, { message: 'skills holds at most 50 entries' })
  @IsString({ each: true })
  @Length(1, 50, { each: true, message: 'each skill must be 1 to 50 characters' })
  skills?: string[];
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'managerId must be a user id' })
  managerId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsTimeZone() timezone?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be fr or en' })
  locale?: string;
}

@ArgsType()
export class DirectoryArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) query?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;
}

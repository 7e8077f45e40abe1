import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { DOMAIN_PATTERN, IsTimeZone, LOCALES } from '@ruche/common';

export enum RegistrationMode {
  DOMAIN = 'DOMAIN',
  INVITE_ONLY = 'INVITE_ONLY',
  SSO_ONLY = 'SSO_ONLY',
}
registerEnumType(RegistrationMode, {
  name: 'RegistrationMode',
  valuesMap: {
    DOMAIN: { description: 'Anyone with an address in allowedEmailDomains may sign up.' },
    INVITE_ONLY: { description: 'Only people holding an invitation may sign up.' },
    SSO_ONLY: { description: 'Accounts come from single sign-on only.' },
  },
});

/** What an erasure does with the erased person's posts, comments and reactions. */
export enum ErasedPosts {
  REMOVE = 'REMOVE',
  KEEP_AS_FORMER_MEMBER = 'KEEP_AS_FORMER_MEMBER',
}
registerEnumType(ErasedPosts, {
  name: 'ErasedPosts',
  valuesMap: {
    REMOVE: { description: 'Their posts, comments, reactions and votes are deleted.' },
    KEEP_AS_FORMER_MEMBER: {
      description:
        'Their posts and comments stay, signed "Former member": name, handle and email are gone.',
    },
  },
});

@ObjectType('QuietHours')
export class QuietHoursObject {
  @Field(() => String, { description: 'Local time, HH:MM, 24h.' }) start: string;
  @Field(() => String) end: string;
  @Field(() => [Int], {
    description:
      'ISO weekdays (1 = Monday) on which the window starts; a window whose end is before its start runs past midnight into the next day.',
  })
  days: number[];
  @Field(() => String) timezone: string;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

@InputType()
export class QuietHoursInput {
  @Field(() => String) @Matches(HHMM, { message: 'start must be HH:MM (24h)' }) start: string;
  @Field(() => String) @Matches(HHMM, { message: 'end must be HH:MM (24h)' }) end: string;
  @Field(() => [Int])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days: number[];
  @Field(() => String) @IsTimeZone() timezone: string;
}

@ObjectType('NetworkSettings')
export class NetworkSettingsObject {
  @Field(() => String) name: string;
  @Field(() => RegistrationMode) registrationMode: RegistrationMode;
  @Field(() => [String]) allowedEmailDomains: string[];
  @Field(() => String) defaultLocale: string;
  @Field(() => QuietHoursObject, {
    nullable: true,
    description:
      'Right to disconnect: when set, no email or push leaves during this window for anyone; it is deferred to its end.',
  })
  quietHours: QuietHoursObject | null;
  @Field(() => ErasedPosts, {
    description: 'What eraseUser does with the posts of the person erased when it is not told.',
  })
  erasedPosts: ErasedPosts;
}

@InputType()
export class NetworkSettingsInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 100) name?: string;
  @Field(() => RegistrationMode, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(RegistrationMode))
  registrationMode?: RegistrationMode;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(DOMAIN_PATTERN, {
    each: true,
    message: 'allowedEmailDomains must hold domain names such as acme.com',
  })
  allowedEmailDomains?: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @IsIn(LOCALES) defaultLocale?: string;
  @Field(() => QuietHoursInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursInput)
  quietHours?: QuietHoursInput;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() clearQuietHours?: boolean;
  @Field(() => ErasedPosts, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(ErasedPosts))
  erasedPosts?: ErasedPosts;
}

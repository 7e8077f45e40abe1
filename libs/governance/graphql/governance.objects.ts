import {
  ArgsType,
  createUnionType,
  Field,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Connection } from '@ruche/common';
import { CommentObject, PostObject } from '@ruche/content';
import { QuietHoursObject } from '@ruche/network';

export const CHARTER_MAX = 50_000;

@ObjectType('Charter')
export class CharterObject {
  @Field(() => Int) version: number;
  @Field(() => String, {
    description: "Markdown, in the viewer's language when the admins wrote one.",
  })
  body: string;
  @Field(() => String) bodyHtml: string;
  @Field(() => Date) publishedAt: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'When the viewer accepted this version; null while they still must.',
  })
  viewerAcceptedAt: Date | null;
  @Field(() => String, { description: 'The language of body: fr or en.' }) locale: string;
  @Field(() => QuietHoursObject, {
    nullable: true,
    description:
      "The network's right-to-disconnect window (quiet hours), shown with the charter: nothing is emailed or pushed inside it.",
  })
  quietHours: QuietHoursObject | null;
}

@InputType()
export class CharterTranslationInput {
  @Field(() => String, { description: 'fr or en.' }) @IsIn(['fr', 'en']) locale: 'fr' | 'en';
  @Field(() => String)
  @IsString()
  @Length(1, CHARTER_MAX, { message: `A charter is 1 to ${CHARTER_MAX} characters` })
  body: string;
}

@ArgsType()
export class PublishCharterArgs {
  @Field(() => String)
  @IsString()
  @Length(1, CHARTER_MAX, { message: `A charter is 1 to ${CHARTER_MAX} characters` })
  body: string;
  @Field(() => String, {
    nullable: true,
    description: "body's language (fr or en; the network's default language when omitted).",
  })
  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';
  @Field(() => [CharterTranslationInput], {
    nullable: true,
    description: 'The same charter in the other language.',
  })
  @IsOptional()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => CharterTranslationInput)
  translations?: CharterTranslationInput[];
}

@ArgsType()
export class AcceptCharterArgs {
  @Field(() => Int) @IsInt() @Min(1) version: number;
}

export enum ReportReason {
  SPAM = 'SPAM',
  HARASSMENT = 'HARASSMENT',
  CONFIDENTIAL = 'CONFIDENTIAL',
  OFF_TOPIC = 'OFF_TOPIC',
  ILLEGAL = 'ILLEGAL',
  OTHER = 'OTHER',
}
registerEnumType(ReportReason, { name: 'ReportReason' });

export enum ReportStatus {
  OPEN = 'OPEN',
  HIDDEN = 'HIDDEN',
  REMOVED = 'REMOVED',
  DISMISSED = 'DISMISSED',
}
registerEnumType(ReportStatus, { name: 'ReportStatus' });

export enum ReportDecision {
  HIDE = 'HIDE',
  REMOVE = 'REMOVE',
  DISMISS = 'DISMISS',
  RESTORE = 'RESTORE',
}
registerEnumType(ReportDecision, {
  name: 'ReportDecision',
  valuesMap: { RESTORE: { description: 'Undo a HIDE.' } },
});

// TODO(issue 16): `| Message` once conversations are built (the report table already takes them).
export const ReportSubject = createUnionType({
  name: 'ReportSubject',
  types: () => [PostObject, CommentObject] as const,
  resolveType: (value: object) => ('postId' in value ? CommentObject : PostObject),
});

@ObjectType('Report')
export class ReportObject {
  @Field(() => ID) id: string;
  @Field(() => ReportReason) reason: ReportReason;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => ReportStatus) status: ReportStatus;
  @Field(() => String, { nullable: true }) decisionNote: string | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) decidedAt: Date | null;
  subjectType: 'POST' | 'COMMENT' | 'MESSAGE';
  subjectId: string;
  reporterId: string;
  /** The viewer moderates the report's place (the reporter field is shown to moderators only). */
  viewerModerates: boolean;
}

export const ReportConnection = Connection(ReportObject, 'Report', { totalCount: false });

@ArgsType()
export class ReportArgs {
  @Field(() => ID) @IsString() @MaxLength(100) subjectId: string;
  @Field(() => ReportReason) @IsEnum(ReportReason) reason: ReportReason;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: 'A note is at most 1000 characters' })
  note?: string;
}

@ArgsType()
export class DecideReportArgs {
  @Field(() => ID) @IsString() @MaxLength(100) id: string;
  @Field(() => ReportDecision) @IsEnum(ReportDecision) decision: ReportDecision;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: 'A note is at most 1000 characters' })
  note?: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Network admins: suspends the author for that many days (1 to 365).',
  })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'suspendAuthorDays is 1 to 365' })
  @Max(365, { message: 'suspendAuthorDays is 1 to 365' })
  suspendAuthorDays?: number;
}

@ArgsType()
export class ReportsArgs {
  @Field(() => ReportStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ReportStatus)
  status?: ReportStatus;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) groupId?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

@ArgsType()
export class PostIdArgs {
  @Field(() => ID) @IsString() @MaxLength(100) postId: string;
}

@ArgsType()
export class AcknowledgementsArgs {
  @Field(() => Boolean) @IsBoolean() acknowledged: boolean;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) after?: string;
}

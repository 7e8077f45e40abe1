import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Connection } from '@ruche/common';
import { QuietHoursInput, QuietHoursObject } from '@ruche/network';

export enum NotificationType {
  MENTION = 'MENTION',
  COMMENT = 'COMMENT',
  REPLY = 'REPLY',
  REACTION = 'REACTION',
  WALL_POST = 'WALL_POST',
  FOLLOW = 'FOLLOW',
  GROUP_INVITATION = 'GROUP_INVITATION',
  GROUP_JOIN_REQUEST = 'GROUP_JOIN_REQUEST',
  GROUP_JOIN_APPROVED = 'GROUP_JOIN_APPROVED',
  GROUP_POST = 'GROUP_POST',
  ANNOUNCEMENT = 'ANNOUNCEMENT',
  MESSAGE = 'MESSAGE',
  ACKNOWLEDGEMENT_REQUESTED = 'ACKNOWLEDGEMENT_REQUESTED',
  REPORT_FILED = 'REPORT_FILED',
  REPORT_DECIDED = 'REPORT_DECIDED',
}
registerEnumType(NotificationType, { name: 'NotificationType' });

export enum NotificationChannel {
  IN_APP = 'IN_APP',
  EMAIL = 'EMAIL',
  PUSH = 'PUSH',
}
registerEnumType(NotificationChannel, { name: 'NotificationChannel' });

export enum DigestFrequency {
  OFF = 'OFF',
  HOURLY = 'HOURLY',
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
}
registerEnumType(DigestFrequency, { name: 'DigestFrequency' });

@ObjectType('Notification')
export class NotificationObject {
  @Field(() => ID) id: string;
  @Field(() => NotificationType) type: NotificationType;
  @Field(() => Date, { nullable: true }) readAt: Date | null;
  @Field(() => Date) createdAt: Date;
  /** Resolved through the viewer's access (actor, group; post and comment come with content). */
  actorId: string | null;
  groupId: string | null;
  postId: string | null;
  commentId: string | null;
  /** Resolved by libs/governance (Notification.report). */
  reportId: string | null;
}

export const NotificationConnection = Connection(NotificationObject, 'Notification', {
  totalCount: false,
});
Field(() => Int)(
  (NotificationConnection as unknown as { prototype: object }).prototype,
  'unreadCount',
);

@ObjectType('NotificationSetting')
export class NotificationSettingObject {
  @Field(() => NotificationType) type: NotificationType;
  @Field(() => [NotificationChannel]) channels: NotificationChannel[];
}

@ObjectType('NotificationPreferences')
export class NotificationPreferencesObject {
  @Field(() => [NotificationSettingObject]) settings: NotificationSettingObject[];
  @Field(() => DigestFrequency, {
    description:
      'Instead of one email per event: a summary at this pace (OFF = one email per event).',
  })
  emailDigest: DigestFrequency;
  @Field(() => QuietHoursObject, {
    nullable: true,
    description: "The user's own window; the network's window applies on top of it.",
  })
  quietHours: QuietHoursObject | null;
}

@InputType()
export class NotificationSettingInput {
  @Field(() => NotificationType) @IsEnum(NotificationType) type: NotificationType;
  @Field(() => [NotificationChannel])
  @ArrayUnique()
  @ArrayMaxSize(3)
  @IsEnum(NotificationChannel, { each: true })
  channels: NotificationChannel[];
}

@InputType()
export class NotificationPreferencesInput {
  @Field(() => [NotificationSettingInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(Object.keys(NotificationType).length)
  @ValidateNested({ each: true })
  @Type(() => NotificationSettingInput)
  settings?: NotificationSettingInput[];
  @Field(() => DigestFrequency, { nullable: true })
  @IsOptional()
  @IsEnum(DigestFrequency)
  emailDigest?: DigestFrequency;
  @Field(() => QuietHoursInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursInput)
  quietHours?: QuietHoursInput;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() clearQuietHours?: boolean;
}

@InputType('PushSubscriptionInput')
export class PushSubscriptionInput {
  @Field(() => String, {
    description: "The Web Push endpoint URL given by the browser's PushManager.",
  })
  @IsString()
  @MaxLength(2000)
  endpoint: string;
  @Field(() => String) @IsString() @MaxLength(200) p256dh: string;
  @Field(() => String) @IsString() @MaxLength(100) auth: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  userAgent?: string;
}

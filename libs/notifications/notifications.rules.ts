import type { NotificationTypeName } from '@ruche/queue';
import type { ChannelName } from './entities/notification-preferences.entity.js';

export const NOTIFICATION_TYPES: readonly NotificationTypeName[] = [
  'MENTION',
  'COMMENT',
  'REPLY',
  'REACTION',
  'WALL_POST',
  'FOLLOW',
  'GROUP_INVITATION',
  'GROUP_JOIN_REQUEST',
  'GROUP_JOIN_APPROVED',
  'GROUP_POST',
  'ANNOUNCEMENT',
  'MESSAGE',
  'ACKNOWLEDGEMENT_REQUESTED',
  'REPORT_FILED',
  'REPORT_DECIDED',
];
export const CHANNELS: readonly ChannelName[] = ['IN_APP', 'EMAIL', 'PUSH'];

/**
 * The defaults (docs/notifications.md): everything in the app; by email what is addressed to the
 * person and waits for them (mentions, replies, comments on their posts, posts on their wall,
 * group invitations, requests and approvals, announcements); by push the same minus announcements
 * and requests. Reactions, follows and group posts are in the app only: frequent and low stakes.
 */
export const DEFAULT_CHANNELS: Record<NotificationTypeName, ChannelName[]> = {
  MENTION: ['IN_APP', 'EMAIL', 'PUSH'],
  COMMENT: ['IN_APP', 'EMAIL', 'PUSH'],
  REPLY: ['IN_APP', 'EMAIL', 'PUSH'],
  REACTION: ['IN_APP'],
  WALL_POST: ['IN_APP', 'EMAIL', 'PUSH'],
  FOLLOW: ['IN_APP'],
  GROUP_INVITATION: ['IN_APP', 'EMAIL', 'PUSH'],
  GROUP_JOIN_REQUEST: ['IN_APP', 'EMAIL'],
  GROUP_JOIN_APPROVED: ['IN_APP', 'EMAIL', 'PUSH'],
  GROUP_POST: ['IN_APP'],
  ANNOUNCEMENT: ['IN_APP', 'EMAIL'],
  // Addressed to the person, like a mention (a conversation can be muted).
  MESSAGE: ['IN_APP', 'EMAIL', 'PUSH'],
  ACKNOWLEDGEMENT_REQUESTED: ['IN_APP', 'EMAIL', 'PUSH'],
  REPORT_FILED: ['IN_APP'],
  REPORT_DECIDED: ['IN_APP', 'EMAIL'],
};

/** The channels of a type for a user: their choice when they made one, the default otherwise. */
export function channelsFor(
  type: NotificationTypeName,
  settings: Record<string, ChannelName[]> | undefined,
): ChannelName[] {
  return settings?.[type] ?? DEFAULT_CHANNELS[type];
}

/** What repeats collapse on. */
export function objectKeyOf(e: {
  commentId?: string;
  postId?: string;
  groupId?: string;
  messageId?: string;
  reportId?: string;
}): string {
  if (e.messageId) return `message:${e.messageId}`;
  if (e.reportId) return `report:${e.reportId}`;
  if (e.commentId) return `comment:${e.commentId}`;
  if (e.postId) return `post:${e.postId}`;
  if (e.groupId) return `group:${e.groupId}`;
  return 'self';
}

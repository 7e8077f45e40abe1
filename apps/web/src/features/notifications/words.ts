import { defineMessages, type IntlShape } from 'react-intl';
import type { NotificationsItemFieldsFragment, NotificationType } from '../../gql/graphql';

/** What happened, in words, by type: the actor's name and the group's go in the placeholders. */
const sentences = defineMessages<NotificationType | 'MENTION_COMMENT'>({
  MENTION: {
    id: 'notifications.type.mention',
    defaultMessage: '{actor} mentioned you in a post',
    description: 'A notification: someone mentioned the viewer in a post',
  },
  MENTION_COMMENT: {
    id: 'notifications.type.mentionComment',
    defaultMessage: '{actor} mentioned you in a comment',
    description: 'A notification: someone mentioned the viewer in a comment',
  },
  COMMENT: {
    id: 'notifications.type.comment',
    defaultMessage: '{actor} commented on your post',
    description: 'A notification',
  },
  REPLY: {
    id: 'notifications.type.reply',
    defaultMessage: '{actor} replied to your comment',
    description: 'A notification',
  },
  REACTION: {
    id: 'notifications.type.reaction',
    defaultMessage: '{actor} reacted to your post',
    description: 'A notification',
  },
  WALL_POST: {
    id: 'notifications.type.wallPost',
    defaultMessage: '{actor} posted on your wall',
    description: 'A notification',
  },
  FOLLOW: {
    id: 'notifications.type.follow',
    defaultMessage: '{actor} started following you',
    description: 'A notification',
  },
  GROUP_INVITATION: {
    id: 'notifications.type.groupInvitation',
    defaultMessage: '{actor} invited you to join {group}',
    description: 'A notification',
  },
  GROUP_JOIN_REQUEST: {
    id: 'notifications.type.groupJoinRequest',
    defaultMessage: '{actor} asked to join {group}',
    description: 'A notification, to a group manager',
  },
  GROUP_JOIN_APPROVED: {
    id: 'notifications.type.groupJoinApproved',
    defaultMessage: 'Your request to join {group} was approved',
    description: 'A notification',
  },
  GROUP_POST: {
    id: 'notifications.type.groupPost',
    defaultMessage: '{actor} posted in {group}',
    description: 'A notification',
  },
  ANNOUNCEMENT: {
    id: 'notifications.type.announcement',
    defaultMessage: '{actor} published an announcement',
    description: 'A notification',
  },
  MESSAGE: {
    id: 'notifications.type.message',
    defaultMessage: '{actor} sent you a message',
    description: 'A notification: a message in a conversation',
  },
  ACKNOWLEDGEMENT_REQUESTED: {
    id: 'notifications.type.acknowledgementRequested',
    defaultMessage: '{actor} asks you to confirm you read an announcement',
    description: 'A notification: a reminder to acknowledge an announcement',
  },
  REPORT_FILED: {
    id: 'notifications.type.reportFiled',
    defaultMessage: 'New content was reported for moderation',
    description: 'A notification, to moderators',
  },
  REPORT_DECIDED: {
    id: 'notifications.type.reportDecided',
    defaultMessage: 'A moderator decided on the content you reported',
    description: 'A notification, to the one who reported',
  },
});

const fallback = defineMessages({
  someone: {
    id: 'notifications.someone',
    defaultMessage: 'Someone',
    description: 'The actor of a notification who is no longer visible',
  },
  aGroup: {
    id: 'notifications.aGroup',
    defaultMessage: 'a group',
    description: 'A group of a notification that is no longer visible',
  },
});

/** The notification as a sentence: "Camille Martin mentioned you in a post". */
export function sentenceOf(n: NotificationsItemFieldsFragment, intl: IntlShape): string {
  const key = n.type === 'MENTION' && n.comment ? 'MENTION_COMMENT' : n.type;
  return intl.formatMessage(sentences[key], {
    actor: n.actor?.displayName ?? intl.formatMessage(fallback.someone),
    group: n.group?.name ?? intl.formatMessage(fallback.aGroup),
  });
}

/** Where the notification leads: the post, the group, the follower's profile. */
export function linkOf(n: NotificationsItemFieldsFragment): string {
  if (n.post) return `/posts/${n.post.id}`;
  if (n.group) return `/groups/${n.group.id}`;
  if (n.actor) return `/people/${n.actor.handle}`;
  return '/notifications';
}

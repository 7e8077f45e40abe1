export { visibleUsers, visibleUserId, perViewer, type SqlPredicate } from './people.access.js';
export { groupAccess, MY_ACTIVE_GROUPS, type GroupAccess } from './groups.access.js';
export {
  readablePosts,
  canReadPost,
  moderatesPlace,
  moderatesPost,
  readersOfPost,
  PLACE_MODERATORS_SQL,
  canReadGroupContent,
  type AccessWorld,
  type PostFacts,
  type AudienceName,
} from './posts.access.js';
export {
  readableActivities,
  homeFeedSources,
  mergedAtRead,
  ACTIVITY_AUDIENCE_SQL,
  ACTIVITY_AUDIENCE_SIZE_SQL,
} from './activities.access.js';
export {
  readableMessages,
  readableConversations,
  reachableUsers,
  canReadMessage,
  canReadConversation,
  canReach,
  type ConversationWorld,
  type MessageFacts,
} from './conversations.access.js';

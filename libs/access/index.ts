export { visibleUsers, visibleUserId, perViewer, type SqlPredicate } from './people.access.js';
export { groupAccess, MY_ACTIVE_GROUPS, type GroupAccess } from './groups.access.js';
export { readablePosts, canReadPost, canReadGroupContent, type AccessWorld, type PostFacts, type AudienceName } from './posts.access.js';

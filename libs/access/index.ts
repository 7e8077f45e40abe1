export { visibleUsers, visibleUserId, perViewer, type SqlPredicate } from './people.access.js';
export { groupAccess, type GroupAccess } from './groups.access.js';

export { visibleUsers, type SqlPredicate } from './people.access.js';

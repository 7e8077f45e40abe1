export { GroupsModule } from './groups.module.js';
export { GroupsService } from './groups.service.js';
export {
  GroupObject,
  MembershipObject,
  GroupConnection,
  MembershipConnection,
  GroupVisibility,
  JoinPolicy,
  GroupRole,
  GroupPermission,
  MembershipStatus,
} from './graphql/group.objects.js';
export { DEFAULT_MATRIX, type GroupPermissionName, type GroupRoleName } from './groups.rules.js';

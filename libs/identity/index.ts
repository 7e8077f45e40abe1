export { IdentityModule } from './identity.module.js';
export { AccountsService } from './accounts.service.js';
export { SessionsService } from './sessions.service.js';
export { UsersService, isUuid } from './users.service.js';
export { UserObject, ProfileObject, UserConnection, NetworkRole, UserStatus } from './graphql/user.objects.js';

export { IdentityModule } from './identity.module.js';
export { AccountsService } from './accounts.service.js';
export { SessionsService } from './sessions.service.js';
export { UsersService, type Recipient } from './users.service.js';
export { SecretsService } from './secrets.service.js';
/** Kept for callers that imported it from here; it lives in @ruche/common. */
export { isUuid } from '@ruche/common';
export { UserObject, ProfileObject, UserConnection, NetworkRole, UserStatus } from './graphql/user.objects.js';

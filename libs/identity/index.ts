export { IdentityModule } from './identity.module.js';
export {
  AccountsService,
  type ClientInfo,
  type ExternalProfile,
  type PasswordDirectory,
  type SignedIn,
  type SignedInExternally,
} from './accounts.service.js';
export {
  SessionsService,
  type OriginCheck,
  type OriginToCheck,
  type SessionOrigin,
} from './sessions.service.js';
export { RateLimitService } from './rate-limit.service.js';
export { UsersService, type Recipient } from './users.service.js';
export { SecretsService } from './secrets.service.js';
export { ReplyTokens } from './reply-tokens.js';
export {
  UserObject,
  ProfileObject,
  UserConnection,
  NetworkRole,
  UserStatus,
} from './graphql/user.objects.js';

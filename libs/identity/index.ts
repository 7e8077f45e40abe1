export { IdentityModule } from './identity.module.js';
export { AccountsService } from './accounts.service.js';
export { SessionsService } from './sessions.service.js';
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

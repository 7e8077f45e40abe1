import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { FeedModule } from '@ruche/feed';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@ruche/audit';
import { NetworkModule } from '@ruche/network';
import { AccountsService } from './accounts.service.js';
import { AuthResolver } from './auth.resolver.js';
import { AccountTokenEntity } from './entities/account-token.entity.js';
import { AppSecretEntity } from './entities/app-secret.entity.js';
import { InvitationEntity } from './entities/invitation.entity.js';
import { RefreshTokenEntity } from './entities/refresh-token.entity.js';
import { SessionEntity } from './entities/session.entity.js';
import { UserIdentityEntity } from './entities/user-identity.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { RateLimitService } from './rate-limit.service.js';
import { SecretsService } from './secrets.service.js';
import { ReplyTokens } from './reply-tokens.js';
import { SessionsService } from './sessions.service.js';
import { ProfileResolver, UsersResolver } from './users.resolver.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      UserEntity,
      SessionEntity,
      RefreshTokenEntity,
      AccountTokenEntity,
      InvitationEntity,
      AppSecretEntity,
      UserIdentityEntity,
    ]),
    JwtModule.register({}),
    NetworkModule,
    FeedModule,
    AuditModule,
  ],
  providers: [
    AccountsService,
    SessionsService,
    UsersService,
    RateLimitService,
    SecretsService,
    ReplyTokens,
    AuthResolver,
    UsersResolver,
    ProfileResolver,
  ],
  exports: [
    AccountsService,
    SessionsService,
    UsersService,
    SecretsService,
    RateLimitService,
    ReplyTokens,
  ],
})
export class IdentityModule {}

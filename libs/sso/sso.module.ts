import { Module } from '@nestjs/common';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { NetworkModule } from '@ruche/network';
import { LdapService } from './ldap.service.js';
import { OidcService } from './oidc.service.js';
import { SsoResolver } from './sso.resolver.js';
import { SsoService } from './sso.service.js';

@Module({
  imports: [IdentityModule, GroupsModule, NetworkModule],
  providers: [OidcService, LdapService, SsoService, SsoResolver],
  exports: [SsoService, OidcService],
})
export class SsoModule {}

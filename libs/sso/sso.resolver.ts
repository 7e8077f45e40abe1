import { Query, Resolver } from '@nestjs/graphql';
import { AppConfig } from '@ruche/config';
import { Public } from '@ruche/common';
import { NetworkService } from '@ruche/network';
import { SignInOptionsObject } from './graphql/sign-in-options.objects.js';
import { LdapService } from './ldap.service.js';
import { OidcService } from './oidc.service.js';

@Resolver()
export class SsoResolver {
  constructor(
    private readonly config: AppConfig,
    private readonly network: NetworkService,
    private readonly oidc: OidcService,
    private readonly ldap: LdapService,
  ) {}

  @Public()
  @Query(() => SignInOptionsObject, { description: 'Public: what the sign-in page offers.' })
  async signInOptions(): Promise<SignInOptionsObject> {
    const mode = (await this.network.get()).registrationMode;
    return {
      password: mode !== 'SSO_ONLY',
      oidc: this.oidc.enabled
        ? { name: this.config.OIDC_PROVIDER_NAME, url: '/auth/oidc/start' }
        : null,
      ldap: this.ldap.enabled,
    };
  }
}

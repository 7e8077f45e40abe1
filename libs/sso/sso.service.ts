import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountsService, SessionsService, type ClientInfo } from '@ruche/identity';
import { GroupsService } from '@ruche/groups';
import { RucheLogger } from '@ruche/observability';
import { LdapService } from './ldap.service.js';
import { OidcService, type OidcOutcome } from './oidc.service.js';

export type SsoSignIn =
  | { ok: true; refreshToken: string; userId: string }
  | { ok: false; reason: 'state' | 'denied' | 'provider' | 'refused'; message?: string };

/**
 * Single sign-on: plugs LDAP into password sign-in and the provider recheck into session refresh,
 * and turns an OIDC callback into a session (just-in-time account, claims, groups).
 */
@Injectable()
export class SsoService implements OnModuleInit {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly groups: GroupsService,
    private readonly oidc: OidcService,
    private readonly ldap: LdapService,
    private readonly logger: RucheLogger,
  ) {}

  onModuleInit(): void {
    if (this.ldap.enabled)
      this.accounts.usePasswordDirectory((email, password) =>
        this.ldap.authenticate(email, password),
      );
    if (this.ldap.enabled || this.oidc.enabled)
      this.sessions.useOriginCheck((origin) =>
        origin.provider === 'ldap' ? this.ldap.check(origin) : this.oidc.check(origin),
      );
  }

  /** The callback's outcome as a session (its refresh token, for the web app's cookie). */
  async completeOidc(outcome: OidcOutcome, client: ClientInfo): Promise<SsoSignIn> {
    if (!outcome.ok) return outcome;
    try {
      // TODO(#17): audit sign-in success / failure here (provider oidc) once @ruche/audit lands.
      const signed = await this.accounts.signInExternal(outcome.profile, client);
      await this.groups.joinFromDirectory(signed.user.id, signed.user.role, outcome.groups);
      return { ok: true, refreshToken: signed.refreshToken, userId: signed.user.id };
    } catch (error) {
      this.logger.pino.info({ err: (error as Error).message }, 'OIDC sign-in refused');
      return { ok: false, reason: 'refused', message: (error as Error).message };
    }
  }
}

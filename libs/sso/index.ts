/** Single sign-on (OpenID Connect, LDAP) on top of @ruche/identity's accounts and sessions. */
export { SsoModule } from './sso.module.js';
export { SsoService, type SsoSignIn } from './sso.service.js';
export { OidcService, OIDC_STATE_COOKIE, type OidcOutcome } from './oidc.service.js';
export { ldapFilter } from './ldap-filter.js';

import { randomBytes } from 'node:crypto';
import { AccountsService } from '@ruche/identity';
import type { Harness } from './harness.js';
import { tokenOf } from './smtp.js';

export const PASSWORD = 'Orange-Tulip-Harbour-42';

export interface Person {
  id: string;
  email: string;
  handle: string;
  token: string;
  refreshToken: string;
}

const AUTH = `accessToken refreshToken expiresIn user { id handle email status role }`;
export const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${AUTH} } }`;
export const SIGN_IN = `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { ${AUTH} } }`;

export const uniqueEmail = (prefix = 'user', domain = 'acme.test') =>
  `${prefix}.${randomBytes(3).toString('hex')}@${domain}`;

export async function signIn(h: Harness, email: string, password = PASSWORD): Promise<Person> {
  const { signIn: s } = await h.ok(SIGN_IN, { email, password });
  return {
    id: s.user.id,
    email,
    handle: s.user.handle,
    token: s.accessToken,
    refreshToken: s.refreshToken,
  };
}

/** A network admin made the way IT does it (the service behind `ruche create-admin`), signed in. */
export async function makeAdmin(
  h: Harness,
  over: { email?: string; name?: string } = {},
): Promise<Person> {
  const email = over.email ?? uniqueEmail('admin');
  await h.api.get(AccountsService).createAdmin(email, PASSWORD, over.name ?? 'Ada Admin');
  return signIn(h, email);
}

/** Opens DOMAIN sign-up for these domains. */
export async function allowDomains(
  h: Harness,
  admin: Person,
  domains: string[] = ['acme.test'],
  locale = 'en',
): Promise<void> {
  await h.ok(
    `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { name } }`,
    { input: { registrationMode: 'DOMAIN', allowedEmailDomains: domains, defaultLocale: locale } },
    admin.token,
  );
}

/** A member who signed up and clicked the link of the verification email (needs the worker). */
export async function makeMember(
  h: Harness,
  over: { email?: string; displayName?: string; handle?: string } = {},
): Promise<Person> {
  const email = over.email ?? uniqueEmail();
  const { signUp } = await h.ok(SIGN_UP, {
    input: {
      email,
      password: PASSWORD,
      displayName: over.displayName ?? 'Marie Member',
      handle: over.handle,
    },
  });
  const mail = await h.smtp.waitFor(email);
  await h.ok(`mutation($t: String!) { verifyEmail(token: $t) }`, { t: tokenOf(mail) });
  return {
    id: signUp.user.id,
    email,
    handle: signUp.user.handle,
    token: signUp.accessToken,
    refreshToken: signUp.refreshToken,
  };
}

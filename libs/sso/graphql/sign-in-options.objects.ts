import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('OidcSignIn', { description: 'An OpenID Connect provider to sign in with.' })
export class OidcSignInObject {
  @Field(() => String, { description: 'Shown as "Sign in with <name>".' })
  name: string;

  @Field(() => String, {
    description: 'Where the browser goes to start (the API redirects it to the provider).',
  })
  url: string;
}

@ObjectType('SignInOptions', { description: 'How people sign in to this network.' })
export class SignInOptionsObject {
  @Field(() => Boolean, {
    description:
      'Whether signIn(email, password) takes local passwords from everyone (false in SSO_ONLY: admins only).',
  })
  password: boolean;

  @Field(() => OidcSignInObject, { nullable: true })
  oidc: OidcSignInObject | null;

  @Field(() => Boolean, {
    description: 'Whether signIn(email, password) checks the company directory (LDAP) first.',
  })
  ldap: boolean;
}

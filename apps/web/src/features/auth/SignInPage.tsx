import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, Navigate, useSearchParams } from 'react-router';
import { locale, pickLocale, session, useSession } from '../../app';
import { SignInDocument, SignInOptionsDocument } from '../../gql/graphql';
import { Button, fieldProblem, problemsOf, Problems, TextField } from '../../ui';
import { AuthFrame } from './AuthFrame';

/** Where to go after signing in: only a path of this app, never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const intl = useIntl();
  const [params] = useSearchParams();
  const state = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, { loading, error }] = useMutation(SignInDocument);
  const oidc = useQuery(SignInOptionsDocument).data?.signInOptions.oidc;
  if (state.kind === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;
  const problems = problemsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await signIn({ variables: { email, password } }).catch(() => ({
      data: undefined,
    }));
    if (data) {
      session.accept(data.signIn);
      locale.set(pickLocale(data.signIn.user.profile.locale));
    }
  };
  const reason = params.get('reason');
  return (
    <AuthFrame
      title={intl.formatMessage({
        id: 'auth.signIn.title',
        defaultMessage: 'Sign in',
        description: 'Sign-in page title',
      })}
    >
      {reason === 'expired' && (
        <p role="status" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-950">
          <FormattedMessage
            id="auth.signIn.expired"
            defaultMessage="You were signed out: your session ended or your account was changed by an administrator."
            description="Shown after the API refused the session"
          />
        </p>
      )}
      {oidc && (
        <div className="mb-6">
          {/* A full page load: the API redirects to the provider, then back with the cookie session. */}
          <a
            href={oidc.url}
            className="flex min-h-11 w-full items-center justify-center rounded-md bg-amber-700 px-4 py-2 font-medium text-white hover:bg-amber-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-800"
          >
            <FormattedMessage
              id="auth.signIn.oidc"
              defaultMessage="Sign in with {provider}"
              description="Single sign-on button; provider is the company's identity provider"
              values={{ provider: oidc.name }}
            />
          </a>
          <p className="mt-4 text-center text-sm text-stone-600">
            <FormattedMessage
              id="auth.signIn.orPassword"
              defaultMessage="or with your email and password"
              description="Between the single sign-on button and the password form"
            />
          </p>
        </div>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Problems problems={problems} fields={['email', 'password']} />
        <TextField
          label={
            <FormattedMessage
              id="auth.email"
              defaultMessage="Work email"
              description="Email field label"
            />
          }
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldProblem(problems, 'email')?.message}
        />
        <TextField
          label={
            <FormattedMessage
              id="auth.password"
              defaultMessage="Password"
              description="Password field label"
            />
          }
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldProblem(problems, 'password')?.message}
        />
        <Button type="submit" busy={loading} className="w-full">
          <FormattedMessage
            id="auth.signIn.submit"
            defaultMessage="Sign in"
            description="Sign-in button"
          />
        </Button>
      </form>
      <div className="mt-4 flex flex-col gap-2 text-sm">
        <Link className="text-amber-800 underline" to="/forgot-password">
          <FormattedMessage
            id="auth.signIn.forgot"
            defaultMessage="Forgot your password?"
            description="Link"
          />
        </Link>
        <Link className="text-amber-800 underline" to="/sign-up">
          <FormattedMessage
            id="auth.signIn.toSignUp"
            defaultMessage="New here? Create your account"
            description="Link"
          />
        </Link>
      </div>
    </AuthFrame>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedList, FormattedMessage, useIntl } from 'react-intl';
import { Link, Navigate, useSearchParams } from 'react-router';
import { locale, session, useLocale, useSession } from '../../app';
import { NetworkForAuthDocument, SignUpDocument } from '../../gql/graphql';
import { Button, fieldProblem, problemsOf, Problems, TextField } from '../../ui';
import { AuthFrame } from './AuthFrame';

/** Sign-up, and accepting an invitation (/join?token=...): the same form with the token. */
export function SignUpPage() {
  const intl = useIntl();
  const lang = useLocale();
  const [params] = useSearchParams();
  const invitationToken = params.get('token') ?? undefined;
  const state = useSession();
  const network = useQuery(NetworkForAuthDocument).data?.network;
  const [form, setForm] = useState({ email: '', password: '', displayName: '' });
  const [signUp, { loading, error }] = useMutation(SignUpDocument);
  if (state.kind === 'signed-in') return <Navigate to="/" replace />;
  const problems = problemsOf(error);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await signUp({
      variables: { input: { ...form, invitationToken } },
      context: { headers: { 'accept-language': lang } },
    }).catch(() => ({ data: undefined }));
    if (data) {
      session.accept(data.signUp);
      locale.set(lang);
    }
  };
  const mode = network?.registrationMode;
  const domains = network?.allowedEmailDomains ?? [];
  const title = invitationToken
    ? intl.formatMessage({
        id: 'auth.join.title',
        defaultMessage: 'Accept your invitation',
        description: 'Invitation page title',
      })
    : intl.formatMessage({
        id: 'auth.signUp.title',
        defaultMessage: 'Create your account',
        description: 'Sign-up page title',
      });
  const closed = !invitationToken && (mode === 'INVITE_ONLY' || mode === 'SSO_ONLY');
  return (
    <AuthFrame title={title}>
      {network && !invitationToken && (
        <p className="mb-4 text-sm text-stone-700">
          {mode === 'DOMAIN' && domains.length > 0 ? (
            <FormattedMessage
              id="auth.signUp.domains"
              defaultMessage="{network} is open to addresses at {domains}. We will email you a link to confirm yours."
              description="The domain rule, before the form"
              values={{
                network: network.name,
                domains: <FormattedList type="disjunction" value={domains.map((d) => `@${d}`)} />,
              }}
            />
          ) : mode === 'DOMAIN' ? (
            <FormattedMessage
              id="auth.signUp.noDomains"
              defaultMessage="Sign-up is not open yet: an administrator has to allow your company's email domain."
              description="DOMAIN mode with no domain"
            />
          ) : (
            <FormattedMessage
              id="auth.signUp.inviteOnly"
              defaultMessage="{network} is open by invitation only: ask a colleague or your administrator to invite you."
              description="INVITE_ONLY or SSO_ONLY mode"
              values={{ network: network.name }}
            />
          )}
        </p>
      )}
      {!closed && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Problems
            problems={problems}
            fields={['email', 'password', 'displayName', 'handle', 'invitationToken']}
          />
          <TextField
            label={
              <FormattedMessage
                id="auth.displayName"
                defaultMessage="Your name"
                description="Field label"
              />
            }
            name="displayName"
            autoComplete="name"
            required
            value={form.displayName}
            onChange={set('displayName')}
            error={fieldProblem(problems, 'displayName')?.message}
          />
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
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
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
            hint={
              <FormattedMessage
                id="auth.password.hint"
                defaultMessage="At least 10 characters, hard to guess: a short sentence works well."
                description="Password rule"
              />
            }
            type="password"
            name="password"
            autoComplete="new-password"
            required
            value={form.password}
            onChange={set('password')}
            error={fieldProblem(problems, 'password')?.message}
          />
          <Button type="submit" busy={loading} className="w-full">
            <FormattedMessage
              id="auth.signUp.submit"
              defaultMessage="Create my account"
              description="Sign-up button"
            />
          </Button>
        </form>
      )}
      <p className="mt-4 text-sm">
        <Link className="text-amber-800 underline" to="/sign-in">
          <FormattedMessage
            id="auth.signUp.toSignIn"
            defaultMessage="Already have an account? Sign in"
            description="Link"
          />
        </Link>
      </p>
    </AuthFrame>
  );
}

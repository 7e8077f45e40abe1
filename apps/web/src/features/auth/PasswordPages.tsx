import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { RequestPasswordResetDocument, ResetPasswordDocument } from '../../gql/graphql';
import { Button, fieldProblem, problemsOf, Problems, TextField } from '../../ui';
import { AuthFrame } from './AuthFrame';

export function ForgotPasswordPage() {
  const intl = useIntl();
  const [email, setEmail] = useState('');
  const [request, { data, loading, error }] = useMutation(RequestPasswordResetDocument);
  const problems = problemsOf(error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void request({ variables: { email } }).catch(() => undefined);
  };
  return (
    <AuthFrame
      title={intl.formatMessage({
        id: 'auth.forgot.title',
        defaultMessage: 'Reset your password',
        description: 'Page title',
      })}
    >
      {data ? (
        <p role="status" className="text-stone-800">
          <FormattedMessage
            id="auth.forgot.sent"
            defaultMessage="If an account uses this address, a link to choose a new password is on its way."
            description="After asking for a reset"
          />
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Problems problems={problems} fields={['email']} />
          <TextField
            label={
              <FormattedMessage
                id="auth.email"
                defaultMessage="Work email"
                description="Email field label"
              />
            }
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldProblem(problems, 'email')?.message}
          />
          <Button type="submit" busy={loading} className="w-full">
            <FormattedMessage
              id="auth.forgot.submit"
              defaultMessage="Email me a link"
              description="Button"
            />
          </Button>
        </form>
      )}
      <p className="mt-4 text-sm">
        <Link className="text-amber-800 underline" to="/sign-in">
          <FormattedMessage id="auth.back" defaultMessage="Back to sign-in" description="Link" />
        </Link>
      </p>
    </AuthFrame>
  );
}

export function ResetPasswordPage() {
  const intl = useIntl();
  const [params] = useSearchParams();
  const [password, setPassword] = useState('');
  const [reset, { data, loading, error }] = useMutation(ResetPasswordDocument);
  const problems = problemsOf(error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void reset({ variables: { token: params.get('token') ?? '', password } }).catch(
      () => undefined,
    );
  };
  return (
    <AuthFrame
      title={intl.formatMessage({
        id: 'auth.reset.title',
        defaultMessage: 'Choose a new password',
        description: 'Page title',
      })}
    >
      {data?.resetPassword ? (
        <div role="status">
          <p className="mb-4 text-stone-800">
            <FormattedMessage
              id="auth.reset.done"
              defaultMessage="Your password is changed; every other session was signed out."
              description="After a reset"
            />
          </p>
          <Link className="text-amber-800 underline" to="/sign-in">
            <FormattedMessage
              id="auth.verify.toSignIn"
              defaultMessage="Sign in"
              description="Link"
            />
          </Link>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <Problems problems={problems} fields={['password']} />
          <TextField
            label={
              <FormattedMessage
                id="auth.newPassword"
                defaultMessage="New password"
                description="Field label"
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
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldProblem(problems, 'password')?.message}
          />
          <Button type="submit" busy={loading} className="w-full">
            <FormattedMessage
              id="auth.reset.submit"
              defaultMessage="Save my new password"
              description="Button"
            />
          </Button>
        </form>
      )}
    </AuthFrame>
  );
}

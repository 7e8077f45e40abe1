import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { AdminInviteDocument, type NetworkRole } from '../../gql/graphql';
import { Button, fieldProblem, Page, Problems, problemsOf, Select, TextArea } from '../../ui';

/** The addresses in a pasted text: separated by spaces, commas, semicolons or new lines. */
export function addressesIn(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  ];
}

/** /admin/invitations — invite people by email, as members, admins or guests. */
export function InvitationsPage() {
  const intl = useIntl();
  const [text, setText] = useState('');
  const [role, setRole] = useState<NetworkRole>('MEMBER');
  const [sent, setSent] = useState<{ sent: number; asked: number } | null>(null);
  const [invite, { loading, error }] = useMutation(AdminInviteDocument);
  const problems = problemsOf(error);
  const emails = addressesIn(text);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    if (!emails.length) return;
    const { data } = await invite({ variables: { emails, role } }).catch(() => ({
      data: undefined,
    }));
    if (data) {
      setSent({ sent: data.inviteMembers, asked: emails.length });
      setText('');
    }
  };

  return (
    <Page
      title={intl.formatMessage({
        id: 'admin.invitations.title',
        defaultMessage: 'Invitations',
        description: 'Admin invitations page title',
      })}
    >
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        className="rounded-lg border border-stone-200 bg-white p-4"
      >
        <Problems problems={problems} fields={['emails', 'role']} />
        <TextArea
          label={
            <FormattedMessage
              id="admin.invitations.emails"
              defaultMessage="Email addresses"
              description="Invitation addresses field"
            />
          }
          hint={
            <FormattedMessage
              id="admin.invitations.emailsHint"
              defaultMessage="One per line, or separated by commas. Any domain: an invitation opens sign-up whatever the rule."
              description="Hint under the addresses"
            />
          }
          rows={6}
          value={text}
          onChange={(e) => {
            setSent(null);
            setText(e.target.value);
          }}
          error={fieldProblem(problems, 'emails')?.message}
        />
        <Select
          label={
            <FormattedMessage
              id="admin.invitations.role"
              defaultMessage="They join as"
              description="Invitation role field"
            />
          }
          value={role}
          onChange={(e) => setRole(e.target.value as NetworkRole)}
          error={fieldProblem(problems, 'role')?.message}
        >
          <option value="MEMBER">
            {intl.formatMessage({
              id: 'admin.role.member',
              defaultMessage: 'Member',
              description: 'Network role MEMBER',
            })}
          </option>
          <option value="GUEST">
            {intl.formatMessage({
              id: 'admin.role.guest',
              defaultMessage: 'Guest (external, sees only their groups)',
              description: 'Network role GUEST',
            })}
          </option>
          <option value="ADMIN">
            {intl.formatMessage({
              id: 'admin.role.admin',
              defaultMessage: 'Administrator',
              description: 'Network role ADMIN',
            })}
          </option>
        </Select>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" busy={loading} disabled={!emails.length}>
            {emails.length ? (
              <FormattedMessage
                id="admin.invitations.send"
                defaultMessage="Send {count, plural, one {# invitation} other {# invitations}}"
                description="Invitation submit button, with the number of addresses"
                values={{ count: emails.length }}
              />
            ) : (
              <FormattedMessage
                id="admin.invitations.sendNone"
                defaultMessage="Send the invitations"
                description="Invitation submit button before any address is typed"
              />
            )}
          </Button>
        </div>
        <p role="status" aria-live="polite" className="mt-3 text-sm text-green-800">
          {sent && (
            <FormattedMessage
              id="admin.invitations.sent"
              defaultMessage="{sent, plural, one {# invitation sent.} other {# invitations sent.}}"
              description="After sending invitations: how many left"
              values={{ sent: sent.sent }}
            />
          )}
          {sent && sent.asked > sent.sent && (
            <>
              {' '}
              <FormattedMessage
                id="admin.invitations.skipped"
                defaultMessage="{skipped, plural, one {# address already has an account.} other {# addresses already have an account.}}"
                description="After sending invitations: addresses skipped because they have an account"
                values={{ skipped: sent.asked - sent.sent }}
              />
            </>
          )}
        </p>
      </form>
    </Page>
  );
}

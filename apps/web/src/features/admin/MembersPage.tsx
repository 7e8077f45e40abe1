import { useFragment, useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { Link } from 'react-router';
import { useViewer } from '../../app';
import {
  AdminMemberByHandleDocument,
  AdminMemberFieldsFragmentDoc,
  AdminMembersDocument,
  AdminReactivateDocument,
  AdminSetRoleDocument,
  AdminSuspendDocument,
  type AdminMemberFieldsFragment,
  type NetworkRole,
} from '../../gql/graphql';
import {
  Avatar,
  Button,
  Confirm,
  Page,
  Problems,
  problemsOf,
  Skeleton,
  TextField,
  type ApiProblem,
} from '../../ui';
import { useDebounced } from '../people/useDebounced';

const ROLES: NetworkRole[] = ['MEMBER', 'ADMIN', 'GUEST'];

function roleName(intl: IntlShape, role: NetworkRole): string {
  switch (role) {
    case 'ADMIN':
      return intl.formatMessage({
        id: 'admin.role.admin',
        defaultMessage: 'Administrator',
        description: 'Network role ADMIN',
      });
    case 'GUEST':
      return intl.formatMessage({
        id: 'admin.role.guest',
        defaultMessage: 'Guest (external, sees only their groups)',
        description: 'Network role GUEST',
      });
    case 'MEMBER':
      return intl.formatMessage({
        id: 'admin.role.member',
        defaultMessage: 'Member',
        description: 'Network role MEMBER',
      });
  }
}

/** /admin/members — find people, change their role, suspend or reinstate them. */
export function MembersPage() {
  const intl = useIntl();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim());
  const { data, previousData, loading, error, fetchMore } = useQuery(AdminMembersDocument, {
    variables: { query: q || undefined },
  });
  const users = (data ?? previousData)?.users;
  const [handle, setHandle] = useState('');
  const [find, found] = useLazyQuery(AdminMemberByHandleDocument);
  const [problems, setProblems] = useState<ApiProblem[]>([]);
  const [announce, setAnnounce] = useState('');
  // People changed during this visit stay in sight (a suspended one leaves the search results).
  const [changed, setChanged] = useState<string[]>([]);
  const onChanged = (id: string) => setChanged((c) => (c.includes(id) ? c : [...c, id]));
  const report = { setProblems, setAnnounce, onChanged };

  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    const h = handle.trim().replace(/^@/, '').toLowerCase();
    if (h) void find({ variables: { handle: h } }).catch(() => undefined);
  };
  const foundUser = found.data?.user;
  const listed = new Set(users?.edges.map((e) => e.node.id));
  const gone = changed.filter((id) => !listed.has(id) && id !== foundUser?.id);

  return (
    <Page
      title={intl.formatMessage({
        id: 'admin.members.title',
        defaultMessage: 'Members',
        description: 'Admin members page title',
      })}
    >
      <Problems problems={problems} />
      <p role="status" aria-live="polite" className="sr-only">
        {announce}
      </p>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField
          type="search"
          label={
            <FormattedMessage
              id="admin.members.search"
              defaultMessage="Search active members by name"
              description="Admin members search field"
            />
          }
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </form>
      <Problems problems={problemsOf(error)} />
      <p role="status" aria-live="polite" className="mb-3 text-sm text-stone-700">
        {users &&
          (users.totalCount === 0 ? (
            <FormattedMessage
              id="admin.members.none"
              defaultMessage="No active member found."
              description="The admin search found no one"
            />
          ) : (
            <FormattedMessage
              id="admin.members.count"
              defaultMessage="{count, plural, one {# active member} other {# active members}}"
              description="How many members the admin search found"
              values={{ count: users.totalCount }}
            />
          ))}
      </p>
      {!users && loading && <Skeleton rows={3} />}
      {users && (
        <ul className="mb-4 space-y-3">
          {users.edges.map(({ node }) => (
            <MemberRow key={node.id} member={node} {...report} />
          ))}
        </ul>
      )}
      {gone.length > 0 && (
        <section aria-labelledby="admin-changed" className="mb-4">
          <h2 id="admin-changed" className="mb-2 text-lg font-semibold text-stone-900">
            <FormattedMessage
              id="admin.members.changed"
              defaultMessage="Changed just now"
              description="Heading: people the admin changed who left the list"
            />
          </h2>
          <ul className="space-y-3">
            {gone.map((id) => (
              <ChangedRow key={id} id={id} {...report} />
            ))}
          </ul>
        </section>
      )}
      {users?.pageInfo.hasNextPage && (
        <Button
          variant="secondary"
          className="mb-6"
          busy={loading}
          onClick={() =>
            void fetchMore({ variables: { after: users.pageInfo.endCursor } }).catch(
              () => undefined,
            )
          }
        >
          <FormattedMessage
            id="admin.loadMore"
            defaultMessage="Load more"
            description="Loads the next page of members"
          />
        </Button>
      )}

      <section
        aria-labelledby="admin-find"
        className="mt-6 rounded-lg border border-stone-200 bg-white p-4"
      >
        <h2 id="admin-find" className="mb-1 text-lg font-semibold text-stone-900">
          <FormattedMessage
            id="admin.members.findTitle"
            defaultMessage="Find any account by handle"
            description="Heading: look up a suspended or pending account"
          />
        </h2>
        <p className="mb-3 text-sm text-stone-700">
          <FormattedMessage
            id="admin.members.findHelp"
            defaultMessage="The list above shows active members only. To reinstate a suspended account, look it up by its handle."
            description="Why the handle lookup exists"
          />
        </p>
        <form onSubmit={lookUp} className="flex flex-wrap items-end gap-2">
          <div className="min-w-0 flex-1 [&>div]:mb-0">
            <TextField
              label={
                <FormattedMessage
                  id="admin.members.handle"
                  defaultMessage="Handle"
                  description="Handle lookup field"
                />
              }
              autoCapitalize="none"
              spellCheck={false}
              value={handle}
              onChange={(e) => setHandle(e.target.value)}
            />
          </div>
          <Button type="submit" variant="secondary" busy={found.loading}>
            <FormattedMessage
              id="admin.members.find"
              defaultMessage="Find"
              description="Handle lookup button"
            />
          </Button>
        </form>
        <div role="status" aria-live="polite" className="mt-3">
          {found.called && !found.loading && !foundUser && !found.error && (
            <p className="text-sm text-stone-700">
              <FormattedMessage
                id="admin.members.notFound"
                defaultMessage="No account has this handle."
                description="Handle lookup found nothing"
              />
            </p>
          )}
        </div>
        <Problems problems={problemsOf(found.error)} />
        {foundUser && (
          <ul className="mt-2">
            <MemberRow member={foundUser} {...report} />
          </ul>
        )}
      </section>
    </Page>
  );
}

interface Report {
  setProblems: (p: ApiProblem[]) => void;
  setAnnounce: (s: string) => void;
  onChanged: (id: string) => void;
}

/** A member changed during this visit, read from the cache (the mutations' results). */
function ChangedRow({ id, ...report }: Report & { id: string }) {
  const { data, complete } = useFragment({
    fragment: AdminMemberFieldsFragmentDoc,
    from: { __typename: 'User', id },
  });
  return complete ? <MemberRow member={data} {...report} /> : null;
}

function MemberRow({
  member,
  setProblems,
  setAnnounce,
  onChanged,
}: Report & { member: AdminMemberFieldsFragment }) {
  const intl = useIntl();
  const viewer = useViewer();
  const [confirming, setConfirming] = useState(false);
  const [setRole, roleState] = useMutation(AdminSetRoleDocument);
  const [suspend, suspendState] = useMutation(AdminSuspendDocument);
  const [reactivate, reactivateState] = useMutation(AdminReactivateDocument);
  const self = member.id === viewer.id;
  const name = member.displayName;
  const suspended = member.status === 'SUSPENDED';
  const roleId = `role-${member.id}`;

  const run = async (action: () => Promise<unknown>, done: string) => {
    setProblems([]);
    try {
      await action();
      onChanged(member.id);
      setAnnounce(done);
    } catch (e) {
      setProblems(problemsOf(e));
    }
  };
  const changeRole = (role: NetworkRole) =>
    void run(
      () => setRole({ variables: { userId: member.id, role } }),
      intl.formatMessage(
        {
          id: 'admin.members.roleChanged',
          defaultMessage: '{name} is now: {role}.',
          description: 'Announced after a role change',
        },
        { name, role: roleName(intl, role) },
      ),
    );
  const doSuspend = () =>
    void run(
      () => suspend({ variables: { userId: member.id } }),
      intl.formatMessage(
        {
          id: 'admin.members.suspendedDone',
          defaultMessage: '{name} is suspended and signed out.',
          description: 'Announced after a suspension',
        },
        { name },
      ),
    ).then(() => setConfirming(false));
  const doReactivate = () =>
    void run(
      () => reactivate({ variables: { userId: member.id } }),
      intl.formatMessage(
        {
          id: 'admin.members.reactivatedDone',
          defaultMessage: '{name} may sign in again.',
          description: 'Announced after reinstating someone',
        },
        { name },
      ),
    );

  return (
    <li className="flex flex-col gap-3 rounded-lg border border-stone-200 bg-white p-3 sm:flex-row sm:items-center">
      <div className="flex min-w-0 flex-1 items-center gap-3">
        <Avatar name={name} url={member.profile.avatarUrl} size={40} />
        <div className="min-w-0">
          <Link
            to={`/people/${member.handle}`}
            className="block truncate font-semibold text-stone-900 hover:underline"
          >
            {name}
          </Link>
          <p className="truncate text-sm text-stone-700">{member.email ?? `@${member.handle}`}</p>
          <p className="text-sm">
            {member.status === 'ACTIVE' ? (
              <span className="text-green-800">
                <FormattedMessage
                  id="admin.status.active"
                  defaultMessage="Active"
                  description="Account status ACTIVE"
                />
              </span>
            ) : member.status === 'SUSPENDED' ? (
              <span className="font-medium text-red-800">
                <FormattedMessage
                  id="admin.status.suspended"
                  defaultMessage="Suspended"
                  description="Account status SUSPENDED"
                />
              </span>
            ) : member.status === 'PENDING' ? (
              <span className="text-stone-700">
                <FormattedMessage
                  id="admin.status.pending"
                  defaultMessage="Email not confirmed yet"
                  description="Account status PENDING"
                />
              </span>
            ) : (
              <span className="text-stone-700">
                <FormattedMessage
                  id="admin.status.deactivated"
                  defaultMessage="Deactivated"
                  description="Account status DEACTIVATED"
                />
              </span>
            )}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={roleId} className="sr-only">
          <FormattedMessage
            id="admin.members.roleOf"
            defaultMessage="Role of {name}"
            description="Label of a member's role select (screen readers)"
            values={{ name }}
          />
        </label>
        <select
          id={roleId}
          value={member.role}
          disabled={self || roleState.loading}
          onChange={(e) => changeRole(e.target.value as NetworkRole)}
          className="min-h-10 max-w-full rounded-md border border-stone-400 bg-white px-2 py-2 text-sm text-stone-900 focus:outline-2 focus:outline-amber-700"
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleName(intl, r)}
            </option>
          ))}
        </select>
        {!self &&
          (suspended ? (
            <Button variant="secondary" busy={reactivateState.loading} onClick={doReactivate}>
              <FormattedMessage
                id="admin.members.reactivate"
                defaultMessage="Reinstate"
                description="Button reactivating a suspended account"
              />
            </Button>
          ) : member.status === 'ACTIVE' ? (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              <FormattedMessage
                id="admin.members.suspend"
                defaultMessage="Suspend"
                description="Button suspending an account"
              />
            </Button>
          ) : null)}
      </div>
      <Confirm
        open={confirming}
        onOpenChange={setConfirming}
        title={
          <FormattedMessage
            id="admin.members.suspendTitle"
            defaultMessage="Suspend {name}?"
            description="Suspension confirmation title"
            values={{ name }}
          />
        }
        description={
          <FormattedMessage
            id="admin.members.suspendBody"
            defaultMessage="They are signed out everywhere at once and cannot sign in until an administrator reinstates them. Their posts stay."
            description="What a suspension does"
          />
        }
        confirm={
          <FormattedMessage
            id="admin.members.suspendConfirm"
            defaultMessage="Suspend {name}"
            description="Confirm button of a suspension"
            values={{ name }}
          />
        }
        busy={suspendState.loading}
        onConfirm={doSuspend}
      />
    </li>
  );
}

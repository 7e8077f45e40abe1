import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import { useViewer } from '../../app';
import {
  GroupApproveDocument,
  GroupInviteDocument,
  GroupMembersDocument,
  GroupPeopleToInviteDocument,
  GroupRejectDocument,
  GroupRemoveMemberDocument,
  GroupSetMemberRoleDocument,
  GroupSettingsDocument,
  GroupUpdateDocument,
  type GroupPageFieldsFragment,
  type GroupRole,
  type GroupVisibility,
  type JoinPolicy,
} from '../../gql/graphql';
import {
  Avatar,
  Button,
  Confirm,
  fieldProblem,
  NotFound,
  Page,
  Problems,
  problemsOf,
  Skeleton,
  TextArea,
  TextField,
} from '../../ui';
import { JoinPolicyChoices, VisibilityChoices } from './NewGroupPage';
import { PermissionMatrix } from './PermissionMatrix';
import { Section } from './Section';
import { useGroup } from './useGroup';
import { MANAGING, roleName, ROLES } from './words';

/**
 * /groups/:ref/settings — for those who manage the group: only the sections their permissions
 * allow (settings, requests, invitations, roles, the permission matrix); NotFound for others.
 */
export function GroupSettingsPage() {
  const { ref = '' } = useParams();
  const found = useGroup(ref);
  if (found.loading) return <Skeleton rows={2} />;
  if (!found.group && found.error)
    return (
      <div className="mx-auto max-w-3xl px-4 py-6">
        <Problems problems={problemsOf(found.error)} />
      </div>
    );
  if (!found.group || !found.group.viewerPermissions.some((p) => MANAGING.includes(p)))
    return <NotFound />;
  return <Settings groupId={found.group.id} />;
}

function Settings({ groupId }: { groupId: string }) {
  const intl = useIntl();
  const { data, loading, error } = useQuery(GroupSettingsDocument, { variables: { id: groupId } });
  if (!data && loading) return <Skeleton rows={2} />;
  const group = data?.group;
  if (!group && error)
    return (
      <div className="mx-auto max-w-3xl px-4 py-6">
        <Problems problems={problemsOf(error)} />
      </div>
    );
  if (!group || !group.viewerPermissions.some((p) => MANAGING.includes(p))) return <NotFound />;
  const may = (p: (typeof MANAGING)[number]) => group.viewerPermissions.includes(p);
  return (
    <Page
      wide
      title={intl.formatMessage(
        {
          id: 'groups.settings.title',
          defaultMessage: 'Manage {name}',
          description: 'Group settings page title',
        },
        { name: group.name },
      )}
      actions={
        <Link to={`/groups/${group.slug}`} className="text-sm text-amber-800 underline">
          <FormattedMessage
            id="groups.settings.back"
            defaultMessage="Back to the group"
            description="Link from settings to the group page"
          />
        </Link>
      }
    >
      <div className="space-y-8">
        {may('MANAGE_SETTINGS') && <SettingsForm key={group.id} group={group} />}
        {may('APPROVE_MEMBERS') && <Requests groupId={group.id} />}
        {may('INVITE') && <Invitations groupId={group.id} />}
        {may('MANAGE_ROLES') && <Roles groupId={group.id} />}
        {may('MANAGE_ROLES') && group.permissionMatrix && (
          <PermissionMatrix
            groupId={group.id}
            matrix={group.permissionMatrix}
            held={group.viewerPermissions}
          />
        )}
      </div>
    </Page>
  );
}

function SettingsForm({ group }: { group: GroupPageFieldsFragment }) {
  const intl = useIntl();
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description ?? '');
  const [visibility, setVisibility] = useState<GroupVisibility>(group.visibility);
  const [joinPolicy, setJoinPolicy] = useState<JoinPolicy>(group.joinPolicy);
  const [saved, setSaved] = useState('');
  const [update, { loading, error }] = useMutation(GroupUpdateDocument);
  const problems = problemsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved('');
    const { data } = await update({
      variables: {
        id: group.id,
        input: { name: name.trim(), description: description.trim(), visibility, joinPolicy },
      },
    }).catch(() => ({ data: undefined }));
    if (data)
      setSaved(
        intl.formatMessage({
          id: 'groups.settings.saved',
          defaultMessage: 'Settings saved.',
          description: 'After saving the group settings',
        }),
      );
  };
  return (
    <Section
      id="settings-general"
      title={
        <FormattedMessage
          id="groups.settings.general"
          defaultMessage="Name, visibility and joining"
          description="Settings section title"
        />
      }
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="max-w-2xl">
        <Problems
          problems={problems}
          fields={['name', 'description', 'visibility', 'joinPolicy']}
        />
        <TextField
          label={
            <FormattedMessage
              id="groups.field.name"
              defaultMessage="Name"
              description="Group name field"
            />
          }
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldProblem(problems, 'name')?.message}
        />
        <TextArea
          label={
            <FormattedMessage
              id="groups.field.description"
              defaultMessage="Description"
              description="Group description field"
            />
          }
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={fieldProblem(problems, 'description')?.message}
        />
        <VisibilityChoices
          value={visibility}
          onChange={setVisibility}
          error={fieldProblem(problems, 'visibility')?.message}
        />
        <JoinPolicyChoices
          value={joinPolicy}
          onChange={setJoinPolicy}
          error={fieldProblem(problems, 'joinPolicy')?.message}
        />
        <div className="flex flex-wrap items-center justify-end gap-3">
          <p role="status" className="text-sm text-green-800">
            {saved}
          </p>
          <Button type="submit" busy={loading}>
            <FormattedMessage
              id="groups.settings.save"
              defaultMessage="Save the settings"
              description="Settings form button"
            />
          </Button>
        </div>
      </form>
    </Section>
  );
}

function Requests({ groupId }: { groupId: string }) {
  const intl = useIntl();
  const { data, loading, refetch } = useQuery(GroupMembersDocument, {
    variables: { id: groupId, status: 'PENDING' },
    fetchPolicy: 'cache-and-network',
  });
  const [approve, approving] = useMutation(GroupApproveDocument, {
    refetchQueries: ['GroupMembers', 'GroupByRef'],
  });
  const [reject, rejecting] = useMutation(GroupRejectDocument);
  const [said, setSaid] = useState('');
  const problems = problemsOf(approving.error ?? rejecting.error);
  const pending = data?.group?.members;
  const decide = async (userId: string, displayName: string, accept: boolean) => {
    setSaid('');
    const ok = accept
      ? await approve({ variables: { groupId, userId } }).then(
          () => true,
          () => false,
        )
      : await reject({ variables: { groupId, userId } }).then(
          () => true,
          () => false,
        );
    if (!ok) return;
    await refetch();
    setSaid(
      accept
        ? intl.formatMessage(
            {
              id: 'groups.requests.accepted',
              defaultMessage: '{name} is now a member.',
              description: 'After accepting a join request',
            },
            { name: displayName },
          )
        : intl.formatMessage(
            {
              id: 'groups.requests.refused',
              defaultMessage: 'The request from {name} was refused.',
              description: 'After refusing a join request',
            },
            { name: displayName },
          ),
    );
  };
  return (
    <Section
      id="settings-requests"
      title={
        <FormattedMessage
          id="groups.requests.title"
          defaultMessage="Requests to join"
          description="Settings section title"
        />
      }
    >
      <Problems problems={problems} />
      <p role="status" className="mb-2 text-sm text-stone-800">
        {said}{' '}
        {pending?.totalCount === 0 && (
          <FormattedMessage
            id="groups.requests.none"
            defaultMessage="No request waits."
            description="No join request waits"
          />
        )}
        {pending && pending.totalCount > 0 && (
          <FormattedMessage
            id="groups.requests.count"
            defaultMessage="{count, plural, one {# request waits.} other {# requests wait.}}"
            description="How many join requests wait"
            values={{ count: pending.totalCount }}
          />
        )}
      </p>
      {!pending && loading && <Skeleton rows={1} />}
      {pending && pending.edges.length > 0 && (
        <ul className="divide-y divide-stone-200">
          {pending.edges.map(({ node: m }) => (
            <li key={m.user.id} className="flex flex-wrap items-center gap-3 py-3">
              <Avatar name={m.user.displayName} url={m.user.profile.avatarUrl} />
              <Link
                to={`/people/${m.user.handle}`}
                className="min-w-[9rem] flex-1 font-medium break-words text-stone-900 hover:underline"
              >
                {m.user.displayName}
              </Link>
              <div className="flex gap-2">
                <Button
                  busy={approving.loading}
                  aria-label={intl.formatMessage(
                    {
                      id: 'groups.requests.accept',
                      defaultMessage: 'Accept {name}',
                      description: 'Accept a join request (accessible name)',
                    },
                    { name: m.user.displayName },
                  )}
                  onClick={() => void decide(m.user.id, m.user.displayName, true)}
                >
                  <FormattedMessage
                    id="groups.requests.acceptShort"
                    defaultMessage="Accept"
                    description="Accept a join request"
                  />
                </Button>
                <Button
                  variant="secondary"
                  busy={rejecting.loading}
                  aria-label={intl.formatMessage(
                    {
                      id: 'groups.requests.refuse',
                      defaultMessage: 'Refuse {name}',
                      description: 'Refuse a join request (accessible name)',
                    },
                    { name: m.user.displayName },
                  )}
                  onClick={() => void decide(m.user.id, m.user.displayName, false)}
                >
                  <FormattedMessage
                    id="groups.requests.refuseShort"
                    defaultMessage="Refuse"
                    description="Refuse a join request"
                  />
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Invitations({ groupId }: { groupId: string }) {
  const intl = useIntl();
  const searchId = useId();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [said, setSaid] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQuery(typed.trim()), 250);
    return () => clearTimeout(t);
  }, [typed]);
  const people = useQuery(GroupPeopleToInviteDocument, {
    variables: { query },
    skip: query.length < 2,
  });
  const invited = useQuery(GroupMembersDocument, {
    variables: { id: groupId, status: 'INVITED' },
    fetchPolicy: 'cache-and-network',
  });
  const [invite, inviting] = useMutation(GroupInviteDocument, {
    refetchQueries: ['GroupMembers'],
  });
  const problems = problemsOf(inviting.error);
  const waiting = invited.data?.group?.members.edges ?? [];
  const found = query.length >= 2 ? (people.data?.users.nodes ?? []) : [];
  return (
    <Section
      id="settings-invitations"
      title={
        <FormattedMessage
          id="groups.invite.title"
          defaultMessage="Invite colleagues"
          description="Settings section title"
        />
      }
      intro={
        <FormattedMessage
          id="groups.invite.intro"
          defaultMessage="Each person invited receives a notification and joins when they accept."
          description="Invitations section introduction"
        />
      }
    >
      <Problems problems={problems} />
      <label htmlFor={searchId} className="block text-sm font-medium text-stone-800">
        <FormattedMessage
          id="groups.invite.search"
          defaultMessage="Find people by name"
          description="People search field for invitations"
        />
      </label>
      <input
        id={searchId}
        type="search"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        className="mt-1 block w-full max-w-md rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700"
      />
      <p role="status" className="mt-2 text-sm text-stone-800">
        {said}
      </p>
      {found.length > 0 && (
        <ul className="mt-2 divide-y divide-stone-200">
          {found.map((u) => (
            <li key={u.id} className="flex flex-wrap items-center gap-3 py-2">
              <Avatar name={u.displayName} url={u.profile.avatarUrl} size={32} />
              <span className="min-w-[9rem] flex-1 break-words">
                {u.displayName}
                {u.profile.jobTitle && (
                  <span className="text-sm text-stone-600"> · {u.profile.jobTitle}</span>
                )}
              </span>
              <Button
                variant="secondary"
                busy={inviting.loading}
                aria-label={intl.formatMessage(
                  {
                    id: 'groups.invite.one',
                    defaultMessage: 'Invite {name}',
                    description: 'Invite one person (accessible name)',
                  },
                  { name: u.displayName },
                )}
                onClick={() =>
                  void invite({ variables: { groupId, userIds: [u.id] } }).then(
                    () =>
                      setSaid(
                        intl.formatMessage(
                          {
                            id: 'groups.invite.done',
                            defaultMessage: '{name} is invited.',
                            description: 'After inviting someone',
                          },
                          { name: u.displayName },
                        ),
                      ),
                    () => undefined,
                  )
                }
              >
                <FormattedMessage
                  id="groups.invite.button"
                  defaultMessage="Invite"
                  description="Invite button"
                />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {waiting.length > 0 && (
        <div className="mt-4">
          <h3 className="text-sm font-semibold text-stone-900">
            <FormattedMessage
              id="groups.invite.waiting"
              defaultMessage="Invited, waiting for an answer"
              description="Heading of the list of pending invitations"
            />
          </h3>
          <ul className="mt-1 flex flex-wrap gap-2">
            {waiting.map(({ node: m }) => (
              <li
                key={m.user.id}
                className="rounded-full border border-stone-300 bg-stone-50 px-3 py-1 text-sm text-stone-800"
              >
                {m.user.displayName}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}

function Roles({ groupId }: { groupId: string }) {
  const intl = useIntl();
  const viewer = useViewer();
  const { data, loading, fetchMore } = useQuery(GroupMembersDocument, {
    variables: { id: groupId },
  });
  const [setRole, setting] = useMutation(GroupSetMemberRoleDocument);
  const [remove, removing] = useMutation(GroupRemoveMemberDocument, {
    refetchQueries: ['GroupMembers', 'GroupByRef'],
  });
  const [removing_, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [said, setSaid] = useState('');
  const problems = problemsOf(setting.error ?? removing.error);
  const members = data?.group?.members;
  return (
    <Section
      id="settings-roles"
      title={
        <FormattedMessage
          id="groups.roles.title"
          defaultMessage="Members and roles"
          description="Settings section title"
        />
      }
      intro={
        <FormattedMessage
          id="groups.roles.intro"
          defaultMessage="A member’s role decides what they may do, as the table below says."
          description="Roles section introduction"
        />
      }
    >
      <Problems problems={problems} />
      <p role="status" className="mb-2 text-sm text-stone-800 empty:hidden">
        {said}
      </p>
      {!members && loading && <Skeleton rows={1} />}
      {members && (
        <ul className="divide-y divide-stone-200">
          {members.edges.map(({ node: m }) => (
            <li key={m.user.id} className="flex flex-wrap items-center gap-3 py-2">
              <Avatar name={m.user.displayName} url={m.user.profile.avatarUrl} size={32} />
              <Link
                to={`/people/${m.user.handle}`}
                className="min-w-[9rem] flex-1 font-medium break-words text-stone-900 hover:underline"
              >
                {m.user.displayName}
              </Link>
              <label className="sr-only" htmlFor={`role-${m.user.id}`}>
                {intl.formatMessage(
                  {
                    id: 'groups.roles.of',
                    defaultMessage: 'Role of {name}',
                    description: 'Role select label',
                  },
                  { name: m.user.displayName },
                )}
              </label>
              <select
                id={`role-${m.user.id}`}
                value={m.role}
                disabled={setting.loading || m.user.id === viewer.id}
                onChange={(e) =>
                  void setRole({
                    variables: { groupId, userId: m.user.id, role: e.target.value as GroupRole },
                  }).then(
                    (r) =>
                      r.data &&
                      setSaid(
                        intl.formatMessage(
                          {
                            id: 'groups.roles.changed',
                            defaultMessage: '{name} is now {role}.',
                            description: 'After changing a role',
                          },
                          {
                            name: m.user.displayName,
                            role: intl.formatMessage(roleName[r.data.setMemberRole.role]),
                          },
                        ),
                      ),
                    () => undefined,
                  )
                }
                className="rounded-md border border-stone-400 bg-white px-2 py-1.5 text-sm"
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {intl.formatMessage(roleName[r])}
                  </option>
                ))}
              </select>
              {m.user.id !== viewer.id && (
                <Button
                  variant="ghost"
                  aria-label={intl.formatMessage(
                    {
                      id: 'groups.roles.remove',
                      defaultMessage: 'Remove {name} from the group',
                      description: 'Remove a member (accessible name)',
                    },
                    { name: m.user.displayName },
                  )}
                  onClick={() => setRemoving({ id: m.user.id, name: m.user.displayName })}
                >
                  <FormattedMessage
                    id="groups.roles.removeShort"
                    defaultMessage="Remove"
                    description="Remove a member"
                  />
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {members?.pageInfo.hasNextPage && (
        <Button
          variant="secondary"
          className="mt-2"
          onClick={() => void fetchMore({ variables: { after: members.pageInfo.endCursor } })}
        >
          <FormattedMessage
            id="groups.members.more"
            defaultMessage="Show more members"
            description="Loads the next members"
          />
        </Button>
      )}
      <Confirm
        open={removing_ !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={
          <FormattedMessage
            id="groups.roles.remove.title"
            defaultMessage="Remove {name}?"
            description="Remove member confirmation title"
            values={{ name: removing_?.name ?? '' }}
          />
        }
        description={
          <FormattedMessage
            id="groups.roles.remove.body"
            defaultMessage="They will no longer read the group’s posts, starting now."
            description="Remove member confirmation"
          />
        }
        confirm={
          <FormattedMessage
            id="groups.roles.remove.confirm"
            defaultMessage="Remove"
            description="Confirm removing a member"
          />
        }
        busy={removing.loading}
        onConfirm={() => {
          const who = removing_;
          if (!who) return;
          void remove({ variables: { groupId, userId: who.id } }).then(
            () => {
              setRemoving(null);
              setSaid(
                intl.formatMessage(
                  {
                    id: 'groups.roles.removed',
                    defaultMessage: '{name} was removed from the group.',
                    description: 'After removing a member',
                  },
                  { name: who.name },
                ),
              );
            },
            () => setRemoving(null),
          );
        }}
      />
    </Section>
  );
}

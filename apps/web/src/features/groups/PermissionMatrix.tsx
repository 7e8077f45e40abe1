import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import {
  GroupSetRolePermissionsDocument,
  type GroupPermission,
  type GroupRole,
} from '../../gql/graphql';
import { Problems, problemsOf } from '../../ui';
import { Section } from './Section';
import { permissionHelp, permissionName, PERMISSIONS, roleName, ROLES } from './words';

/**
 * The group's access rules as a table: a row per role, a column per permission (its header says
 * what it lets a role do), a checkbox per cell, each row saved on its own. OWNER always holds
 * everything; a manager cannot grant or withdraw what they do not hold themselves.
 */
export function PermissionMatrix({
  groupId,
  matrix,
  held,
}: {
  groupId: string;
  matrix: { role: GroupRole; permissions: GroupPermission[] }[];
  held: GroupPermission[];
}) {
  const intl = useIntl();
  const [drafts, setDrafts] = useState<Partial<Record<GroupRole, GroupPermission[]>>>({});
  const [said, setSaid] = useState('');
  const [save, saving] = useMutation(GroupSetRolePermissionsDocument);
  const problems = problemsOf(saving.error);
  const stored = (role: GroupRole) =>
    role === 'OWNER' ? PERMISSIONS : (matrix.find((r) => r.role === role)?.permissions ?? []);
  const current = (role: GroupRole) => drafts[role] ?? stored(role);
  const dirty = (role: GroupRole) => {
    const d = drafts[role];
    if (!d) return false;
    const s = stored(role);
    return d.length !== s.length || d.some((p) => !s.includes(p));
  };
  const toggle = (role: GroupRole, p: GroupPermission, on: boolean) => {
    setSaid('');
    const now = current(role);
    const next = on ? [...now, p] : now.filter((x) => x !== p);
    setDrafts({ ...drafts, [role]: PERMISSIONS.filter((x) => next.includes(x)) });
  };
  const submit = async (role: GroupRole) => {
    setSaid('');
    const { data } = await save({
      variables: { groupId, role, permissions: current(role) },
    }).catch(() => ({ data: undefined }));
    if (!data) return;
    setDrafts((d) => ({ ...d, [role]: undefined }));
    setSaid(
      intl.formatMessage(
        {
          id: 'groups.matrix.saved',
          defaultMessage: 'Saved: what {role} may do.',
          description: 'After saving one role of the permission matrix',
        },
        { role: intl.formatMessage(roleName[role]) },
      ),
    );
  };
  const captionId = 'permission-matrix-caption';
  return (
    <Section
      id="settings-matrix"
      title={
        <FormattedMessage
          id="groups.matrix.title"
          defaultMessage="Who may do what"
          description="Permission matrix section title"
        />
      }
      intro={
        <FormattedMessage
          id="groups.matrix.intro"
          defaultMessage="Tick what each role may do in this group, then save that role’s row. The owner always holds every permission. You can only grant or withdraw permissions you hold yourself."
          description="Permission matrix introduction"
        />
      }
    >
      <Problems problems={problems} />
      <div
        role="region"
        aria-labelledby={captionId}
        tabIndex={0}
        className="relative max-w-full overflow-x-auto rounded-md border border-stone-200 focus-visible:outline-2 focus-visible:outline-amber-700"
      >
        <table className="w-full border-collapse text-sm">
          <caption id={captionId} className="sr-only">
            <FormattedMessage
              id="groups.matrix.caption"
              defaultMessage="Permissions of each role (rows) in this group (columns)"
              description="Permission matrix table caption"
            />
          </caption>
          <thead>
            <tr className="bg-stone-50 align-bottom">
              <th
                scope="col"
                className="sticky left-0 z-10 bg-stone-50 p-2 text-left font-semibold text-stone-900"
              >
                <FormattedMessage
                  id="groups.matrix.role"
                  defaultMessage="Role"
                  description="Permission matrix: roles column"
                />
              </th>
              {PERMISSIONS.map((p) => (
                <th
                  key={p}
                  scope="col"
                  className="min-w-[5.75rem] p-2 text-left align-bottom font-normal"
                >
                  <span className="block font-semibold text-stone-900">
                    {intl.formatMessage(permissionName[p])}
                  </span>
                  <span className="block text-xs text-stone-700">
                    {intl.formatMessage(permissionHelp[p])}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROLES.map((role) => {
              const owner = role === 'OWNER';
              const name = intl.formatMessage(roleName[role]);
              return (
                <tr key={role} className="border-t border-stone-200">
                  <th
                    scope="row"
                    className="sticky left-0 z-10 min-w-[6.5rem] bg-white p-2 text-left font-semibold text-stone-900"
                  >
                    {name}
                    {!owner && (
                      <button
                        type="button"
                        className="mt-1 block rounded border border-amber-800 bg-amber-800 px-2 py-1 text-xs font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700 disabled:border-stone-300 disabled:bg-white disabled:text-stone-600"
                        disabled={!dirty(role)}
                        aria-busy={(saving.loading && dirty(role)) || undefined}
                        onClick={() => void submit(role)}
                        aria-label={intl.formatMessage(
                          {
                            id: 'groups.matrix.save',
                            defaultMessage: 'Save what {role} may do',
                            description: 'Saves one row of the permission matrix',
                          },
                          { role: name },
                        )}
                      >
                        <FormattedMessage
                          id="groups.matrix.saveShort"
                          defaultMessage="Save"
                          description="Saves one row of the matrix"
                        />
                      </button>
                    )}
                    {owner && (
                      <span className="block text-xs font-normal text-stone-700">
                        <FormattedMessage
                          id="groups.matrix.ownerAlways"
                          defaultMessage="Always holds everything"
                          description="The owner row cannot be changed"
                        />
                      </span>
                    )}
                  </th>
                  {PERMISSIONS.map((p) => (
                    <td key={p} className="p-2 text-center">
                      <input
                        type="checkbox"
                        className="h-5 w-5 accent-amber-800 focus-visible:outline-2 focus-visible:outline-amber-700 disabled:opacity-60"
                        checked={owner || current(role).includes(p)}
                        disabled={owner || !held.includes(p) || saving.loading}
                        onChange={(e) => toggle(role, p, e.target.checked)}
                        aria-label={intl.formatMessage(
                          {
                            id: 'groups.matrix.cell',
                            defaultMessage: '{role} may {permission}',
                            description:
                              'Accessible name of one checkbox of the matrix, e.g. "Member may post"',
                          },
                          {
                            role: name,
                            permission: intl
                              .formatMessage(permissionName[p])
                              .toLocaleLowerCase(intl.locale),
                          },
                        )}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p role="status" className="mt-2 text-sm font-medium text-green-800">
        {said}
      </p>
    </Section>
  );
}

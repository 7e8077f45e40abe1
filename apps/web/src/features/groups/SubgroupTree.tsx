import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { GroupSubgroupsDocument } from '../../gql/graphql';
import { Problems, problemsOf, Skeleton } from '../../ui';
import { visibilityName } from './words';

/**
 * A group's sub-groups as a tree: nested lists of links, each branch opened by a button that
 * says whether it is expanded (aria-expanded) and loads its children when first opened.
 */
export function SubgroupTree({ groupId, groupName }: { groupId: string; groupName: string }) {
  return (
    <nav
      aria-label={useIntl().formatMessage(
        {
          id: 'groups.tree.label',
          defaultMessage: 'Sub-groups of {name}',
          description: 'The sub-group tree, named by its root',
        },
        { name: groupName },
      )}
    >
      <Branch groupId={groupId} depth={0} />
    </nav>
  );
}

function Branch({ groupId, depth }: { groupId: string; depth: number }) {
  const intl = useIntl();
  const { data, loading, error } = useQuery(GroupSubgroupsDocument, { variables: { id: groupId } });
  if (!data && loading) return <Skeleton rows={1} />;
  const subgroups = data?.group?.subgroups;
  if (!subgroups) return <Problems problems={problemsOf(error)} />;
  if (subgroups.nodes.length === 0)
    return depth === 0 ? (
      <p className="rounded-lg border border-dashed border-stone-300 p-6 text-center text-stone-700">
        <FormattedMessage
          id="groups.tree.empty"
          defaultMessage="This group has no sub-group you may see."
          description="No sub-group"
        />
      </p>
    ) : null;
  return (
    <ul
      className={
        depth === 0
          ? 'rounded-lg border border-stone-200 bg-white p-2'
          : 'ml-5 border-l border-stone-200 pl-3'
      }
    >
      {subgroups.nodes.map((g) => (
        <Node
          key={g.id}
          id={g.id}
          slug={g.slug}
          name={g.name}
          detail={`${intl.formatMessage(visibilityName[g.visibility])} · ${intl.formatMessage(
            {
              id: 'groups.membersCount',
              defaultMessage: '{count, plural, one {# member} other {# members}}',
              description: "A group's number of active members",
            },
            { count: g.membersCount },
          )}`}
          hasChildren={g.subgroups.totalCount > 0}
          depth={depth}
        />
      ))}
    </ul>
  );
}

function Node({
  id,
  slug,
  name,
  detail,
  hasChildren,
  depth,
}: {
  id: string;
  slug: string;
  name: string;
  detail: string;
  hasChildren: boolean;
  depth: number;
}) {
  const intl = useIntl();
  const [open, setOpen] = useState(false);
  const childrenId = `subgroups-${id}`;
  return (
    <li className="py-1">
      <div className="flex items-start gap-2">
        {hasChildren ? (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={open ? childrenId : undefined}
            aria-label={intl.formatMessage(
              {
                id: 'groups.tree.toggle',
                defaultMessage: 'Sub-groups of {name}',
                description: 'Button that opens or closes a branch of the sub-group tree',
              },
              { name },
            )}
            onClick={() => setOpen(!open)}
            className="inline-flex h-8 w-8 shrink-0 items-center justify-center rounded text-stone-800 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700"
          >
            <span aria-hidden="true" className={`transition-transform ${open ? 'rotate-90' : ''}`}>
              ▸
            </span>
          </button>
        ) : (
          <span className="inline-block w-8 shrink-0" aria-hidden="true" />
        )}
        <p className="min-w-0 py-1">
          <Link
            to={`/groups/${slug}`}
            className="font-medium break-words text-stone-900 hover:underline focus-visible:outline-2 focus-visible:outline-amber-700"
          >
            {name}
          </Link>{' '}
          <span className="text-sm whitespace-nowrap text-stone-600">{detail}</span>
        </p>
      </div>
      {open && (
        <div id={childrenId}>
          <Branch groupId={id} depth={depth + 1} />
        </div>
      )}
    </li>
  );
}

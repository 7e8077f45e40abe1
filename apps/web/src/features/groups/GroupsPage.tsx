import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { GroupsBrowseDocument, type GroupListFieldsFragment } from '../../gql/graphql';
import {
  Button,
  Page,
  Problems,
  problemsOf,
  Skeleton,
  Tab,
  TabList,
  TabPanel,
  Tabs,
} from '../../ui';
import { GroupBadges } from './GroupBadges';

/** /groups: the viewer's groups and all the groups they may see, searchable by name. */
export function GroupsPage() {
  const intl = useIntl();
  const [params, setParams] = useSearchParams();
  const query = params.get('query') ?? '';
  const tab = params.get('tab') === 'all' || (query && !params.get('tab')) ? 'all' : 'mine';
  const [typed, setTyped] = useState(query);
  const searchId = useId();

  // The list follows what is typed, a moment after the last key.
  useEffect(() => {
    if (typed.trim() === query) return;
    const t = setTimeout(() => {
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (typed.trim()) next.set('query', typed.trim());
          else next.delete('query');
          return next;
        },
        { replace: true },
      );
    }, 300);
    return () => clearTimeout(t);
  }, [typed, query, setParams]);

  const setTab = (value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('tab', value);
        return next;
      },
      { replace: true },
    );

  return (
    <Page
      title={intl.formatMessage({
        id: 'groups.browse.title',
        defaultMessage: 'Groups',
        description: 'Groups page title',
      })}
      actions={
        <Link
          to="/groups/new"
          className="inline-flex min-h-10 items-center rounded-md bg-amber-800 px-4 py-2 text-sm font-medium text-white hover:bg-amber-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700"
        >
          <FormattedMessage
            id="groups.browse.create"
            defaultMessage="Create a group"
            description="Link to the new group form"
          />
        </Link>
      }
    >
      <form
        role="search"
        className="mb-4"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ query: typed.trim(), tab: 'all' }, { replace: true });
        }}
      >
        <label htmlFor={searchId} className="block text-sm font-medium text-stone-800">
          <FormattedMessage
            id="groups.browse.search"
            defaultMessage="Search groups by name"
            description="Group search field label"
          />
        </label>
        <input
          id={searchId}
          type="search"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          className="mt-1 block w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 focus:border-amber-700 focus:outline-2 focus:outline-amber-700"
        />
      </form>
      <Tabs value={tab} onValueChange={setTab}>
        <TabList
          className="mb-4"
          aria-label={intl.formatMessage({
            id: 'groups.browse.tabs',
            defaultMessage: 'Which groups',
            description: 'Tabs label: my groups or all groups',
          })}
        >
          <Tab value="mine">
            <FormattedMessage
              id="groups.browse.mine"
              defaultMessage="My groups"
              description="Tab: the groups the viewer belongs to"
            />
          </Tab>
          <Tab value="all">
            <FormattedMessage
              id="groups.browse.all"
              defaultMessage="All groups"
              description="Tab: every group the viewer may see"
            />
          </Tab>
        </TabList>
        <TabPanel value="mine" className="outline-none">
          <GroupList query={query} memberOnly />
        </TabPanel>
        <TabPanel value="all" className="outline-none">
          <GroupList query={query} memberOnly={false} />
        </TabPanel>
      </Tabs>
    </Page>
  );
}

function GroupList({ query, memberOnly }: { query: string; memberOnly: boolean }) {
  const { data, loading, error, fetchMore } = useQuery(GroupsBrowseDocument, {
    variables: { query: query || null, memberOnly },
    notifyOnNetworkStatusChange: true,
  });
  const [more, setMore] = useState(false);
  if (!data && loading) return <Skeleton rows={3} />;
  if (!data) return <Problems problems={problemsOf(error)} />;
  const { edges, totalCount, pageInfo } = data.groups;
  return (
    <div>
      <p role="status" className="mb-3 text-sm text-stone-700">
        {totalCount === 0 && query ? (
          <FormattedMessage
            id="groups.browse.noneFor"
            defaultMessage="No group matches “{query}”."
            description="No group matches the search"
            values={{ query }}
          />
        ) : query ? (
          <FormattedMessage
            id="groups.browse.countFor"
            defaultMessage="{count, plural, one {# group matches} other {# groups match}} “{query}”"
            description="How many groups match the search"
            values={{ count: totalCount, query }}
          />
        ) : totalCount === 0 && memberOnly ? (
          <FormattedMessage
            id="groups.browse.noneMine"
            defaultMessage="You belong to no group yet."
            description="The viewer belongs to no group"
          />
        ) : memberOnly ? (
          <FormattedMessage
            id="groups.browse.countMine"
            defaultMessage="You belong to {count, plural, one {# group} other {# groups}}."
            description="How many groups the viewer belongs to"
            values={{ count: totalCount }}
          />
        ) : totalCount === 0 ? (
          <FormattedMessage
            id="groups.browse.noneAll"
            defaultMessage="No group yet."
            description="There is no group the viewer may see"
          />
        ) : (
          <FormattedMessage
            id="groups.browse.countAll"
            defaultMessage="{count, plural, one {# group} other {# groups}}"
            description="How many groups the viewer may see"
            values={{ count: totalCount }}
          />
        )}
      </p>
      <ul className="space-y-3">
        {edges.map(({ node }) => (
          <li key={node.id}>
            <GroupCard group={node} />
          </li>
        ))}
      </ul>
      {pageInfo.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            variant="secondary"
            busy={more}
            onClick={() => {
              setMore(true);
              void fetchMore({ variables: { after: pageInfo.endCursor } }).finally(() =>
                setMore(false),
              );
            }}
          >
            <FormattedMessage
              id="groups.browse.more"
              defaultMessage="Show more groups"
              description="Loads the next page of groups"
            />
          </Button>
        </div>
      )}
    </div>
  );
}

export function GroupCard({ group }: { group: GroupListFieldsFragment }) {
  return (
    <article className="rounded-lg border border-stone-200 bg-white p-4">
      <h2 className="text-lg font-semibold break-words">
        <Link
          to={`/groups/${group.slug}`}
          className="text-stone-900 hover:underline focus-visible:outline-2 focus-visible:outline-amber-700"
        >
          {group.name}
        </Link>
      </h2>
      {group.parent && (
        <p className="text-sm text-stone-600">
          <FormattedMessage
            id="groups.card.parent"
            defaultMessage="In {parent}"
            description="The group a sub-group stands in, on a group card"
            values={{ parent: group.parent.name }}
          />
        </p>
      )}
      {group.description && (
        <p className="mt-1 line-clamp-2 break-words text-sm text-stone-700">{group.description}</p>
      )}
      <GroupBadges group={group} />
    </article>
  );
}

import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { PeopleDirectoryDocument } from '../../gql/graphql';
import { Avatar, Button, Page, Problems, problemsOf, Skeleton, TextField } from '../../ui';
import { useDebounced } from './useDebounced';

/** /people — the directory: search by name, filter by department, cards to the profiles. */
export function DirectoryPage() {
  const intl = useIntl();
  const [query, setQuery] = useState('');
  const [department, setDepartment] = useState('');
  const q = useDebounced(query.trim());
  const d = useDebounced(department.trim());
  const { data, previousData, loading, error, fetchMore } = useQuery(PeopleDirectoryDocument, {
    variables: { query: q || undefined, department: d || undefined },
  });
  const users = (data ?? previousData)?.users;
  return (
    <Page
      title={intl.formatMessage({
        id: 'people.directory.title',
        defaultMessage: 'People',
        description: 'Directory page title',
      })}
    >
      <form
        role="search"
        onSubmit={(e) => e.preventDefault()}
        className="grid gap-x-4 sm:grid-cols-2"
      >
        <TextField
          type="search"
          label={
            <FormattedMessage
              id="people.directory.search"
              defaultMessage="Search by name, handle or skill"
              description="Directory search field"
            />
          }
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <TextField
          label={
            <FormattedMessage
              id="people.directory.department"
              defaultMessage="Department"
              description="Directory department filter"
            />
          }
          hint={
            <FormattedMessage
              id="people.directory.departmentHint"
              defaultMessage="Its exact name, e.g. Finance"
              description="Hint under the department filter"
            />
          }
          value={department}
          onChange={(e) => setDepartment(e.target.value)}
        />
      </form>
      <Problems problems={problemsOf(error)} />
      <p role="status" aria-live="polite" className="mb-3 text-sm text-stone-700">
        {users &&
          (users.totalCount === 0 ? (
            <FormattedMessage
              id="people.directory.none"
              defaultMessage="No one found."
              description="The directory found no one"
            />
          ) : (
            <FormattedMessage
              id="people.directory.count"
              defaultMessage="{count, plural, one {# person} other {# people}}"
              description="How many people the directory found"
              values={{ count: users.totalCount }}
            />
          ))}
      </p>
      {!users && loading && <Skeleton rows={3} />}
      {users && (
        <ul className="grid gap-3 sm:grid-cols-2">
          {users.edges.map(({ node: u }) => (
            <li key={u.id}>
              <Link
                to={`/people/${u.handle}`}
                className="flex h-full items-center gap-3 rounded-lg border border-stone-200 bg-white p-3 hover:border-amber-700 focus-visible:outline-2 focus-visible:outline-amber-700"
              >
                <Avatar name={u.displayName} url={u.profile.avatarUrl} size={48} />
                <span className="min-w-0">
                  <span className="block truncate font-semibold text-stone-900">
                    {u.displayName}
                  </span>
                  <span className="block truncate text-sm text-stone-700">
                    {[u.profile.jobTitle, u.profile.department].filter(Boolean).join(' · ') ||
                      `@${u.handle}`}
                  </span>
                  {u.profile.location && (
                    <span className="block truncate text-sm text-stone-600">
                      {u.profile.location}
                    </span>
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {users?.pageInfo.hasNextPage && (
        <Button
          variant="secondary"
          className="mt-4"
          busy={loading}
          onClick={() =>
            void fetchMore({ variables: { after: users.pageInfo.endCursor } }).catch(
              () => undefined,
            )
          }
        >
          <FormattedMessage
            id="people.loadMore"
            defaultMessage="Load more"
            description="Loads the next page of a list"
          />
        </Button>
      )}
    </Page>
  );
}

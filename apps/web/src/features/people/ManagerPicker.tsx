import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { PeopleDirectoryDocument } from '../../gql/graphql';
import { Button, TextField } from '../../ui';
import { useDebounced } from './useDebounced';

export interface ManagerChoice {
  id: string;
  displayName: string;
}

/** Who I report to: the current choice, and a directory search to pick another. */
export function ManagerPicker({
  selfId,
  value,
  onChange,
  error,
}: {
  selfId: string;
  value: ManagerChoice | null;
  onChange: (m: ManagerChoice | null) => void;
  error?: string;
}) {
  const intl = useIntl();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim());
  const { data } = useQuery(PeopleDirectoryDocument, { variables: { query: q }, skip: !q });
  const found = q
    ? (data?.users.edges.map((e) => e.node).filter((u) => u.id !== selfId) ?? [])
    : [];
  return (
    <div className="mb-4">
      <p className="mb-2 text-sm text-stone-800">
        {value ? (
          <FormattedMessage
            id="people.editor.managerIs"
            defaultMessage="Your manager: {name}"
            description="The current manager in the editor"
            values={{ name: <strong>{value.displayName}</strong> }}
          />
        ) : (
          <FormattedMessage
            id="people.editor.noManager"
            defaultMessage="No manager set."
            description="No manager in the editor"
          />
        )}
        {value && (
          <Button variant="ghost" className="ml-2" onClick={() => onChange(null)}>
            <FormattedMessage
              id="people.editor.removeManager"
              defaultMessage="Remove"
              description="Clears the manager"
            />
          </Button>
        )}
      </p>
      <TextField
        type="search"
        label={
          <FormattedMessage
            id="people.editor.findManager"
            defaultMessage="Find your manager"
            description="Search field to choose a manager"
          />
        }
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        error={error}
      />
      <div role="status" aria-live="polite" className="sr-only">
        {q && data && (
          <FormattedMessage
            id="people.editor.managerResults"
            defaultMessage="{count, plural, one {# person} other {# people}} found"
            description="How many people the manager search found"
            values={{ count: found.length }}
          />
        )}
      </div>
      {found.length > 0 && (
        <ul className="-mt-2 mb-2 divide-y divide-stone-100 rounded-md border border-stone-200">
          {found.slice(0, 5).map((u) => (
            <li key={u.id} className="flex items-center justify-between gap-2 px-3 py-1">
              <span className="min-w-0 truncate text-stone-900">
                {u.displayName}
                {u.profile.jobTitle && (
                  <span className="text-sm text-stone-600"> · {u.profile.jobTitle}</span>
                )}
              </span>
              <Button
                variant="secondary"
                aria-label={intl.formatMessage(
                  {
                    id: 'people.editor.chooseManager',
                    defaultMessage: 'Choose {name} as my manager',
                    description: 'Picks a manager from the search results (screen readers)',
                  },
                  { name: u.displayName },
                )}
                onClick={() => {
                  onChange({ id: u.id, displayName: u.displayName });
                  setQuery('');
                }}
              >
                <FormattedMessage
                  id="people.editor.choose"
                  defaultMessage="Choose"
                  description="Picks a manager from the search results"
                />
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

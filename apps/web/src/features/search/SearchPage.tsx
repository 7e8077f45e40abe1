import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { SearchResultsDocument, type SearchKind } from '../../gql/graphql';
import { Button, fieldProblem, Page, Problems, problemsOf, Skeleton, TextField } from '../../ui';
import { terms } from './highlight';
import { SearchHitCard } from './SearchHit';

const PAGE = 20;
/** The kind filter as the URL says it (`?kind=people`), and as the API does. */
const KINDS = { people: 'USER', groups: 'GROUP', posts: 'POST' } as const satisfies Record<
  string,
  SearchKind
>;
type KindParam = keyof typeof KINDS;
const isKind = (k: string | null): k is KindParam => k !== null && k in KINDS;

/** /search?q=…&kind=people|groups|posts: people, groups and posts the viewer may see. */
export function SearchPage() {
  const intl = useIntl();
  const [params, setParams] = useSearchParams();
  const urlQuery = params.get('q') ?? '';
  const query = urlQuery.trim();
  const kindParam = params.get('kind');
  const kind = isKind(kindParam) ? kindParam : null;

  // The box shows what the URL says after back/forward or a link, what the viewer types otherwise.
  const [draft, setDraft] = useState(urlQuery);
  const [shown, setShown] = useState(urlQuery);
  if (shown !== urlQuery) {
    setShown(urlQuery);
    setDraft(urlQuery);
  }

  const { data, previousData, error, networkStatus, fetchMore } = useQuery(SearchResultsDocument, {
    variables: { query, kinds: kind ? [KINDS[kind]] : undefined, first: PAGE },
    skip: !query,
    notifyOnNetworkStatusChange: true,
  });
  const [moreError, setMoreError] = useState<unknown>(null);
  const loadingMore = networkStatus === NetworkStatus.fetchMore;
  const searching = !!query && !data && !error;
  const results = query ? (data ?? (searching ? previousData : undefined))?.search : undefined;
  const edges = results?.edges ?? [];
  const problems = problemsOf(error ?? moreError);
  const queryProblem = fieldProblem(problems, 'query');
  const words = terms(query);

  const go = (next: { q?: string; kind?: KindParam | null }) => {
    const q = (next.q ?? query).trim();
    const k = next.kind === undefined ? kind : next.kind;
    setMoreError(null);
    setParams({ ...(q ? { q } : {}), ...(k ? { kind: k } : {}) });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: draft });
  };
  const more = async () => {
    setMoreError(null);
    try {
      await fetchMore({ variables: { after: results?.pageInfo.endCursor } });
    } catch (e) {
      setMoreError(e);
    }
  };

  const chips: { key: KindParam | null; label: string }[] = [
    {
      key: null,
      label: intl.formatMessage({
        id: 'search.kind.all',
        defaultMessage: 'All',
        description: 'Filter chip: every kind of result',
      }),
    },
    {
      key: 'people',
      label: intl.formatMessage({
        id: 'search.kind.people',
        defaultMessage: 'People',
        description: 'Filter chip: people only',
      }),
    },
    {
      key: 'groups',
      label: intl.formatMessage({
        id: 'search.kind.groups',
        defaultMessage: 'Groups',
        description: 'Filter chip: groups only',
      }),
    },
    {
      key: 'posts',
      label: intl.formatMessage({
        id: 'search.kind.posts',
        defaultMessage: 'Posts',
        description: 'Filter chip: posts only',
      }),
    },
  ];

  return (
    <Page
      title={intl.formatMessage({
        id: 'search.title',
        defaultMessage: 'Search',
        description: 'Search page title',
      })}
    >
      <form role="search" onSubmit={submit} noValidate className="flex items-end gap-2">
        <div className="min-w-0 flex-1">
          <TextField
            type="search"
            name="q"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            maxLength={300}
            enterKeyHint="search"
            autoComplete="off"
            label={
              <FormattedMessage
                id="search.box"
                defaultMessage="Search people, groups and posts"
                description="Search box label"
              />
            }
            error={
              queryProblem &&
              intl.formatMessage({
                id: 'search.badQuery',
                defaultMessage: 'Type one word or a few (at most 12) to search for.',
                description: 'The API refused the search text',
              })
            }
          />
        </div>
        <Button type="submit" className="mb-4 min-h-[2.625rem]">
          <FormattedMessage
            id="search.submit"
            defaultMessage="Search"
            description="Search button"
          />
        </Button>
      </form>

      <div
        role="group"
        aria-label={intl.formatMessage({
          id: 'search.kinds',
          defaultMessage: 'Show',
          description: 'Label of the kind filter chips',
        })}
        className="mb-4 flex flex-wrap gap-2"
      >
        {chips.map((c) => (
          <button
            key={c.key ?? 'all'}
            type="button"
            aria-pressed={kind === c.key}
            onClick={() => go({ kind: c.key })}
            className={`min-h-10 rounded-full border px-4 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700 ${
              kind === c.key
                ? 'border-amber-800 bg-amber-800 text-white'
                : 'border-stone-300 bg-white text-stone-900 hover:bg-stone-100'
            }`}
          >
            {c.label}
          </button>
        ))}
      </div>

      <Problems problems={problems} fields={['query']} />

      <div role="status" aria-live="polite" className="mb-3 text-sm text-stone-700">
        {searching ? (
          <FormattedMessage
            id="search.searching"
            defaultMessage="Searching…"
            description="While the search runs"
          />
        ) : results && edges.length > 0 ? (
          results.pageInfo.hasNextPage ? (
            <FormattedMessage
              id="search.count.more"
              defaultMessage="The first {count} results for “{query}”"
              description="How many results are shown, when there are more"
              values={{ count: edges.length, query }}
            />
          ) : (
            <FormattedMessage
              id="search.count"
              defaultMessage="{count, plural, one {# result} other {# results}} for “{query}”"
              description="How many results there are"
              values={{ count: edges.length, query }}
            />
          )
        ) : results ? (
          <FormattedMessage
            id="search.none"
            defaultMessage="Nothing matches “{query}”."
            description="No result"
            values={{ query }}
          />
        ) : null}
      </div>

      {!query && (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          <FormattedMessage
            id="search.intro"
            defaultMessage="Find colleagues by name or @handle, groups by name or description, and posts by their words or #hashtags."
            description="The search page before any search"
          />
        </p>
      )}

      {searching && !results && <Skeleton rows={3} />}

      {results && edges.length === 0 && (
        <div className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-700">
          <p className="mb-2">
            <FormattedMessage
              id="search.none.hint"
              defaultMessage="Check the spelling or try fewer words. Only what you may see is found."
              description="Advice when nothing matches"
            />
          </p>
          {kind && (
            <Button variant="secondary" onClick={() => go({ kind: null })}>
              <FormattedMessage
                id="search.none.all"
                defaultMessage="Search all kinds"
                description="Button: drop the kind filter"
              />
            </Button>
          )}
        </div>
      )}

      {edges.length > 0 && (
        <ul
          aria-label={intl.formatMessage({
            id: 'search.results',
            defaultMessage: 'Results',
            description: 'The list of results',
          })}
          className={`space-y-3 ${searching ? 'opacity-60' : ''}`}
        >
          {edges.map(({ node }) => (
            <li key={`${node.__typename}:${node.id}`}>
              <SearchHitCard hit={node} terms={words} />
            </li>
          ))}
        </ul>
      )}

      {results?.pageInfo.hasNextPage && (
        <div className="mt-4 text-center">
          <Button variant="secondary" busy={loadingMore} onClick={() => void more()}>
            <FormattedMessage
              id="search.more"
              defaultMessage="Load more"
              description="Button: the next page of results"
            />
          </Button>
        </div>
      )}
    </Page>
  );
}

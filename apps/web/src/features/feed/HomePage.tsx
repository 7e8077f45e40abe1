import type { Reference } from '@apollo/client';
import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useViewer } from '../../app';
import {
  FeedActivityFieldsFragmentDoc,
  FeedHomeDocument,
  FeedHomeUpdatedDocument,
  type FeedActivityFieldsFragment,
} from '../../gql/graphql';
import { Page, Problems, problemsOf, Skeleton } from '../../ui';
import { Composer } from '../posts';
import { ActivityItem } from './ActivityItem';
import { LoadMore } from './LoadMore';
import { Suggestions } from './Suggestions';

/**
 * / — the home feed: the composer, the viewer's activities newest first, and live arrivals held
 * in a "N new posts" bar until asked for, so nothing moves under the reader's eyes.
 */
export function HomePage() {
  const intl = useIntl();
  const viewer = useViewer();
  const client = useApolloClient();
  const { data, loading, error, fetchMore } = useQuery(FeedHomeDocument, {
    notifyOnNetworkStatusChange: true,
  });
  const [pending, setPending] = useState<FeedActivityFieldsFragment[]>([]);
  const [focusId, setFocusId] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const feed = data?.homeFeed;
  const shownIds = useRef(new Set<string>());
  shownIds.current = new Set(feed?.edges.map((e) => e.node.id));

  /** Puts activities at the top of the cached feed (newest first). */
  const prepend = (activities: FeedActivityFieldsFragment[]) => {
    const cache = client.cache;
    const refs = activities.map((a) =>
      cache.writeFragment({
        fragment: FeedActivityFieldsFragmentDoc,
        fragmentName: 'FeedActivityFields',
        data: a,
      }),
    );
    cache.modify({
      fields: {
        homeFeed(value, { readField }) {
          const existing = value as { edges?: { node: Reference }[] } | undefined;
          if (!existing?.edges) return existing as never;
          const have = new Set(existing.edges.map((e) => readField<string>('id', e.node)));
          const fresh = refs
            .filter((r): r is Reference => !!r && !have.has(readField<string>('id', r) ?? ''))
            .map((node) => ({ __typename: 'ActivityEdge', cursor: '', node }));
          return { ...existing, edges: [...fresh, ...existing.edges] } as never;
        },
      },
    });
  };

  useSubscription(FeedHomeUpdatedDocument, {
    onData: ({ data: result }) => {
      const a = result.data?.homeFeedUpdated;
      if (!a || shownIds.current.has(a.id)) return;
      // The viewer's own doings go straight in: they expect to see them.
      if (a.actor.id === viewer.id) prepend([a]);
      else setPending((all) => (all.some((x) => x.id === a.id) ? all : [a, ...all]));
    },
  });

  const showPending = () => {
    const first = pending[0];
    prepend(pending);
    setPending([]);
    window.scrollTo({ top: 0 });
    if (first) setFocusId(first.id);
  };

  useEffect(() => {
    if (!focusId) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-activity="${focusId}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      setFocusId(null);
    }
  });

  const posts = pending.filter((a) => a.verb === 'POSTED').length;
  const activities = feed?.edges.map((e) => e.node) ?? [];
  return (
    <Page
      title={intl.formatMessage({
        id: 'feed.home.title',
        defaultMessage: 'Home',
        description: 'Title of the home feed',
      })}
    >
      <Composer />
      <div
        role="status"
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 top-28 z-20 flex justify-center sm:top-16"
      >
        {pending.length > 0 && (
          <button
            type="button"
            onClick={showPending}
            className="pointer-events-auto rounded-full bg-amber-800 px-4 py-2 text-sm font-medium text-white shadow-lg hover:bg-amber-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700"
          >
            {posts === pending.length ? (
              <FormattedMessage
                id="feed.home.newPosts"
                defaultMessage="{count, plural, one {# new post} other {# new posts}}"
                description="The bar announcing posts that arrived live; shows them"
                values={{ count: posts }}
              />
            ) : (
              <FormattedMessage
                id="feed.home.newActivity"
                defaultMessage="{count, plural, one {# new update} other {# new updates}}"
                description="The bar announcing activity that arrived live; shows it"
                values={{ count: pending.length }}
              />
            )}
          </button>
        )}
      </div>
      <h2 className="sr-only">
        <FormattedMessage
          id="feed.home.list"
          defaultMessage="Your feed"
          description="Heading of the home feed list"
        />
      </h2>
      {!feed && loading ? (
        <Skeleton rows={4} />
      ) : (
        <div ref={listRef}>
          <Problems problems={problemsOf(error)} />
          {feed && activities.length === 0 && !error && <Suggestions />}
          {activities.map((a) => (
            <div key={a.id} data-activity={a.id} tabIndex={-1} className="outline-none">
              <ActivityItem activity={a} />
            </div>
          ))}
          <LoadMore
            hasMore={!!feed?.pageInfo.hasNextPage}
            loading={loading}
            onMore={() =>
              void fetchMore({ variables: { after: feed?.pageInfo.endCursor } }).catch(
                () => undefined,
              )
            }
          />
        </div>
      )}
    </Page>
  );
}

import type { ApolloCache, Reference } from '@apollo/client';
import type { NotificationsItemFieldsFragment } from '../../gql/graphql';

interface StoredConnection {
  unreadCount?: number;
  edges?: { cursor: string; node: Reference }[];
}

/** Sets the unread count of every stored `notifications` list (the bell's and the page's). */
export function setUnread(cache: ApolloCache, next: (count: number) => number): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      notifications(value: unknown) {
        const existing = value as StoredConnection | undefined;
        if (!existing || typeof existing.unreadCount !== 'number') return value;
        return {
          ...existing,
          unreadCount: Math.max(0, next(existing.unreadCount)),
        };
      },
    },
  });
}

/** A notification that just arrived: counted, and put on top of the list. */
export function addArrived(cache: ApolloCache, n: NotificationsItemFieldsFragment): void {
  const ref = cache.identify({ __typename: 'Notification', id: n.id });
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      notifications(value: unknown, { toReference, readField }) {
        const existing = value as StoredConnection | undefined;
        if (!existing) return value;
        const edges = existing.edges ?? [];
        if (edges.some((e) => readField('id', e.node) === n.id)) return value;
        const node = toReference(ref ?? { __typename: 'Notification', id: n.id });
        return {
          ...existing,
          unreadCount: (existing.unreadCount ?? 0) + (n.readAt ? 0 : 1),
          edges: [{ __typename: 'NotificationEdge', cursor: '', node }, ...edges],
        };
      },
    },
  });
}

/** Marks these notifications (all loaded ones when `ids` is absent) read in the cache. */
export function markReadInCache(cache: ApolloCache, ids: readonly string[], at: string): void {
  for (const id of ids)
    cache.modify({
      id: cache.identify({ __typename: 'Notification', id }),
      fields: { readAt: (readAt: string | null) => readAt ?? at },
    });
}

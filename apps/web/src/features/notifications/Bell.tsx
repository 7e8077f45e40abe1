import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router';
import {
  NotificationsAddedDocument,
  NotificationsBellDocument,
  type NotificationsItemFieldsFragment,
} from '../../gql/graphql';
import { addArrived } from './cache';
import { sentenceOf } from './words';

/**
 * The bell in the shell: a link to the notifications whose name says the unread count, a badge,
 * and a polite live region announcing each arrival (graphql-ws `notificationAdded`).
 */
export function Bell() {
  const intl = useIntl();
  const client = useApolloClient();
  const { data, refetch } = useQuery(NotificationsBellDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [announced, setAnnounced] = useState('');
  useSubscription(NotificationsAddedDocument, {
    onData: ({ data: { data: arrived } }) => {
      if (!arrived) return;
      const n: NotificationsItemFieldsFragment = arrived.notificationAdded;
      addArrived(client.cache, n);
      setAnnounced(
        intl.formatMessage(
          {
            id: 'notifications.arrived',
            defaultMessage: 'New notification: {what}',
            description: 'Announced to screen readers when a notification arrives',
          },
          { what: sentenceOf(n, intl) },
        ),
      );
    },
  });
  // Back on the tab (or after the socket was down): the count from the API.
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') void refetch().catch(() => undefined);
    };
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [refetch]);
  const count = data?.notifications.unreadCount ?? 0;
  return (
    <>
      <NavLink
        to="/notifications"
        className="relative rounded-full p-2 text-stone-800 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700"
        aria-label={intl.formatMessage(
          {
            id: 'notifications.bellCount',
            defaultMessage: 'Notifications, {count, plural, one {# unread} other {# unread}}',
            description: 'Bell label, with the number of unread notifications',
          },
          { count },
        )}
      >
        <svg
          aria-hidden="true"
          width="22"
          height="22"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {count > 0 && (
          <span
            aria-hidden="true"
            className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5 font-semibold text-white"
          >
            {count > 99 ? '99+' : count}
          </span>
        )}
      </NavLink>
      <span role="status" aria-live="polite" className="sr-only">
        {announced}
      </span>
    </>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import {
  NotificationsListDocument,
  NotificationsMarkReadDocument,
  type NotificationsItemFieldsFragment,
} from '../../gql/graphql';
import { Avatar, Button, Page, Problems, problemsOf, Skeleton, Time } from '../../ui';
import { markReadInCache, setUnread } from './cache';
import { linkOf, sentenceOf } from './words';

/** /notifications: newest first, unread ones marked; opening one marks it read; all at once too. */
export function NotificationsPage() {
  const intl = useIntl();
  const navigate = useNavigate();
  const { data, loading, error, fetchMore } = useQuery(NotificationsListDocument, {
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const [more, setMore] = useState(false);
  const [markRead, marking] = useMutation(NotificationsMarkReadDocument);
  const list = data?.notifications;
  const items = (list?.edges ?? []).map((e) => e.node);
  const unread = list?.unreadCount ?? 0;

  const mark = async (ids?: string[]) => {
    const at = new Date().toISOString();
    await markRead({
      variables: { ids: ids ?? null },
      update(cache, { data: result }) {
        if (!result) return;
        markReadInCache(cache, ids ?? items.map((n) => n.id), at);
        setUnread(cache, (n) => (ids ? n - result.markNotificationsRead : 0));
      },
    }).catch(() => undefined);
  };

  const open = (n: NotificationsItemFieldsFragment) => {
    if (!n.readAt) void mark([n.id]);
    void navigate(linkOf(n));
  };

  const loadMore = async () => {
    setMore(true);
    await fetchMore({ variables: { after: list?.pageInfo.endCursor } }).catch(() => undefined);
    setMore(false);
  };

  return (
    <Page
      title={intl.formatMessage({
        id: 'notifications.bell',
        defaultMessage: 'Notifications',
        description: 'Bell label',
      })}
      actions={
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to="/settings/notifications"
            className="rounded-md px-3 py-2 text-sm font-medium text-amber-900 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-amber-700"
          >
            <FormattedMessage
              id="notifications.list.settings"
              defaultMessage="Settings"
              description="Link from the notifications to their settings"
            />
          </Link>
          <Button
            variant="secondary"
            onClick={() => void mark()}
            busy={marking.loading}
            disabled={unread === 0}
          >
            <FormattedMessage
              id="notifications.list.markAll"
              defaultMessage="Mark all as read"
              description="Button"
            />
          </Button>
        </div>
      }
    >
      <p role="status" aria-live="polite" className="mb-4 text-sm text-stone-700">
        <FormattedMessage
          id="notifications.list.unread"
          defaultMessage="{count, plural, one {# unread} other {# unread}}"
          description="How many notifications are unread, above the list"
          values={{ count: unread }}
        />
      </p>
      <Problems problems={problemsOf(error ?? marking.error)} />
      {loading && !items.length ? (
        <Skeleton rows={3} />
      ) : !items.length ? (
        <p className="rounded-lg border border-stone-200 bg-white p-6 text-center text-stone-700">
          <FormattedMessage
            id="notifications.list.empty"
            defaultMessage="No notifications yet. When a colleague mentions you, comments on your posts or invites you to a group, you will see it here."
            description="Empty list"
          />
        </p>
      ) : (
        <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? '' : 'bg-amber-50'}>
              <a
                href={linkOf(n)}
                onClick={(e) => {
                  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                  e.preventDefault();
                  open(n);
                }}
                className="flex items-start gap-3 p-4 hover:bg-stone-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-amber-700"
              >
                <Avatar
                  name={n.actor?.displayName ?? '?'}
                  url={n.actor?.profile.avatarUrl}
                  size={40}
                />
                <span className="min-w-0 flex-1">
                  <span
                    className={`block break-words ${n.readAt ? 'text-stone-800' : 'font-semibold text-stone-950'}`}
                  >
                    {sentenceOf(n, intl)}
                  </span>
                  <span className="mt-1 block text-sm text-stone-600">
                    <Time value={n.createdAt} />
                  </span>
                </span>
                {!n.readAt && (
                  <span className="mt-2 flex shrink-0 items-center gap-1 text-xs font-medium text-amber-900">
                    <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full bg-amber-700" />
                    <FormattedMessage
                      id="notifications.list.unreadMark"
                      defaultMessage="Unread"
                      description="Marks an unread notification"
                    />
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      )}
      {list?.pageInfo.hasNextPage && (
        <div className="mt-4 text-center">
          <Button variant="secondary" onClick={() => void loadMore()} busy={more}>
            <FormattedMessage
              id="notifications.list.more"
              defaultMessage="Load more"
              description="Button: the next page of notifications"
            />
          </Button>
        </div>
      )}
    </Page>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useViewer } from '../../app';
import { FeedFollowDocument, FeedSuggestionsDocument } from '../../gql/graphql';
import { Avatar, Button } from '../../ui';

function FollowButton({ userId, following }: { userId: string; following: boolean }) {
  const [follow, { loading }] = useMutation(FeedFollowDocument, { variables: { userId } });
  if (following)
    return (
      <span className="text-sm text-stone-600">
        <FormattedMessage
          id="feed.suggest.following"
          defaultMessage="Following"
          description="Already followed"
        />
      </span>
    );
  return (
    <Button variant="secondary" busy={loading} onClick={() => void follow().catch(() => undefined)}>
      <FormattedMessage
        id="feed.suggest.follow"
        defaultMessage="Follow"
        description="Follows a suggested person"
      />
    </Button>
  );
}

/** The empty home feed: people to follow and groups to join, so it fills up. */
export function Suggestions() {
  const viewer = useViewer();
  const { data } = useQuery(FeedSuggestionsDocument);
  const people = data?.users.nodes.filter((u) => u.id !== viewer.id) ?? [];
  const groups = data?.groups.nodes ?? [];
  return (
    <div className="rounded-lg border border-dashed border-stone-300 bg-white p-4">
      <p className="mb-4 text-stone-800">
        <FormattedMessage
          id="feed.empty"
          defaultMessage="Your feed is empty for now. Follow colleagues and join groups to see what they share."
          description="Empty home feed"
        />
      </p>
      {people.length > 0 && (
        <section aria-labelledby="suggest-people" className="mb-4">
          <h3 id="suggest-people" className="mb-2 font-semibold text-stone-900">
            <FormattedMessage
              id="feed.suggest.people"
              defaultMessage="People to follow"
              description="Heading"
            />
          </h3>
          <ul className="space-y-2">
            {people.map((u) => (
              <li key={u.id} className="flex items-center gap-3">
                <Avatar name={u.displayName} url={u.profile.avatarUrl} size={32} />
                <div className="min-w-0 flex-1 text-sm">
                  <Link
                    to={`/people/${u.handle}`}
                    className="font-medium text-stone-900 hover:underline"
                  >
                    {u.displayName}
                  </Link>
                  {u.profile.jobTitle && (
                    <div className="truncate text-stone-600">{u.profile.jobTitle}</div>
                  )}
                </div>
                <FollowButton userId={u.id} following={u.viewerIsFollowing} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {groups.length > 0 && (
        <section aria-labelledby="suggest-groups">
          <h3 id="suggest-groups" className="mb-2 font-semibold text-stone-900">
            <FormattedMessage
              id="feed.suggest.groups"
              defaultMessage="Groups to join"
              description="Heading"
            />
          </h3>
          <ul className="space-y-2">
            {groups.map((g) => (
              <li key={g.id} className="text-sm">
                <Link to={`/groups/${g.slug}`} className="font-medium text-amber-800 underline">
                  {g.name}
                </Link>{' '}
                <span className="text-stone-600">
                  <FormattedMessage
                    id="feed.suggest.members"
                    defaultMessage="{count, plural, one {# member} other {# members}}"
                    description="A suggested group's member count"
                    values={{ count: g.membersCount }}
                  />
                </span>
              </li>
            ))}
          </ul>
          <Link to="/groups" className="mt-2 inline-block text-sm text-amber-800 underline">
            <FormattedMessage
              id="feed.suggest.allGroups"
              defaultMessage="Browse all groups"
              description="Link to the groups page"
            />
          </Link>
        </section>
      )}
    </div>
  );
}

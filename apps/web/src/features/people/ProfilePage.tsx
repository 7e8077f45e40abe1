import { QuietHoursNotice } from '../notifications';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { isReference, type Reference } from '@apollo/client';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useParams } from 'react-router';
import { useViewer } from '../../app';
import {
  PeopleFollowDocument,
  PeopleProfileDocument,
  PeopleUnfollowDocument,
  type PostCardFieldsFragment,
} from '../../gql/graphql';
import { Avatar, Button, NotFound, Page, Problems, problemsOf, Skeleton } from '../../ui';
import { Composer, PostCard } from '../posts';

/** User.wall as the cache keeps it (relayStylePagination). */
interface StoredWall {
  edges: { __typename: string; cursor: string; node: Reference }[];
  pageInfo: unknown;
}

/** /people/:handle — a colleague's profile, the follow button, and their wall. */
export function ProfilePage() {
  const { handle = '' } = useParams();
  const intl = useIntl();
  const viewer = useViewer();
  const client = useApolloClient();
  const { data, loading, error, fetchMore } = useQuery(PeopleProfileDocument, {
    variables: { handle },
  });
  const [follow, following] = useMutation(PeopleFollowDocument);
  const [unfollow, unfollowing] = useMutation(PeopleUnfollowDocument);
  const loadingTitle = intl.formatMessage({
    id: 'people.profile.loading',
    defaultMessage: 'Profile',
    description: 'Page title while a profile loads',
  });

  if (loading && !data)
    return (
      <Page title={loadingTitle}>
        <Skeleton rows={2} />
      </Page>
    );
  if (error && !data)
    return (
      <Page title={loadingTitle}>
        <Problems problems={problemsOf(error)} />
      </Page>
    );
  const user = data?.user;
  if (!user) return <NotFound />;

  const mine = user.id === viewer.id;
  const { profile } = user;
  const wall = user.wall;
  const busy = following.loading || unfollowing.loading;
  const toggle = () => {
    const run = user.viewerIsFollowing ? unfollow : follow;
    void run({ variables: { userId: user.id } }).catch(() => undefined);
  };
  const onPosted = (post: PostCardFieldsFragment) => {
    client.cache.modify<{ wall: StoredWall }>({
      id: client.cache.identify({ __typename: 'User', id: user.id }),
      fields: {
        wall(existing, { toReference }) {
          const node = toReference({ __typename: 'Post', id: post.id });
          if (isReference(existing) || !node) return existing;
          return {
            ...existing,
            edges: [{ __typename: 'PostEdge', cursor: '', node }, ...existing.edges],
          };
        },
      },
    });
  };

  const actions = mine ? (
    <Link
      to="/settings/profile"
      className="inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-900 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700"
    >
      <FormattedMessage
        id="people.profile.edit"
        defaultMessage="Edit my profile"
        description="Link from my own profile to its editor"
      />
    </Link>
  ) : user.status === 'ACTIVE' ? (
    <Button
      variant={user.viewerIsFollowing ? 'secondary' : 'primary'}
      busy={busy}
      aria-pressed={user.viewerIsFollowing}
      onClick={toggle}
    >
      {user.viewerIsFollowing ? (
        <FormattedMessage
          id="people.profile.unfollow"
          defaultMessage="Unfollow"
          description="Stop following this person"
        />
      ) : (
        <FormattedMessage
          id="people.profile.follow"
          defaultMessage="Follow"
          description="Follow this person"
        />
      )}
    </Button>
  ) : null;

  return (
    <Page title={user.displayName} actions={actions}>
      <Problems problems={problemsOf(following.error ?? unfollowing.error)} />
      {!mine && (
        <div className="mb-4">
          <QuietHoursNotice until={user.quietHoursUntil} name={user.displayName} />
        </div>
      )}
      <div className="mb-6 flex items-start gap-4 rounded-lg border border-stone-200 bg-white p-4">
        <Avatar name={user.displayName} url={profile.avatarUrl} size={72} />
        <div className="min-w-0 flex-1">
          <p className="break-all text-stone-600">@{user.handle}</p>
          {(profile.jobTitle || profile.department) && (
            <p className="mt-1 text-stone-900">
              {[profile.jobTitle, profile.department].filter(Boolean).join(' · ')}
            </p>
          )}
          {profile.location && <p className="text-stone-700">{profile.location}</p>}
          {user.status !== 'ACTIVE' && (
            <p className="mt-1 text-sm font-medium text-red-800">
              <FormattedMessage
                id="people.profile.inactive"
                defaultMessage="This account is not active."
                description="On the profile of a suspended or deactivated person"
              />
            </p>
          )}
          <p role="status" aria-live="polite" className="mt-2 text-sm text-stone-700">
            <FormattedMessage
              id="people.profile.counts"
              defaultMessage="{followers, plural, one {# follower} other {# followers}} · {following} following"
              description="Follower and following counts on a profile"
              values={{
                followers: user.followersCount,
                following: user.followingCount,
              }}
            />
          </p>
        </div>
      </div>

      <div className="mb-6 grid gap-4 sm:grid-cols-2">
        <section
          aria-labelledby="profile-about"
          className="rounded-lg border border-stone-200 bg-white p-4"
        >
          <h2 id="profile-about" className="mb-2 text-lg font-semibold text-stone-900">
            <FormattedMessage
              id="people.profile.about"
              defaultMessage="About"
              description="Heading of the profile's details"
            />
          </h2>
          {profile.bio ? (
            <p className="mb-3 break-words whitespace-pre-line text-stone-800">{profile.bio}</p>
          ) : (
            <p className="mb-3 text-stone-600">
              <FormattedMessage
                id="people.profile.noBio"
                defaultMessage="No bio yet."
                description="A profile without a bio"
              />
            </p>
          )}
          {profile.skills.length > 0 && (
            <>
              <h3 className="mb-1 text-sm font-semibold text-stone-800">
                <FormattedMessage
                  id="people.profile.skills"
                  defaultMessage="Skills"
                  description="Heading of the skills list"
                />
              </h3>
              <ul className="mb-3 flex flex-wrap gap-1">
                {profile.skills.map((s) => (
                  <li
                    key={s}
                    className="rounded-full bg-amber-100 px-2 py-0.5 text-sm text-amber-950"
                  >
                    {s}
                  </li>
                ))}
              </ul>
            </>
          )}
          {profile.manager && (
            <p className="text-sm text-stone-800">
              <FormattedMessage
                id="people.profile.manager"
                defaultMessage="Manager: {manager}"
                description="Who this person reports to"
                values={{
                  manager: (
                    <Link
                      to={`/people/${profile.manager.handle}`}
                      className="text-amber-800 underline"
                    >
                      {profile.manager.displayName}
                    </Link>
                  ),
                }}
              />
            </p>
          )}
        </section>
        <section
          aria-labelledby="profile-groups"
          className="rounded-lg border border-stone-200 bg-white p-4"
        >
          <h2 id="profile-groups" className="mb-2 text-lg font-semibold text-stone-900">
            <FormattedMessage
              id="people.profile.groups"
              defaultMessage="Groups ({count, number})"
              description="Heading of the groups a person belongs to"
              values={{ count: user.groups.totalCount }}
            />
          </h2>
          {user.groups.nodes.length ? (
            <ul className="space-y-1">
              {user.groups.nodes.map((g) => (
                <li key={g.id}>
                  <Link to={`/groups/${g.slug}`} className="text-amber-800 underline">
                    {g.name}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-stone-600">
              <FormattedMessage
                id="people.profile.noGroups"
                defaultMessage="No groups you can see."
                description="A profile with no visible group"
              />
            </p>
          )}
        </section>
      </div>

      <section aria-labelledby="profile-wall">
        <h2 id="profile-wall" className="mb-3 text-lg font-semibold text-stone-900">
          <FormattedMessage
            id="people.profile.wall"
            defaultMessage="Wall"
            description="Heading of a person's wall of posts"
          />
        </h2>
        {!mine && user.status === 'ACTIVE' && (
          <Composer wallOwnerId={user.id} onPosted={onPosted} />
        )}
        {wall.edges.length === 0 && (
          <p className="text-stone-600">
            <FormattedMessage
              id="people.profile.emptyWall"
              defaultMessage="Nothing on this wall yet."
              description="An empty wall"
            />
          </p>
        )}
        {wall.edges.map((e) => (
          <PostCard key={e.node.id} post={e.node} />
        ))}
        {wall.pageInfo.hasNextPage && (
          <Button
            variant="secondary"
            busy={loading}
            onClick={() =>
              void fetchMore({ variables: { after: wall.pageInfo.endCursor } }).catch(
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
      </section>
    </Page>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  GroupFeedDocument,
  GroupJoinDocument,
  GroupLeaveDocument,
  GroupMembersDocument,
  GroupRespondDocument,
  type GroupPageFieldsFragment,
  type PostCardFieldsFragment,
} from '../../gql/graphql';
import {
  Avatar,
  Button,
  Confirm,
  NotFound,
  Page,
  Problems,
  problemsOf,
  Skeleton,
  Tab,
  TabList,
  TabPanel,
  Tabs,
} from '../../ui';
import { Composer, PostCard } from '../posts';
import { GroupBadges } from './GroupBadges';
import { SubgroupTree } from './SubgroupTree';
import { useGroup } from './useGroup';
import { MANAGING, roleName } from './words';

/** /groups/:ref — a group by slug or id: header, the viewer's membership, posts, members, sub-groups. */
export function GroupPage() {
  const { ref = '' } = useParams();
  const { group, loading, error } = useGroup(ref);
  if (loading) return <Skeleton rows={2} />;
  if (!group && error)
    return (
      <div className="mx-auto max-w-3xl px-4 py-6">
        <Problems problems={problemsOf(error)} />
      </div>
    );
  if (!group) return <NotFound />;
  return <GroupView group={group} />;
}

/** Whether the viewer reads the group's content (members, and everyone for a public group). */
export const readsContent = (g: GroupPageFieldsFragment) =>
  g.viewerMembership?.status === 'ACTIVE' || g.visibility === 'PUBLIC';

function GroupView({ group }: { group: GroupPageFieldsFragment }) {
  const intl = useIntl();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'posts';
  const manages = group.viewerPermissions.some((p) => MANAGING.includes(p));
  return (
    <Page
      title={group.name}
      actions={
        manages && (
          <Link
            to={`/groups/${group.slug}/settings`}
            className="inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-900 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-amber-700"
          >
            <FormattedMessage
              id="groups.page.settings"
              defaultMessage="Manage the group"
              description="Link to a group's settings"
            />
          </Link>
        )
      }
    >
      <div className="mb-6 rounded-lg border border-stone-200 bg-white p-4">
        {group.parent && (
          <p className="mb-1 text-sm text-stone-700">
            <FormattedMessage
              id="groups.page.parent"
              defaultMessage="Sub-group of {parent}"
              description="The enclosing group"
              values={{
                parent: (
                  <Link to={`/groups/${group.parent.slug}`} className="text-amber-800 underline">
                    {group.parent.name}
                  </Link>
                ),
              }}
            />
          </p>
        )}
        {group.description && (
          <p className="break-words whitespace-pre-line text-stone-800">{group.description}</p>
        )}
        <GroupBadges group={group} />
        <MembershipAction group={group} />
      </div>
      {readsContent(group) ? (
        <Tabs value={tab} onValueChange={(value) => setParams({ tab: value }, { replace: true })}>
          <TabList
            className="mb-4"
            aria-label={intl.formatMessage({
              id: 'groups.page.tabs',
              defaultMessage: 'Group sections',
              description: 'Tabs label on a group page',
            })}
          >
            <Tab value="posts">
              <FormattedMessage
                id="groups.page.posts"
                defaultMessage="Posts"
                description="Tab: the group's posts"
              />
            </Tab>
            <Tab value="members">
              <FormattedMessage
                id="groups.page.members"
                defaultMessage="Members"
                description="Tab: the group's members"
              />
            </Tab>
            <Tab value="subgroups">
              <FormattedMessage
                id="groups.page.subgroups"
                defaultMessage="Sub-groups"
                description="Tab: the group's sub-groups"
              />
            </Tab>
          </TabList>
          <TabPanel value="posts" className="outline-none">
            <GroupFeed group={group} />
          </TabPanel>
          <TabPanel value="members" className="outline-none">
            <MemberList groupId={group.id} />
          </TabPanel>
          <TabPanel value="subgroups" className="outline-none">
            {group.viewerPermissions.includes('CREATE_SUBGROUP') && (
              <p className="mb-3">
                <Link
                  to={`/groups/new?parent=${group.id}`}
                  className="text-sm font-medium text-amber-800 underline"
                >
                  <FormattedMessage
                    id="groups.page.newSubgroup"
                    defaultMessage="Create a sub-group"
                    description="Link to the new group form with this group as parent"
                  />
                </Link>
              </p>
            )}
            <SubgroupTree groupId={group.id} groupName={group.name} />
          </TabPanel>
        </Tabs>
      ) : (
        <p className="rounded-lg border border-stone-200 bg-white p-4 text-stone-700">
          <FormattedMessage
            id="groups.page.membersOnly"
            defaultMessage="Only the group’s members read its posts and see who belongs to it."
            description="A private group seen from outside"
          />
        </p>
      )}
    </Page>
  );
}

/** The one action that fits the viewer's membership: join, ask, accept or decline, leave. */
function MembershipAction({ group }: { group: GroupPageFieldsFragment }) {
  const intl = useIntl();
  const refetchQueries = ['GroupByRef', 'GroupsBrowse'];
  const [join, joining] = useMutation(GroupJoinDocument, { refetchQueries });
  const [leave, leaving] = useMutation(GroupLeaveDocument, { refetchQueries });
  const [respond, responding] = useMutation(GroupRespondDocument, { refetchQueries });
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [said, setSaid] = useState('');
  const m = group.viewerMembership;
  const problems = problemsOf(joining.error ?? leaving.error ?? responding.error);
  const groupId = group.id;
  const ok = () => ({ data: undefined });

  let action: React.ReactNode = null;
  if (!m && group.joinPolicy === 'OPEN')
    action = (
      <Button
        busy={joining.loading}
        onClick={() =>
          void join({ variables: { groupId } })
            .then(() =>
              setSaid(
                intl.formatMessage({
                  id: 'groups.action.joined',
                  defaultMessage: 'You joined the group.',
                  description: 'After joining',
                }),
              ),
            )
            .catch(ok)
        }
      >
        <FormattedMessage
          id="groups.action.join"
          defaultMessage="Join"
          description="Join an open group"
        />
      </Button>
    );
  else if (!m && group.joinPolicy === 'REQUEST')
    action = (
      <Button
        busy={joining.loading}
        onClick={() =>
          void join({ variables: { groupId } })
            .then(() =>
              setSaid(
                intl.formatMessage({
                  id: 'groups.action.asked',
                  defaultMessage: 'Your request was sent to the group’s managers.',
                  description: 'After asking to join',
                }),
              ),
            )
            .catch(ok)
        }
      >
        <FormattedMessage
          id="groups.action.ask"
          defaultMessage="Ask to join"
          description="Ask to join a group on request"
        />
      </Button>
    );
  else if (!m)
    action = (
      <p className="text-sm text-stone-700">
        <FormattedMessage
          id="groups.action.inviteOnly"
          defaultMessage="This group is joined by invitation only."
          description="No way to join but an invitation"
        />
      </p>
    );
  else if (m.status === 'INVITED')
    action = (
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm text-stone-800">
          <FormattedMessage
            id="groups.action.invited"
            defaultMessage="You are invited to join this group."
            description="The viewer holds an invitation"
          />
        </p>
        <Button
          busy={responding.loading}
          onClick={() => void respond({ variables: { groupId, accept: true } }).catch(ok)}
        >
          <FormattedMessage
            id="groups.action.accept"
            defaultMessage="Accept the invitation"
            description="Accept a group invitation"
          />
        </Button>
        <Button
          variant="secondary"
          busy={responding.loading}
          onClick={() => void respond({ variables: { groupId, accept: false } }).catch(ok)}
        >
          <FormattedMessage
            id="groups.action.decline"
            defaultMessage="Decline"
            description="Decline a group invitation"
          />
        </Button>
      </div>
    );
  else if (m.status === 'PENDING')
    action = (
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm font-medium text-stone-800">
          <FormattedMessage
            id="groups.action.pending"
            defaultMessage="Request pending: a manager will accept or refuse it."
            description="The viewer's join request waits"
          />
        </p>
        <Button
          variant="secondary"
          busy={leaving.loading}
          onClick={() => void leave({ variables: { groupId } }).catch(ok)}
        >
          <FormattedMessage
            id="groups.action.withdraw"
            defaultMessage="Withdraw my request"
            description="Cancel one's own join request"
          />
        </Button>
      </div>
    );
  else
    action = (
      <>
        <Button variant="secondary" onClick={() => setConfirmLeave(true)}>
          <FormattedMessage
            id="groups.action.leave"
            defaultMessage="Leave the group"
            description="Leave a group"
          />
        </Button>
        <Confirm
          open={confirmLeave}
          onOpenChange={setConfirmLeave}
          title={
            <FormattedMessage
              id="groups.action.leave.title"
              defaultMessage="Leave {name}?"
              description="Leave confirmation title"
              values={{ name: group.name }}
            />
          }
          description={
            group.visibility === 'PUBLIC' ? (
              <FormattedMessage
                id="groups.action.leave.public"
                defaultMessage="You will no longer be notified of its posts."
                description="Leaving a public group"
              />
            ) : (
              <FormattedMessage
                id="groups.action.leave.closed"
                defaultMessage="You will no longer read its posts; to come back you will have to ask or be invited."
                description="Leaving a private or secret group"
              />
            )
          }
          confirm={
            <FormattedMessage
              id="groups.action.leave.confirm"
              defaultMessage="Leave"
              description="Confirm leaving"
            />
          }
          busy={leaving.loading}
          onConfirm={() =>
            void leave({ variables: { groupId } })
              .then(() => setConfirmLeave(false))
              .catch(() => setConfirmLeave(false))
          }
        />
      </>
    );
  return (
    <div className="mt-4">
      <Problems problems={problems} />
      {action}
      <p role="status" className="mt-2 text-sm text-green-800 empty:hidden">
        {said}
      </p>
    </div>
  );
}

function GroupFeed({ group }: { group: GroupPageFieldsFragment }) {
  const { data, loading, error, fetchMore, client } = useQuery(GroupFeedDocument, {
    variables: { id: group.id },
  });
  const [more, setMore] = useState(false);
  const canPost = group.viewerPermissions.includes('POST');
  const posted = (post: PostCardFieldsFragment) => {
    // The new post goes on top of the feed already in the cache.
    client.cache.modify({
      id: client.cache.identify({ __typename: 'Group', id: group.id }),
      fields: {
        feed(existing: unknown, { toReference }): unknown {
          const stored = existing as { edges?: unknown[] } | undefined;
          if (!stored?.edges) return existing;
          const node = toReference({ __typename: 'Post', id: post.id });
          return {
            ...stored,
            edges: [{ __typename: 'PostEdge', cursor: '', node }, ...stored.edges],
          };
        },
      },
    });
  };
  const edges = data?.group?.feed.edges ?? [];
  const pageInfo = data?.group?.feed.pageInfo;
  return (
    <div>
      {canPost && <Composer groupId={group.id} onPosted={posted} />}
      {!data && loading && <Skeleton rows={3} />}
      {!data && !loading && <Problems problems={problemsOf(error)} />}
      {data && edges.length === 0 && (
        <p className="rounded-lg border border-dashed border-stone-300 p-6 text-center text-stone-700">
          <FormattedMessage
            id="groups.feed.empty"
            defaultMessage="No post in this group yet."
            description="Empty group feed"
          />
        </p>
      )}
      {edges.map(({ node }) => (
        <PostCard key={node.id} post={node} />
      ))}
      {pageInfo?.hasNextPage && (
        <div className="flex justify-center">
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
              id="groups.feed.more"
              defaultMessage="Load more posts"
              description="Loads older posts of the group"
            />
          </Button>
        </div>
      )}
    </div>
  );
}

function MemberList({ groupId }: { groupId: string }) {
  const intl = useIntl();
  const { data, loading, error, fetchMore } = useQuery(GroupMembersDocument, {
    variables: { id: groupId },
  });
  const [more, setMore] = useState(false);
  if (!data && loading) return <Skeleton rows={2} />;
  const members = data?.group?.members;
  if (!members) return <Problems problems={problemsOf(error)} />;
  return (
    <div>
      <p role="status" className="mb-3 text-sm text-stone-700">
        <FormattedMessage
          id="groups.membersCount"
          defaultMessage="{count, plural, one {# member} other {# members}}"
          description="A group's number of active members"
          values={{ count: members.totalCount }}
        />
      </p>
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {members.edges.map(({ node: m }) => (
          <li key={m.user.id} className="flex items-center gap-3 p-3">
            <Avatar name={m.user.displayName} url={m.user.profile.avatarUrl} />
            <div className="min-w-0 flex-1">
              <Link
                to={`/people/${m.user.handle}`}
                className="font-medium break-words text-stone-900 hover:underline"
              >
                {m.user.displayName}
              </Link>
              {m.user.profile.jobTitle && (
                <p className="truncate text-sm text-stone-600">{m.user.profile.jobTitle}</p>
              )}
            </div>
            <span className="rounded-full border border-stone-300 px-2 py-0.5 text-xs font-medium text-stone-800">
              {intl.formatMessage(roleName[m.role])}
            </span>
          </li>
        ))}
      </ul>
      {members.pageInfo.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button
            variant="secondary"
            busy={more}
            onClick={() => {
              setMore(true);
              void fetchMore({ variables: { after: members.pageInfo.endCursor } }).finally(() =>
                setMore(false),
              );
            }}
          >
            <FormattedMessage
              id="groups.members.more"
              defaultMessage="Show more members"
              description="Loads the next members"
            />
          </Button>
        </div>
      )}
    </div>
  );
}

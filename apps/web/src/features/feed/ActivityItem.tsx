import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import type { FeedActivityFieldsFragment } from '../../gql/graphql';
import { Avatar, Time } from '../../ui';
import { PostCard } from '../posts';

/** One line of the home feed: a post drawn whole, anything else as a short sentence. */
export function ActivityItem({ activity }: { activity: FeedActivityFieldsFragment }) {
  const { actor, group, post, comment } = activity;
  if (activity.verb === 'POSTED') return post ? <PostCard post={post} /> : null;
  const who = (
    <Link to={`/people/${actor.handle}`} className="font-semibold text-stone-900 hover:underline">
      {actor.displayName}
    </Link>
  );
  const groupLink = group && (
    <Link to={`/groups/${group.slug}`} className="font-medium text-amber-800 underline">
      {group.name}
    </Link>
  );
  let line;
  switch (activity.verb) {
    case 'COMMENTED': {
      const postId = comment?.post.id ?? post?.id;
      line = (
        <FormattedMessage
          id="feed.activity.commented"
          defaultMessage="{who} commented on <link>a post</link>"
          description="Home feed line: someone commented"
          values={{
            who,
            link: (chunks) =>
              postId ? (
                <Link to={`/posts/${postId}`} className="text-amber-800 underline">
                  {chunks}
                </Link>
              ) : (
                chunks
              ),
          }}
        />
      );
      break;
    }
    case 'JOINED_GROUP':
      line = (
        <FormattedMessage
          id="feed.activity.joined"
          defaultMessage="{who} joined {group}"
          description="Home feed line: someone joined a group"
          values={{ who, group: groupLink }}
        />
      );
      break;
    case 'CREATED_GROUP':
      line = (
        <FormattedMessage
          id="feed.activity.created"
          defaultMessage="{who} created the group {group}"
          description="Home feed line: someone created a group"
          values={{ who, group: groupLink }}
        />
      );
      break;
    case 'UPDATED_PROFILE':
      line = (
        <FormattedMessage
          id="feed.activity.profile"
          defaultMessage="{who} updated their profile"
          description="Home feed line: someone updated their profile"
          values={{ who }}
        />
      );
      break;
  }
  return (
    <div className="mb-4 flex items-center gap-3 rounded-lg border border-stone-200 bg-white px-4 py-3 text-sm text-stone-800">
      <Avatar name={actor.displayName} url={actor.profile.avatarUrl} size={28} />
      <p className="min-w-0 flex-1">{line}</p>
      <span className="shrink-0 text-stone-600">
        <Time value={activity.createdAt} />
      </span>
    </div>
  );
}

import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import type { PostCardFieldsFragment } from '../../gql/graphql';
import { Avatar, Time } from '../../ui';

/** One post as lists draw it (feeds, walls, a group, search). bodyHtml is sanitized by the API. */
export function PostCard({ post }: { post: PostCardFieldsFragment }) {
  return (
    <article
      aria-labelledby={`post-${post.id}-author`}
      className="mb-4 rounded-lg border border-stone-200 bg-white p-4"
    >
      <header className="mb-2 flex items-center gap-3">
        <Avatar name={post.author.displayName} url={post.author.profile.avatarUrl} />
        <div className="min-w-0 text-sm">
          <Link
            id={`post-${post.id}-author`}
            to={`/people/${post.author.handle}`}
            className="font-semibold text-stone-900 hover:underline"
          >
            {post.author.displayName}
          </Link>
          {post.group && (
            <>
              {' › '}
              <Link to={`/groups/${post.group.slug}`} className="text-stone-800 hover:underline">
                {post.group.name}
              </Link>
            </>
          )}
          <div className="text-stone-600">
            <Link to={`/posts/${post.id}`} className="hover:underline">
              <Time value={post.createdAt} />
            </Link>
            {post.editedAt && (
              <>
                {' · '}
                <FormattedMessage
                  id="posts.edited"
                  defaultMessage="edited"
                  description="Marks an edited post"
                />
              </>
            )}
          </div>
        </div>
      </header>
      <div
        className="markdown break-words text-stone-900"
        dangerouslySetInnerHTML={{ __html: post.bodyHtml }}
      />
    </article>
  );
}

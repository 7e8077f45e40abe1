import type { ReactNode } from 'react';
import type { PostCardFieldsFragment } from '../../gql/graphql';
import { Problems, problemsOf, Skeleton } from '../../ui';
import { PostCard } from '../posts';
import { LoadMore } from './LoadMore';

/** A connection of posts: skeletons first, then the cards, then the next page on scroll. */
export function PostList({
  posts,
  loading,
  error,
  hasMore,
  onMore,
  empty,
}: {
  posts: PostCardFieldsFragment[] | undefined;
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  onMore: () => void;
  empty: ReactNode;
}) {
  if (!posts && loading) return <Skeleton rows={3} />;
  return (
    <>
      <Problems problems={problemsOf(error)} />
      {posts && posts.length === 0 && !error && (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-center text-stone-700">
          {empty}
        </p>
      )}
      {posts?.map((p) => (
        <PostCard key={p.id} post={p} />
      ))}
      <LoadMore hasMore={hasMore} loading={loading} onMore={onMore} />
    </>
  );
}

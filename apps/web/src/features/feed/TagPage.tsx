import { useQuery } from '@apollo/client/react';
import { FormattedMessage } from 'react-intl';
import { useParams } from 'react-router';
import { FeedHashtagDocument } from '../../gql/graphql';
import { Page } from '../../ui';
import { normalizeTag } from '../posts/RichText';
import { PostList } from './PostList';

/** /tags/:tag — the posts with this hashtag the viewer may read. */
export function TagPage() {
  const tag = normalizeTag(useParams().tag ?? '');
  const { data, loading, error, fetchMore } = useQuery(FeedHashtagDocument, {
    variables: { tag },
    notifyOnNetworkStatusChange: true,
  });
  const feed = data?.postsByHashtag;
  return (
    <Page title={`#${tag}`}>
      <PostList
        posts={feed?.edges.map((e) => e.node)}
        loading={loading}
        error={error}
        hasMore={!!feed?.pageInfo.hasNextPage}
        onMore={() =>
          void fetchMore({ variables: { tag, after: feed?.pageInfo.endCursor } }).catch(
            () => undefined,
          )
        }
        empty={
          <FormattedMessage
            id="feed.tag.empty"
            defaultMessage="No post you may read has this hashtag."
            description="Empty hashtag page"
          />
        }
      />
    </Page>
  );
}

import { useQuery } from '@apollo/client/react';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router';
import { PostPageDocument } from '../../gql/graphql';
import { NotFound, Page, Problems, problemsOf, Skeleton } from '../../ui';
import { PostCard } from './PostCard';

/** /posts/:id — one post with its comments open; a post the viewer may not read is not found. */
export function PostPage() {
  const intl = useIntl();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data, loading, error } = useQuery(PostPageDocument, { variables: { id } });
  const title = intl.formatMessage({
    id: 'posts.page.title',
    defaultMessage: 'Post',
    description: 'Title of a post’s own page',
  });
  if (loading && !data)
    return (
      <Page title={title}>
        <Skeleton rows={1} />
      </Page>
    );
  if (error && !data)
    return (
      <Page title={title}>
        <Problems problems={problemsOf(error)} />
      </Page>
    );
  if (!data?.post) return <NotFound />;
  const post = data.post;
  return (
    <Page
      title={intl.formatMessage(
        {
          id: 'posts.page.titleBy',
          defaultMessage: 'Post by {name}',
          description: 'Title of a post’s own page, with its author',
        },
        { name: post.author.displayName },
      )}
    >
      <PostCard post={post} commentsOpen onDeleted={() => void navigate('/', { replace: true })} />
    </Page>
  );
}

import { useQuery } from '@apollo/client/react';
import { FormattedMessage, useIntl } from 'react-intl';
import { FeedCompanyDocument } from '../../gql/graphql';
import { Page } from '../../ui';
import { PostList } from './PostList';

/** /company — the company-wide wall: NETWORK posts, announcements pinned first. */
export function CompanyPage() {
  const intl = useIntl();
  const { data, loading, error, fetchMore } = useQuery(FeedCompanyDocument, {
    notifyOnNetworkStatusChange: true,
  });
  const feed = data?.companyFeed;
  return (
    <Page
      title={intl.formatMessage({
        id: 'feed.company.title',
        defaultMessage: 'Company',
        description: 'Title of the company feed',
      })}
    >
      <p className="mb-4 text-sm text-stone-700">
        <FormattedMessage
          id="feed.company.intro"
          defaultMessage="Everything posted for the whole company, announcements first."
          description="Under the company feed's title"
        />
      </p>
      <PostList
        posts={feed?.edges.map((e) => e.node)}
        loading={loading}
        error={error}
        hasMore={!!feed?.pageInfo.hasNextPage}
        onMore={() =>
          void fetchMore({ variables: { after: feed?.pageInfo.endCursor } }).catch(() => undefined)
        }
        empty={
          <FormattedMessage
            id="feed.company.empty"
            defaultMessage="Nothing has been posted for the whole company yet."
            description="Empty company feed"
          />
        }
      />
    </Page>
  );
}

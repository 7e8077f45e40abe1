import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { Observable, type Subscription } from 'rxjs';
import { sessionFetch } from './session';

/** Subscriptions go through graphql-ws, fetched with its link on the first subscription. */
class LazyWsLink extends ApolloLink {
  private link?: Promise<ApolloLink>;

  override request(
    operation: ApolloLink.Operation,
    forward: ApolloLink.ForwardFunction,
  ): Observable<ApolloLink.Result> {
    this.link ??= import('./ws').then((m) => m.createWsLink());
    const link = this.link;
    return new Observable((observer) => {
      let inner: Subscription | undefined;
      let closed = false;
      link.then(
        (ws) => {
          if (!closed) inner = ws.request(operation, forward).subscribe(observer);
        },
        (error: unknown) => observer.error(error),
      );
      return () => {
        closed = true;
        inner?.unsubscribe();
      };
    });
  }
}

/** One client for the app: HTTP for queries and mutations, graphql-ws for subscriptions. */
export function createApollo() {
  const http = new HttpLink({ uri: '/graphql', fetch: sessionFetch });
  const link = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    new LazyWsLink(),
    http,
  );
  return new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            homeFeed: relayStylePagination(),
            companyFeed: relayStylePagination(),
            postsByHashtag: relayStylePagination(['tag']),
            search: relayStylePagination(['query', 'kinds']),
            notifications: relayStylePagination(['unreadOnly']),
            groups: relayStylePagination(['query', 'memberOnly', 'parentId']),
            users: relayStylePagination(['query', 'department']),
          },
        },
        User: { fields: { wall: relayStylePagination() } },
        Group: {
          fields: {
            feed: relayStylePagination(),
            members: relayStylePagination(['status', 'role']),
          },
        },
        Post: { fields: { comments: relayStylePagination() } },
      },
    }),
  });
}

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { session, sessionFetch } from './session';

/** One client for the app: HTTP for queries and mutations, graphql-ws for subscriptions. */
export function createApollo() {
  const http = new HttpLink({ uri: '/graphql', fetch: sessionFetch });
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const ws = createClient({
    url: wsUrl,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: () => {
      const token = session.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const wsLink = new GraphQLWsLink(ws);
  // A new token (refresh, another account) reconnects the socket with it.
  let lastToken = session.token();
  session.subscribe(() => {
    if (session.token() !== lastToken) {
      lastToken = session.token();
      ws.terminate();
    }
  });
  const link = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    wsLink,
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

// The subscriptions' transport, loaded on the first subscription (graphql-ws stays out of the entry).
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import { session } from './session';

/** graphql-ws on /graphql with the viewer's token; a new token reconnects the socket with it. */
export function createWsLink() {
  const ws = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: () => {
      const token = session.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  let lastToken = session.token();
  session.subscribe(() => {
    if (session.token() !== lastToken) {
      lastToken = session.token();
      ws.terminate();
    }
  });
  return new GraphQLWsLink(ws);
}

import './boot';
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { createApollo } from './app/apollo';
import { AppIntl } from './app/intl';
import { session } from './app/session';
import { useSession } from './app/useSession';
import { router } from './app/router';
import './styles.css';

const client = createApollo();
// Signed out: forget everything the previous viewer's cache held.
session.subscribe(() => {
  if (session.get().kind === 'signed-out') void client.clearStore();
});

function Root() {
  const state = useSession();
  return (
    <AppIntl timeZone={state.kind === 'signed-in' ? state.user.timezone : undefined}>
      <ApolloProvider client={client}>
        <RouterProvider router={router} />
      </ApolloProvider>
    </AppIntl>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

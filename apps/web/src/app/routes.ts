import type { RouteObject } from 'react-router';

/**
 * What a feature adds to the router (its `routes.tsx`): pages for everyone (sign-in...), and
 * pages for a signed-in ACTIVE member, drawn inside the shell. Collected by app/router.tsx.
 */
export interface FeatureRoutes {
  publicRoutes?: RouteObject[];
  routes?: RouteObject[];
}

/** A lazily loaded page: each route is its own chunk. */
export const page =
  <M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M) =>
  async () => ({ Component: (await load())[name] as React.ComponentType });

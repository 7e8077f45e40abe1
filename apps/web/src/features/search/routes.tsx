import { page, type FeatureRoutes } from '../../app';

/** Search: one page across people, groups and posts. */
export const { routes }: FeatureRoutes = {
  routes: [{ path: '/search', lazy: page(() => import('./SearchPage'), 'SearchPage') }],
};

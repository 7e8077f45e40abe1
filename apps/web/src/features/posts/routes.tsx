import { page, type FeatureRoutes } from '../../app';

/** A post's own page (the links in notification emails land here). */
export const { routes }: FeatureRoutes = {
  routes: [{ path: '/posts/:id', lazy: page(() => import('./PostPage'), 'PostPage') }],
};

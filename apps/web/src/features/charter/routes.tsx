import { page, type FeatureRoutes } from '../../app';

/** The network's charter: outside the shell, whose own reads wait until it is accepted. */
export const { publicRoutes }: FeatureRoutes = {
  publicRoutes: [{ path: '/charter', lazy: page(() => import('./CharterPage'), 'CharterPage') }],
};

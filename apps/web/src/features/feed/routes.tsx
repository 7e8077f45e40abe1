import { page, type FeatureRoutes } from '../../app';

/** The feeds: home (what the viewer follows), the company, a hashtag. */
export const { routes }: FeatureRoutes = {
  routes: [
    { index: true, lazy: page(() => import('./HomePage'), 'HomePage') },
    { path: '/company', lazy: page(() => import('./CompanyPage'), 'CompanyPage') },
    { path: '/tags/:tag', lazy: page(() => import('./TagPage'), 'TagPage') },
  ],
};

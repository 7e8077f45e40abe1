import { page, type FeatureRoutes } from '../../app';

/** People: the directory, a profile with its wall, and my profile's editor. */
export const { routes }: FeatureRoutes = {
  routes: [
    { path: '/people', lazy: page(() => import('./DirectoryPage'), 'DirectoryPage') },
    { path: '/people/:handle', lazy: page(() => import('./ProfilePage'), 'ProfilePage') },
    {
      path: '/settings/profile',
      lazy: page(() => import('./ProfileEditorPage'), 'ProfileEditorPage'),
    },
  ],
};

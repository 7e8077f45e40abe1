import { page, type FeatureRoutes } from '../../app';

/** Groups: browse, create, a group's page (by slug or id, as emails link it) and its settings. */
export const { routes }: FeatureRoutes = {
  routes: [
    { path: '/groups', lazy: page(() => import('./GroupsPage'), 'GroupsPage') },
    { path: '/groups/new', lazy: page(() => import('./NewGroupPage'), 'NewGroupPage') },
    { path: '/groups/:ref', lazy: page(() => import('./GroupPage'), 'GroupPage') },
    {
      path: '/groups/:ref/settings',
      lazy: page(() => import('./GroupSettingsPage'), 'GroupSettingsPage'),
    },
  ],
};

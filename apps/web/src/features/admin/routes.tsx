import { page, type FeatureRoutes } from '../../app';

/** Network administration (admins only): settings, members, invitations. */
export const { routes }: FeatureRoutes = {
  routes: [
    {
      path: '/admin',
      lazy: page(() => import('./AdminLayout'), 'AdminLayout'),
      children: [
        { index: true, lazy: page(() => import('./SettingsPage'), 'SettingsPage') },
        { path: 'members', lazy: page(() => import('./MembersPage'), 'MembersPage') },
        { path: 'invitations', lazy: page(() => import('./InvitationsPage'), 'InvitationsPage') },
      ],
    },
  ],
};

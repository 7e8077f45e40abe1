import { page, type FeatureRoutes } from '../../app';

/** Notifications: the list, and their settings (preferences, quiet hours, push). */
export const { routes }: FeatureRoutes = {
  routes: [
    {
      path: '/notifications',
      lazy: page(() => import('./NotificationsPage'), 'NotificationsPage'),
    },
    {
      path: '/settings/notifications',
      lazy: page(() => import('./PreferencesPage'), 'PreferencesPage'),
    },
  ],
};

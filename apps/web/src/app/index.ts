// The app's frame: router, session, Apollo client, intl.
export { page, type FeatureRoutes } from './routes';
export {
  CHARTER_REQUIRED_EVENT,
  session,
  SESSION_HEADERS,
  AUTH_FIELDS,
  sessionFetch,
  type SessionUser,
} from './session';
export { useSession, useViewer } from './useSession';
export { locale, pick as pickLocale, useLocale, type Locale } from './intl';

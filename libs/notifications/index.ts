export { NotificationsModule, NotificationsWorkerModule } from './notifications.module.js';
export { PreferencesService } from './preferences.service.js';
export { Clock } from './clock.js';
export { NotifyJobHandler } from './notification.jobs.js';
export { nextAllowedTime, nextDigestTime, type QuietWindow } from './quiet-hours.js';
export { DEFAULT_CHANNELS } from './notifications.rules.js';
export {
  NotificationObject,
  NotificationConnection,
  NotificationType,
  NotificationChannel,
  DigestFrequency,
} from './graphql/notification.objects.js';

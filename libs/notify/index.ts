export { NotifyModule } from './notify.module.js';
export { NotifyService } from './notify.service.js';
export type { NotifyJob, NotificationTypeName } from '@ruche/queue';

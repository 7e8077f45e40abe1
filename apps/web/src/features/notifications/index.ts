// Notifications, the face (the engine is libs/notifications): the bell, and the colleague's
// quiet-hours notice for profiles and the composer.
export { Bell } from './Bell';
export { QuietHoursNotice } from './QuietHoursNotice';

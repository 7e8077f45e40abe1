export { MailModule } from './mail.module.js';
export { renderEmail } from './templates.js';

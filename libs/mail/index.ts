export { MailModule } from './mail.module.js';
export { Mailer, type OutgoingMail } from './mailer.js';
export { SmtpPool } from './smtp.pool.js';
export { renderEmail } from './templates.js';

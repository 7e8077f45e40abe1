import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@ruche/config';
import { buildMail } from './mime.js';
import { SmtpPool } from './smtp.pool.js';

/** An email to one person, text and HTML. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** More headers (Content-Language, List-Unsubscribe…). */
  headers: Record<string, string>;
  /** The same for a resend of the same message, so receivers see one; a new one by default. */
  messageId?: string;
}

/**
 * Every email Ruche sends leaves here: built whole (`buildMail`) and handed as one buffer to a
 * pool of SMTP connections (`SmtpPool`, from SMTP_URL), from MAIL_FROM. Errors are nodemailer's:
 * `responseCode` for what the server answered, `code` for the connection.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly smtp: SmtpPool;
  /** The address of MAIL_FROM (`Ruche <noreply@…>`), for the SMTP envelope. */
  private readonly envelopeFrom: string;
  private readonly host: string;

  constructor(private readonly config: AppConfig) {
    this.smtp = new SmtpPool(config.SMTP_URL);
    this.envelopeFrom = (/<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM).trim();
    this.host = new URL(config.PUBLIC_URL).hostname;
  }

  /** The envelope sender, also a contact for push services (VAPID `sub`). */
  get from(): string {
    return this.envelopeFrom;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const raw = buildMail({
      from: this.config.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId ?? `<${randomUUID()}@${this.host}>`,
      headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers },
    });
    await this.smtp.send({ from: this.envelopeFrom, to: [mail.to] }, raw);
  }

  onApplicationShutdown(): void {
    this.smtp.close();
  }
}

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import nodemailer, { type Transporter } from 'nodemailer';
import webpush from 'web-push';
import { AppConfig } from '@ruche/config';
import { SecretsService } from '@ruche/identity';

/** A failure worth retrying later (SMTP 4xx, connection refused, push 429/5xx). */
export class TemporaryFailure extends Error {}
/** A failure no retry will cure (SMTP 5xx, a push 4xx but 429). */
export class PermanentFailure extends Error {
  constructor(
    message: string,
    readonly gone = false,
  ) {
    super(message);
  }
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
]);

/** SMTP: 4xx and network errors are temporary, 5xx permanent. */
export function classifySmtp(error: unknown): Error {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const message = e.message ?? String(error);
  if (e.responseCode && e.responseCode >= 500)
    return new PermanentFailure(`SMTP ${e.responseCode}: ${message}`);
  if ((e.responseCode && e.responseCode >= 400) || (e.code && NETWORK_ERRORS.has(e.code)))
    return new TemporaryFailure(message);
  return new TemporaryFailure(message);
}

/** Web Push: 404/410 = the subscription is gone; 429 and 5xx temporary; other 4xx permanent. */
export function classifyPush(error: unknown): Error {
  const status = (error as { statusCode?: number }).statusCode;
  const message = (error as Error).message ?? String(error);
  if (status === 404 || status === 410) return new PermanentFailure(`push ${status}`, true);
  if (status === 429 || (status && status >= 500) || !status)
    return new TemporaryFailure(`push ${status ?? ''} ${message}`.trim());
  return new PermanentFailure(`push ${status}: ${message}`);
}

const VAPID_SECRET = 'notifications.vapid';

/** The two ways out: SMTP and Web Push. */
@Injectable()
export class DeliverySenders implements OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly agent?: https.Agent;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {
    this.transport = nodemailer.createTransport(config.SMTP_URL, { from: config.MAIL_FROM });
    if (config.PUSH_CA_FILE) {
      this.agent = new https.Agent({
        ca: [...rootCertificates, readFileSync(config.PUSH_CA_FILE, 'utf8')],
        keepAlive: true,
      });
    }
  }

  async sendMail(mail: {
    to: string;
    subject: string;
    text: string;
    html: string;
    locale: string;
    unsubscribeUrl: string;
    messageId?: string;
  }): Promise<void> {
    try {
      await this.transport.sendMail({
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'Content-Language': mail.locale,
          'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
    } catch (error) {
      throw classifySmtp(error);
    }
  }

  /** The VAPID key pair: from the configuration, or generated once and shared through the database. */
  async vapid(): Promise<{ publicKey: string; privateKey: string }> {
    if (this.config.VAPID_PUBLIC_KEY && this.config.VAPID_PRIVATE_KEY) {
      return { publicKey: this.config.VAPID_PUBLIC_KEY, privateKey: this.config.VAPID_PRIVATE_KEY };
    }
    return JSON.parse(
      await this.secrets.get(VAPID_SECRET, () => JSON.stringify(webpush.generateVAPIDKeys())),
    ) as {
      publicKey: string;
      privateKey: string;
    };
  }

  async sendPush(
    sub: { endpoint: string; p256dh: string; auth: string },
    payload: string,
  ): Promise<void> {
    const keys = await this.vapid();
    const from = /<([^>]+)>/.exec(this.config.MAIL_FROM)?.[1] ?? this.config.MAIL_FROM;
    try {
      await webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        payload,
        {
          vapidDetails: { subject: `mailto:${from.trim()}`, ...keys },
          TTL: 24 * 3600,
          timeout: 10_000,
          ...(this.agent ? { agent: this.agent } : {}),
        },
      );
    } catch (error) {
      throw classifyPush(error);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
    this.agent?.destroy();
  }
}

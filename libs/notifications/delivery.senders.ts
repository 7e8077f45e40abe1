import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import webpush from 'web-push';
import { AppConfig } from '@ruche/config';
import { Mailer } from '@ruche/mail';
import { VapidKeys } from './vapid.js';

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

/** web-push signs VAPID JWTs for 12 hours; one is reused for an hour per push service origin. */
const VAPID_REUSE_MS = 3600_000;
const VAPID_VALID_S = 12 * 3600;

/** The two ways out: SMTP and Web Push. */
@Injectable()
export class DeliverySenders implements OnApplicationShutdown {
  private readonly agent: https.Agent;
  private readonly vapidHeaders = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly keys: VapidKeys,
    private readonly mailer: Mailer,
  ) {
    // Connections to push services are kept and reused (a TLS handshake per push costs more than
    // the push). An extra CA goes in a secure context, not `ca`: the agent keys its socket pool by
    // its options, and a `ca` of every root certificate made that key 200 kB long, per request.
    this.agent = new https.Agent({
      keepAlive: true,
      ...(config.PUSH_CA_FILE
        ? {
            secureContext: createSecureContext({
              ca: [...rootCertificates, readFileSync(config.PUSH_CA_FILE, 'utf8')],
            }),
          }
        : {}),
    });
  }

  async sendMail(mail: {
    to: string;
    subject: string;
    text: string;
    html: string;
    locale: string;
    unsubscribeUrl: string;
    messageId: string;
    /** Reply by email: the recipient's own reply address. */
    replyTo?: string;
  }): Promise<void> {
    try {
      await this.mailer.send({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: {
          'Content-Language': mail.locale,
          'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          ...(mail.replyTo ? { 'Reply-To': mail.replyTo } : {}),
        },
      });
    } catch (error) {
      throw classifySmtp(error);
    }
  }

  /** The VAPID key pair (see VapidKeys). */
  vapid(): Promise<{ publicKey: string; privateKey: string }> {
    return this.keys.get();
  }

  async sendPush(
    sub: { endpoint: string; p256dh: string; auth: string },
    payload: string,
  ): Promise<void> {
    try {
      await webpush.sendNotification(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        payload,
        {
          headers: { Authorization: await this.vapidAuthorization(sub.endpoint) },
          TTL: 24 * 3600,
          timeout: 10_000,
          agent: this.agent,
        },
      );
    } catch (error) {
      throw classifyPush(error);
    }
  }

  /**
   * The VAPID `Authorization` header for the endpoint's push service: an ES256-signed JWT whose
   * audience is the service's origin, so one serves every subscription there. Signing one per push
   * took 0.7 ms, more than encrypting the payload.
   */
  private async vapidAuthorization(endpoint: string): Promise<string> {
    const audience = new URL(endpoint).origin;
    const now = Date.now();
    const cached = this.vapidHeaders.get(audience);
    if (cached && cached.until > now) return cached.value;
    const keys = await this.vapid();
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      `mailto:${this.mailer.from}`,
      keys.publicKey,
      keys.privateKey,
      'aes128gcm',
      Math.floor(now / 1000) + VAPID_VALID_S,
    );
    this.vapidHeaders.set(audience, { value: Authorization, until: now + VAPID_REUSE_MS });
    return Authorization;
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }
}

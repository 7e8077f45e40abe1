import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUuid } from '@ruche/common';
import { SecretsService } from './secrets.service.js';

const SIG_HEX = 20;

/**
 * Tokens for reply-by-email addresses: a notification's id (which names its recipient and its
 * message) and an HMAC of it, in lowercase hex so it survives mail systems that fold the case
 * of local parts, short enough for one (64 characters with `reply+`).
 */
@Injectable()
export class ReplyTokens {
  constructor(private readonly secrets: SecretsService) {}

  private async mac(id: string): Promise<string> {
    const key = await this.secrets.get('reply-token');
    return createHmac('sha256', key).update(`reply:${id}`).digest('hex').slice(0, SIG_HEX);
  }

  async sign(notificationId: string): Promise<string> {
    return `${notificationId.replaceAll('-', '')}${await this.mac(notificationId)}`;
  }

  /** The notification id the token was made for, or null when it is not one of ours. */
  async verify(token: string): Promise<string | null> {
    const t = token.toLowerCase();
    if (!/^[0-9a-f]+$/.test(t) || t.length !== 32 + SIG_HEX) return null;
    const hex = t.slice(0, 32);
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    if (!isUuid(id)) return null;
    const expected = Buffer.from(await this.mac(id));
    const given = Buffer.from(t.slice(32));
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
  }
}

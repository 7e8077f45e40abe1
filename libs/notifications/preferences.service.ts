import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { badInput, type Viewer } from '@ruche/common';
import { SecretsService } from '@ruche/identity';
import type { NotificationTypeName } from '@ruche/queue';
import {
  NotificationPreferencesEntity,
  type ChannelName,
} from './entities/notification-preferences.entity.js';
import { PushSubscriptionEntity } from './entities/push-subscription.entity.js';
import type {
  DigestFrequency,
  NotificationChannel,
  NotificationPreferencesInput,
  NotificationPreferencesObject,
  NotificationType,
  PushSubscriptionInput,
} from './graphql/notification.objects.js';
import { channelsFor, NOTIFICATION_TYPES } from './notifications.rules.js';

const UNSUBSCRIBE_SECRET = 'notifications.unsubscribe';

function toObject(p: NotificationPreferencesEntity | null): NotificationPreferencesObject {
  return {
    settings: NOTIFICATION_TYPES.map((type) => ({
      type: type as NotificationType,
      channels: channelsFor(type, p?.settings) as NotificationChannel[],
    })),
    emailDigest: (p?.emailDigest ?? 'OFF') as DigestFrequency,
    quietHours: p?.quietHours ?? null,
  };
}

/** Who wants what, where and when; push subscriptions; one-click unsubscribe. */
@Injectable()
export class PreferencesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: SecretsService,
  ) {}

  async get(viewer: Viewer): Promise<NotificationPreferencesObject> {
    return toObject(
      await this.db.manager.findOneBy(NotificationPreferencesEntity, { userId: viewer.id }),
    );
  }

  /** The stored preferences of many users (absent = defaults). */
  async ofUsers(ids: readonly string[]): Promise<Map<string, NotificationPreferencesEntity>> {
    if (!ids.length) return new Map();
    const rows = await this.db.manager
      .createQueryBuilder(NotificationPreferencesEntity, 'p')
      .where('p.user_id IN (:...ids)', { ids: [...ids] })
      .getMany();
    return new Map(rows.map((r) => [r.userId, r]));
  }

  async update(
    viewer: Viewer,
    input: NotificationPreferencesInput,
  ): Promise<NotificationPreferencesObject> {
    if (input.quietHours && input.clearQuietHours)
      throw badInput('clearQuietHours', 'Give quietHours or clearQuietHours, not both');
    const types = (input.settings ?? []).map((s) => s.type);
    if (new Set(types).size !== types.length) throw badInput('settings', 'Each type at most once');
    await this.db.transaction(async (manager) => {
      await manager.query(
        'INSERT INTO notification_preferences (user_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [viewer.id],
      );
      const current = await manager
        .createQueryBuilder(NotificationPreferencesEntity, 'p')
        .where('p.user_id = :id', { id: viewer.id })
        .setLock('pessimistic_write')
        .getOneOrFail();
      for (const s of input.settings ?? [])
        current.settings = { ...current.settings, [s.type]: [...s.channels] as ChannelName[] };
      if (input.emailDigest) current.emailDigest = input.emailDigest;
      if (input.quietHours)
        current.quietHours = { ...input.quietHours, days: [...input.quietHours.days].sort() };
      if (input.clearQuietHours) current.quietHours = null;
      await manager.save(current);
    });
    return this.get(viewer);
  }

  /** Turns one channel of one type off (the unsubscribe link). */
  async turnOff(
    userId: string,
    types: readonly NotificationTypeName[],
    channel: ChannelName,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query(
        'INSERT INTO notification_preferences (user_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [userId],
      );
      const current = await manager
        .createQueryBuilder(NotificationPreferencesEntity, 'p')
        .where('p.user_id = :id', { id: userId })
        .setLock('pessimistic_write')
        .getOneOrFail();
      const settings = { ...current.settings };
      for (const type of types)
        settings[type] = channelsFor(type, current.settings).filter((c) => c !== channel);
      current.settings = settings;
      await manager.save(current);
    });
  }

  // ------------------------------------------------------------------ unsubscribe tokens

  /** A token that turns EMAIL off for these types of this user: no expiry, HMAC-signed. */
  async unsubscribeToken(userId: string, types: readonly NotificationTypeName[]): Promise<string> {
    const body = Buffer.from(JSON.stringify({ u: userId, t: [...new Set(types)] })).toString(
      'base64url',
    );
    return `${body}.${await this.sign(body)}`;
  }

  private async sign(body: string): Promise<string> {
    return createHmac('sha256', await this.secrets.get(UNSUBSCRIBE_SECRET))
      .update(body)
      .digest('base64url');
  }

  /** Applies an unsubscribe token; false when it is not one of ours. */
  async unsubscribe(token: string): Promise<boolean> {
    const [body, mac] = token.split('.');
    if (!body || !mac) return false;
    const expected = Buffer.from(await this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    let parsed: { u?: unknown; t?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      return false;
    }
    if (typeof parsed.u !== 'string' || !Array.isArray(parsed.t)) return false;
    const types = parsed.t.filter((t): t is NotificationTypeName =>
      NOTIFICATION_TYPES.includes(t as NotificationTypeName),
    );
    await this.turnOff(parsed.u, types, 'EMAIL');
    return true;
  }

  // ------------------------------------------------------------------ push subscriptions

  async registerPush(viewer: Viewer, input: PushSubscriptionInput): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(input.endpoint);
    } catch {
      throw badInput('endpoint', 'endpoint must be an https URL');
    }
    if (url.protocol !== 'https:') throw badInput('endpoint', 'endpoint must be an https URL');
    if (Buffer.from(input.p256dh, 'base64url').length !== 65)
      throw badInput('p256dh', 'p256dh must be a P-256 public key (65 bytes, base64url)');
    if (Buffer.from(input.auth, 'base64url').length !== 16)
      throw badInput('auth', 'auth must be 16 bytes, base64url');
    // An endpoint belongs to one browser: registering it again (another account signed in) moves it.
    await this.db.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, user_agent) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, user_agent = EXCLUDED.user_agent`,
      [viewer.id, input.endpoint, input.p256dh, input.auth, input.userAgent ?? null],
    );
    return true;
  }

  async removePush(viewer: Viewer, endpoint: string): Promise<boolean> {
    const [row]: { n: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2 RETURNING id) SELECT count(*)::int AS n FROM gone`,
      [viewer.id, endpoint],
    );
    return row.n > 0;
  }

  async pushSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscriptionEntity[]> {
    if (!userIds.length) return [];
    return this.db.manager
      .createQueryBuilder(PushSubscriptionEntity, 's')
      .where('s.user_id IN (:...ids)', { ids: [...userIds] })
      .getMany();
  }
}

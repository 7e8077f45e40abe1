import { Injectable } from '@nestjs/common';
import webpush from 'web-push';
import { AppConfig } from '@ruche/config';
import { SecretsService } from '@ruche/identity';

const VAPID_SECRET = 'notifications.vapid';

/**
 * The VAPID key pair Web Push is signed with: from the configuration, or generated once and
 * shared through the database. The worker signs with it; the API gives browsers its public half.
 */
@Injectable()
export class VapidKeys {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {}

  async get(): Promise<{ publicKey: string; privateKey: string }> {
    if (this.config.VAPID_PUBLIC_KEY && this.config.VAPID_PRIVATE_KEY) {
      return { publicKey: this.config.VAPID_PUBLIC_KEY, privateKey: this.config.VAPID_PRIVATE_KEY };
    }
    return JSON.parse(
      await this.secrets.get(VAPID_SECRET, () => JSON.stringify(webpush.generateVAPIDKeys())),
    ) as { publicKey: string; privateKey: string };
  }
}

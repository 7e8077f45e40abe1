import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { badInput } from '@ruche/common';
import { NetworkSettingsEntity } from './entities/network-settings.entity.js';
import type { NetworkSettingsInput } from './graphql/network.objects.js';

/** Network-wide settings. Read on every sign-up, so kept small; never cached across processes. */
@Injectable()
export class NetworkService {
  constructor(
    @InjectRepository(NetworkSettingsEntity)
    private readonly settings: Repository<NetworkSettingsEntity>,
  ) {}

  async get(): Promise<NetworkSettingsEntity> {
    const found = await this.settings.findOneBy({ id: 1 });
    if (found) return found;
    await this.settings.createQueryBuilder().insert().values({ id: 1 }).orIgnore().execute();
    return this.settings.findOneByOrFail({ id: 1 });
  }

  /** Callers are network admins (checked by the resolver's guard). */
  async update(input: NetworkSettingsInput): Promise<NetworkSettingsEntity> {
    if (input.quietHours && input.clearQuietHours) {
      throw badInput('clearQuietHours', 'Give quietHours or clearQuietHours, not both');
    }
    const current = await this.get();
    if (input.name !== undefined) current.name = input.name.trim();
    if (input.registrationMode !== undefined) current.registrationMode = input.registrationMode;
    if (input.allowedEmailDomains !== undefined) {
      current.allowedEmailDomains = [
        ...new Set(input.allowedEmailDomains.map((d) => d.trim().toLowerCase())),
      ];
    }
    if (input.defaultLocale !== undefined)
      current.defaultLocale = input.defaultLocale as 'fr' | 'en';
    if (input.quietHours)
      current.quietHours = { ...input.quietHours, days: [...input.quietHours.days].sort() };
    if (input.clearQuietHours) current.quietHours = null;
    if (input.erasedPosts !== undefined) current.erasedPosts = input.erasedPosts;
    return this.settings.save(current);
  }
}

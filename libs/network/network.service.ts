import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { AuditService } from '@ruche/audit';
import { badInput } from '@ruche/common';
import { NetworkSettingsEntity } from './entities/network-settings.entity.js';
import type { NetworkSettingsInput } from './graphql/network.objects.js';

const AUDITED = [
  'name',
  'registrationMode',
  'allowedEmailDomains',
  'defaultLocale',
  'quietHours',
] as const;

/** Network-wide settings. Read on every sign-up, so kept small; never cached across processes. */
@Injectable()
export class NetworkService {
  constructor(
    @InjectRepository(NetworkSettingsEntity)
    private readonly settings: Repository<NetworkSettingsEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<NetworkSettingsEntity> {
    const found = await this.settings.findOneBy({ id: 1 });
    if (found) return found;
    await this.settings.createQueryBuilder().insert().values({ id: 1 }).orIgnore().execute();
    return this.settings.findOneByOrFail({ id: 1 });
  }

  /** Callers are network admins (checked by the resolver's guard); audited as `actorId`. */
  async update(
    input: NetworkSettingsInput,
    actorId: string | null,
  ): Promise<NetworkSettingsEntity> {
    if (input.quietHours && input.clearQuietHours) {
      throw badInput('clearQuietHours', 'Give quietHours or clearQuietHours, not both');
    }
    const current = await this.get();
    const before = { ...current };
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
    const changed = AUDITED.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(current[k]));
    return this.db.transaction(async (manager) => {
      const saved = await manager.save(current);
      if (changed.length)
        await this.audit.record(
          {
            action: 'network.settings-changed',
            actorId,
            targetType: 'network',
            targetId: '1',
            details: Object.fromEntries(
              changed.map((k) => [k, { from: before[k], to: current[k] }]),
            ),
          },
          manager,
        );
      return saved;
    });
  }
}

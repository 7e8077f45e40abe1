import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { AppSecretEntity } from './entities/app-secret.entity.js';

/** A secret generated once and kept in the database, so every process of the network shares it. */
@Injectable()
export class SecretsService {
  private readonly cache = new Map<string, string>();

  constructor(@InjectRepository(AppSecretEntity) private readonly secrets: Repository<AppSecretEntity>) {}

  async get(name: string): Promise<string> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ name, value: randomBytes(48).toString('base64url') })
      .orIgnore()
      .execute();
    const { value } = await this.secrets.findOneByOrFail({ name });
    this.cache.set(name, value);
    return value;
  }
}

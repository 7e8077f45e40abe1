import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { AppSecretEntity } from './entities/app-secret.entity.js';

/** A secret generated once and kept in the database, so every process of the network shares it. */
@Injectable()
export class SecretsService {
  private readonly cache = new Map<string, string>();

  constructor(
    @InjectRepository(AppSecretEntity) private readonly secrets: Repository<AppSecretEntity>,
  ) {}

  /** The secret `name`, made by `make` (48 random bytes by default) the first time any process asks. */
  async get(
    name: string,
    make: () => string = () => randomBytes(48).toString('base64url'),
  ): Promise<string> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ name, value: make() })
      .orIgnore()
      .execute();
    const { value } = await this.secrets.findOneByOrFail({ name });
    this.cache.set(name, value);
    return value;
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@ruche/config';
import { AppError, badInput, cleanLine, isUuid, type Viewer } from '@ruche/common';
import { PostsService } from '@ruche/content';
import { GroupsService } from '@ruche/groups';
import { AccountsService } from '@ruche/identity';
import { RedisRateLimiter, RedisService } from '@ruche/queue';
import { IntegrationCallEntity, IntegrationEntity } from './entities/integration.entity.js';
import type { IntegrationCallObject, IntegrationObject } from './graphql/integration.objects.js';
import { IntegrationErrors } from './integrations.errors.js';
import { parseHookPayload } from './payload.rules.js';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

const toObject = (i: IntegrationEntity): IntegrationObject => ({
  id: i.id,
  name: i.name,
  revoked: i.revokedAt !== null,
  createdAt: i.createdAt,
  lastUsedAt: i.lastUsedAt,
  groupId: i.groupId,
  botId: i.botId,
});

/** The answer of an integration's URL: a status and a JSON body. */
export interface HookAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfter?: number;
}

/**
 * Incoming integrations: a bot per integration, posting into its one group through
 * PostsService.createByBot; the URL's secret is shown once and kept as SHA-256. Managed by the
 * group's holders of MANAGE_SETTINGS.
 */
@Injectable()
export class IntegrationsService {
  private readonly limiter: RedisRateLimiter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly groups: GroupsService,
    private readonly accounts: AccountsService,
    private readonly posts: PostsService,
    redis: RedisService,
  ) {
    this.limiter = new RedisRateLimiter(redis, 'hook', config.INTEGRATION_CALLS_PER_MINUTE, 60);
  }

  private url(id: string, secret: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/$/, '')}/hooks/${id}/${secret}`;
  }

  /** The viewer manages integrations of this group (MANAGE_SETTINGS), or NOT_FOUND / FORBIDDEN. */
  private async manage(viewer: Viewer, groupId: string, field = 'groupId'): Promise<void> {
    const standing = await this.groups.standing(viewer, groupId);
    if (!standing)
      throw field === 'groupId' ? IntegrationErrors.groupNotFound() : IntegrationErrors.notFound();
    if (!standing.permissions.includes('MANAGE_SETTINGS')) throw IntegrationErrors.lacks();
  }

  private async managed(viewer: Viewer, id: string): Promise<IntegrationEntity> {
    if (!isUuid(id)) throw IntegrationErrors.notFound();
    const row = await this.db.getRepository(IntegrationEntity).findOneBy({ id });
    if (!row) throw IntegrationErrors.notFound();
    await this.manage(viewer, row.groupId, 'id');
    return row;
  }

  async create(
    viewer: Viewer,
    groupId: string,
    nameGiven: string,
  ): Promise<{ integration: IntegrationObject; url: string }> {
    const name = cleanLine(nameGiven);
    if (!name || name.length > 80) throw badInput('name', 'name must be 1 to 80 characters');
    await this.manage(viewer, groupId);
    const secret = randomBytes(32).toString('base64url');
    const saved = await this.db.transaction(async (manager) => {
      const bot = await this.accounts.createBot(manager, name);
      return manager.save(
        manager.create(IntegrationEntity, {
          groupId,
          botId: bot.id,
          name,
          secretHash: hash(secret),
          createdById: viewer.id,
          revokedAt: null,
          lastUsedAt: null,
        }),
      );
    });
    // TODO(#16): AuditService.record({ action: 'integration.created', actorId: viewer.id, targetType: 'integration', targetId: saved.id, details: { groupId } })
    return { integration: toObject(saved), url: this.url(saved.id, secret) };
  }

  /** A new secret; the old URL stops working at once. Also brings a revoked integration back. */
  async rotate(
    viewer: Viewer,
    id: string,
  ): Promise<{ integration: IntegrationObject; url: string }> {
    const row = await this.managed(viewer, id);
    const secret = randomBytes(32).toString('base64url');
    row.secretHash = hash(secret);
    row.revokedAt = null;
    const saved = await this.db.getRepository(IntegrationEntity).save(row);
    // TODO(#16): AuditService.record({ action: 'integration.rotated', ... })
    return { integration: toObject(saved), url: this.url(saved.id, secret) };
  }

  async revoke(viewer: Viewer, id: string): Promise<boolean> {
    const row = await this.managed(viewer, id);
    await this.db
      .getRepository(IntegrationEntity)
      .update({ id: row.id }, { revokedAt: row.revokedAt ?? new Date() });
    // TODO(#16): AuditService.record({ action: 'integration.revoked', ... })
    return true;
  }

  async list(viewer: Viewer, groupId: string): Promise<IntegrationObject[]> {
    await this.manage(viewer, groupId);
    const rows = await this.db
      .getRepository(IntegrationEntity)
      .find({ where: { groupId }, order: { createdAt: 'DESC' }, take: 100 });
    return rows.map(toObject);
  }

  /** The latest calls of an integration the viewer manages, newest first. */
  async calls(viewer: Viewer, integrationId: string, first = 50): Promise<IntegrationCallObject[]> {
    const row = await this.managed(viewer, integrationId);
    const calls = await this.db.getRepository(IntegrationCallEntity).find({
      where: { integrationId: row.id },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: Math.min(Math.max(first, 1), 100),
    });
    return calls.map((c) => ({ at: c.createdAt, status: c.status, ip: c.ip, size: c.size }));
  }

  /**
   * A call of /hooks/:id/:secret. Unknown, revoked or rotated-away secrets all answer 404 (the same
   * for each, compared in constant time). Every call of a known integration is recorded.
   */
  async receive(call: {
    id: string;
    secret: string;
    ip: string;
    contentType: string | undefined;
    raw: Buffer | null;
    size: number;
  }): Promise<HookAnswer> {
    const unknown: HookAnswer = {
      status: 404,
      body: { ok: false, code: 'NOT_FOUND', message: 'No such integration' },
    };
    if (!isUuid(call.id) || call.secret.length > 200) return unknown;
    const row = await this.db.getRepository(IntegrationEntity).findOneBy({ id: call.id });
    if (!row) return unknown;
    const given = Buffer.from(hash(call.secret));
    const ok = row.revokedAt === null && timingSafeEqual(given, Buffer.from(row.secretHash));
    const answer = ok ? await this.post(row, call) : unknown;
    await this.db.getRepository(IntegrationCallEntity).insert({
      integrationId: row.id,
      status: answer.status,
      ip: call.ip.slice(0, 100),
      size: call.size,
    });
    return answer;
  }

  private async post(
    row: IntegrationEntity,
    call: { contentType: string | undefined; raw: Buffer | null; size: number },
  ): Promise<HookAnswer> {
    const refuse = (status: number, code: string, message: string, field?: string) => ({
      status,
      body: { ok: false, code, message, ...(field ? { field } : {}) },
    });
    try {
      await this.limiter.consume(row.id);
    } catch (error) {
      if (error instanceof AppError && error.extensions.code === 'RATE_LIMITED') {
        const retryAfter = Number(error.extensions.retryAfter) || 60;
        return { ...refuse(429, 'RATE_LIMITED', error.message), retryAfter };
      }
      throw error;
    }
    if (call.raw === null)
      return refuse(413, 'BAD_USER_INPUT', 'The body is larger than 64 KB', 'body');
    const type = (call.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json')
      return refuse(415, 'BAD_USER_INPUT', 'Send Content-Type: application/json', 'content-type');
    let body: unknown;
    try {
      body = JSON.parse(call.raw.toString('utf8'));
    } catch {
      return refuse(400, 'BAD_USER_INPUT', 'The body is not valid JSON', 'body');
    }
    const parsed = parseHookPayload(body);
    if (!parsed.ok) return refuse(400, 'BAD_USER_INPUT', parsed.message, parsed.field);
    try {
      const post = await this.posts.createByBot(row.botId, row.groupId, parsed.text);
      await this.db
        .getRepository(IntegrationEntity)
        .update({ id: row.id }, { lastUsedAt: new Date() });
      return { status: 200, body: { ok: true, postId: post.id } };
    } catch (error) {
      if (error instanceof AppError) {
        const { code, field } = error.extensions as { code: string; field?: string };
        return refuse(code === 'BAD_USER_INPUT' ? 400 : 409, code, error.message, field);
      }
      throw error;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@ruche/config';
import { badInput, forbidden, isUuid, notFound, type Viewer } from '@ruche/common';
import { GroupsService } from '@ruche/groups';
import { WebhookEntity, type WebhookEventName } from './entities/webhook.entity.js';
import type { WebhookEvent, WebhookObject } from './graphql/webhook.objects.js';
import { newWebhookSecret } from './signing.js';
import { allowList, assertReachable, ForbiddenAddressError } from './ssrf.js';

export const toWebhookObject = (w: WebhookEntity): WebhookObject => ({
  id: w.id,
  url: w.url,
  events: w.events as WebhookEvent[],
  active: w.active,
  consecutiveFailures: w.consecutiveFailures,
  createdAt: w.createdAt,
  groupId: w.groupId,
});

/**
 * Outgoing webhooks: network admins subscribe the network's events, a group's managers
 * (MANAGE_SETTINGS) their group's. HTTPS only; the host must not resolve to a loopback, private or
 * reserved address unless IT allows that network (WEBHOOKS_ALLOWED_NETWORKS), checked here and
 * again at every delivery.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly groups: GroupsService,
  ) {}

  private async manageGroup(viewer: Viewer, groupId: string, field: string): Promise<void> {
    const standing = await this.groups.standing(viewer, groupId);
    if (!standing)
      throw field === 'groupId'
        ? badInput('groupId', 'No such group')
        : notFound('No such webhook');
    if (!standing.permissions.includes('MANAGE_SETTINGS'))
      throw forbidden('Webhooks of a group need MANAGE_SETTINGS in it');
  }

  async create(
    viewer: Viewer,
    urlGiven: string,
    events: WebhookEventName[],
    groupId: string | null,
  ): Promise<{ webhook: WebhookObject; secret: string }> {
    if (groupId) await this.manageGroup(viewer, groupId, 'groupId');
    else if (viewer.role !== 'ADMIN')
      throw forbidden('Network-wide webhooks are for network admins; name a group you manage');
    const unique = [...new Set(events)];
    if (!unique.length) throw badInput('events', 'Subscribe to at least one event');
    let url: URL;
    try {
      url = new URL(urlGiven.trim());
    } catch {
      throw badInput('url', 'url must be an absolute https URL');
    }
    if (url.protocol !== 'https:' || url.username || url.password || urlGiven.length > 2000)
      throw badInput('url', 'url must be an https URL without credentials');
    try {
      await assertReachable(url, allowList(this.config.WEBHOOKS_ALLOWED_NETWORKS));
    } catch (error) {
      throw badInput(
        'url',
        error instanceof ForbiddenAddressError
          ? 'url points to a loopback, private or reserved address'
          : 'url names a host that does not resolve',
      );
    }
    const secret = newWebhookSecret();
    const saved = await this.db.getRepository(WebhookEntity).save({
      ownerId: viewer.id,
      groupId,
      url: url.toString(),
      events: unique,
      secret,
      active: true,
      consecutiveFailures: 0,
      disabledAt: null,
    });
    // TODO(#16): AuditService.record({ action: 'webhook.created', actorId: viewer.id, targetType: 'webhook', targetId: saved.id, details: { url, events, groupId } })
    return { webhook: toWebhookObject(saved), secret };
  }

  /** The webhooks the viewer manages: admins every one (or one group's), managers their group's. */
  async list(viewer: Viewer, groupId: string | null): Promise<WebhookObject[]> {
    const repo = this.db.getRepository(WebhookEntity);
    if (groupId !== null && !isUuid(groupId)) throw badInput('groupId', 'No such group');
    if (groupId) {
      if (viewer.role !== 'ADMIN') await this.manageGroup(viewer, groupId, 'groupId');
      const rows = await repo.find({ where: { groupId }, order: { createdAt: 'DESC' }, take: 100 });
      return rows.map(toWebhookObject);
    }
    if (viewer.role === 'ADMIN') {
      const rows = await repo.find({ order: { createdAt: 'DESC' }, take: 100 });
      return rows.map(toWebhookObject);
    }
    const rows = await repo
      .createQueryBuilder('w')
      .where('w.group_id IS NOT NULL')
      .orderBy('w.created_at', 'DESC')
      .limit(500)
      .getMany();
    const kept: WebhookEntity[] = [];
    for (const w of rows) {
      const standing = await this.groups.standing(viewer, w.groupId!);
      if (standing?.permissions.includes('MANAGE_SETTINGS')) kept.push(w);
      if (kept.length >= 100) break;
    }
    return kept.map(toWebhookObject);
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    if (!isUuid(id)) throw notFound('No such webhook');
    const repo = this.db.getRepository(WebhookEntity);
    const row = await repo.findOneBy({ id });
    if (!row) throw notFound('No such webhook');
    if (row.groupId && viewer.role !== 'ADMIN') await this.manageGroup(viewer, row.groupId, 'id');
    else if (!row.groupId && viewer.role !== 'ADMIN') throw notFound('No such webhook');
    await repo.delete({ id });
    // TODO(#16): AuditService.record({ action: 'webhook.deleted', ... })
    return true;
  }
}

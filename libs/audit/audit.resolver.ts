import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, type Page } from '@ruche/common';
import { AuditService, type AuditEvent } from './audit.service.js';
import {
  AuditChainCheckObject,
  AuditEventConnection,
  AuditEventsArgs,
  type AuditEventObject,
} from './graphql/audit.objects.js';

export const toAuditEventObject = (e: AuditEvent): AuditEventObject => ({
  id: e.id,
  at: e.at,
  action: e.action,
  actorId: e.actorId,
  targetType: e.targetType,
  targetId: e.targetId,
  details: JSON.stringify(e.details),
  ip: e.ip,
  hash: e.hash,
});

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @AdminOnly()
  @Query(() => AuditEventConnection, {
    description: 'Network admins: the audit log, newest first, with filters.',
  })
  async auditEvents(@Args() args: AuditEventsArgs): Promise<Page<AuditEventObject>> {
    const page = await this.audit.list(args);
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: toAuditEventObject(e.node) }));
    return { ...page, edges, nodes: edges.map((e) => e.node) };
  }

  @AdminOnly()
  @Query(() => AuditChainCheckObject, {
    description: "Network admins: walks the audit log's hash chain and names the first broken row.",
  })
  auditChainCheck(): Promise<AuditChainCheckObject> {
    return this.audit.verify();
  }
}

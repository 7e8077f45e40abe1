import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService, csvLine, type AuditFilter } from '@ruche/audit';
import { AdminOnly, badInput } from '@ruche/common';

const HEADER = [
  'id',
  'at',
  'action',
  'actor_id',
  'target_type',
  'target_id',
  'details',
  'ip',
  'hash',
];

function moment(field: string, value: unknown): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const d = typeof value === 'string' && value.length < 40 ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw badInput(field, `${field} must be an ISO 8601 date`);
  return d;
}

function text(field: string, value: unknown, max: number): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (
    typeof value !== 'string' ||
    value.length > max ||
    [...value].some((c) => c.charCodeAt(0) < 32)
  )
    throw badInput(field, `${field} must be a line of at most ${max} characters`);
  return value;
}

/**
 * `GET /admin/audit.csv?action=&actorId=&targetId=&since=&until=` with a network admin's
 * `Authorization: Bearer <accessToken>`: the matching audit events, oldest first, streamed as CSV.
 */
@AdminOnly()
@Controller('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit.csv')
  async csv(@Query() q: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const filter: AuditFilter = {
      action: text('action', q.action, 100),
      actorId: text('actorId', q.actorId, 100),
      targetId: text('targetId', q.targetId, 200),
      since: moment('since', q.since),
      until: moment('until', q.until),
    };
    const events = this.audit.stream(filter);
    // The first batch is read before the headers go, so a bad filter is still a clean 400.
    const first = await events.next();
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="audit.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.write(csvLine(HEADER));
    for (let r = first; !r.done; r = await events.next()) {
      const e = r.value;
      const line = csvLine([
        e.id,
        e.at.toISOString(),
        e.action,
        e.actorId,
        e.targetType,
        e.targetId,
        JSON.stringify(e.details),
        e.ip,
        e.hash,
      ]);
      if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}

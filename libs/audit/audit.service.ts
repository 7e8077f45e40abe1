import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  badInput,
  decodeCursor,
  isUuid,
  pageSize,
  toPage,
  type Page,
  wellFormed,
} from '@ruche/common';
import { chainHash, GENESIS, type ChainedEvent } from './audit.chain.js';

/** Something that runs SQL: a TypeORM EntityManager or a pg client (inside the caller's transaction). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** What happened, who did it (null: the `ruche` operator or nobody signed in), to what. */
export interface AuditRecord {
  action: string;
  actorId: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditEvent extends ChainedEvent {
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  reason: string | null;
}

interface Row {
  id: string;
  at: Date;
  action: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  details: unknown;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

const toEvent = (r: Row): AuditEvent => ({
  id: String(r.id),
  at: r.at,
  action: r.action,
  actorId: r.actor_id,
  targetType: r.target_type,
  targetId: r.target_id,
  details: r.details,
  ip: r.ip,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const BATCH = 1000;

/**
 * The audit log: append-only rows chained by sha256, so a row changed or removed behind the
 * application's back is found by `verify`. Other libraries call `record`, in their own
 * transaction when they have one, so the event exists exactly when the change does.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends one event. Pass the caller's transaction (an EntityManager, or a pg client inside
   * BEGIN…COMMIT) so the event commits or rolls back with the change; without one it commits alone.
   * Writers take turns on the chain's head row until their transaction ends.
   */
  async record(event: AuditRecord, tx?: EntityManager | Queryable): Promise<void> {
    const inTransaction =
      tx && (!('queryRunner' in tx) || tx.queryRunner?.isTransactionActive === true);
    if (!inTransaction) {
      await this.db.transaction((manager) => this.append(manager, event));
      return;
    }
    await this.append(tx, event);
  }

  private async append(q: Queryable, e: AuditRecord): Promise<void> {
    const [head] = rowsOf<{ last_hash: string }>(
      await q.query('SELECT last_hash FROM audit_head WHERE id = 1 FOR UPDATE'),
    );
    const [{ id }] = rowsOf<{ id: string }>(
      await q.query(`SELECT nextval('audit_events_id_seq')::text AS id`),
    );
    const event: ChainedEvent = {
      id,
      at: new Date(),
      action: e.action,
      actorId: e.actorId,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      // What jsonb gives back: undefined dropped, dates as strings.
      details: JSON.parse(
        JSON.stringify(e.details ?? {}, (_k, v: unknown) =>
          typeof v === 'string' ? wellFormed(v) : v,
        ),
      ) as unknown,
      ip: e.ip ?? null,
    };
    const hash = chainHash(head.last_hash, event);
    await q.query(
      `INSERT INTO audit_events (id, at, action, actor_id, target_type, target_id, details, ip, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        event.at,
        event.action,
        event.actorId,
        event.targetType,
        event.targetId,
        JSON.stringify(event.details),
        event.ip,
        head.last_hash,
        hash,
      ],
    );
    await q.query('UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1', [id, hash]);
  }

  private where(f: AuditFilter, params: unknown[]): string[] {
    const clauses: string[] = [];
    if (f.action) clauses.push(`action = $${params.push(f.action)}`);
    if (f.actorId) {
      if (!isUuid(f.actorId)) throw badInput('actorId', 'actorId must be a user id');
      clauses.push(`actor_id = $${params.push(f.actorId)}`);
    }
    if (f.targetId) clauses.push(`target_id = $${params.push(f.targetId)}`);
    if (f.since) clauses.push(`at >= $${params.push(f.since)}`);
    if (f.until) clauses.push(`at < $${params.push(f.until)}`);
    return clauses;
  }

  /** Newest first, by keyset cursor. Callers are network admins (checked by the API). */
  async list(f: AuditFilter & { first?: number; after?: string }): Promise<Page<AuditEvent>> {
    const limit = pageSize(f.first);
    const params: unknown[] = [];
    const clauses = this.where(f, params);
    const after = decodeCursor(f.after, 1);
    if (after) {
      if (typeof after[0] !== 'string' || !/^\d{1,19}$/.test(after[0]))
        throw badInput('after', 'Invalid cursor');
      clauses.push(`id < $${params.push(after[0])}`);
    }
    const rows: Row[] = await this.db.query(
      `SELECT * FROM audit_events ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ${limit + 1}`,
      params,
    );
    return toPage(rows.map(toEvent), limit, (e) => [e.id]);
  }

  /** Every matching event, oldest first, a batch at a time (the CSV export streams it). */
  async *stream(f: AuditFilter): AsyncGenerator<AuditEvent> {
    let last = '0';
    for (;;) {
      const params: unknown[] = [last];
      const clauses = ['id > $1', ...this.where(f, params)];
      const rows: Row[] = await this.db.query(
        `SELECT * FROM audit_events WHERE ${clauses.join(' AND ')} ORDER BY id LIMIT ${BATCH}`,
        params,
      );
      for (const r of rows) yield toEvent(r);
      if (rows.length < BATCH) return;
      last = String(rows[rows.length - 1].id);
    }
  }

  /**
   * Walks the chain from its first row: each row must name the previous row's hash and hash to
   * its own content, and the head must name the last row. Reports the first row that does not.
   */
  async verify(): Promise<ChainCheck> {
    let prev = GENESIS;
    let last = '0';
    let checked = 0;
    const broken = (id: string, reason: string): ChainCheck => ({
      ok: false,
      checked,
      firstBrokenId: id,
      reason,
    });
    for (;;) {
      const rows: Row[] = await this.db.query(
        `SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [last],
      );
      for (const r of rows) {
        const e = toEvent(r);
        if (e.prevHash !== prev) return broken(e.id, 'does not follow the previous row');
        if (chainHash(prev, e) !== e.hash) return broken(e.id, 'its content was changed');
        prev = e.hash;
        last = e.id;
        checked++;
      }
      if (rows.length < BATCH) break;
    }
    const [head] = await this.db.query<{ last_id: string; last_hash: string }[]>(
      'SELECT last_id::text AS last_id, last_hash FROM audit_head WHERE id = 1',
    );
    if (head && (head.last_id !== last || head.last_hash !== prev))
      return broken(head.last_id, 'rows are missing at the end of the chain');
    return { ok: true, checked, firstBrokenId: null, reason: null };
  }
}

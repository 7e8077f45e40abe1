import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { WriteBatcher } from '@ruche/database';

/** A delivery row as sending needs it. */
export interface DeliveryRow {
  id: string;
  notification_id: string;
  user_id: string;
  channel: 'EMAIL' | 'PUSH';
  target: string;
  due_at: Date;
  batched: boolean;
  attempts: number;
}

export const DELIVERY_COLUMNS =
  'id, notification_id, user_id, channel, target, due_at, batched, attempts';

/**
 * The session advisory lock of a delivery, in the two-int4 key space (apart from the one-bigint
 * space that `hashtext` locks use): the id's high bits and its low 31 bits.
 */
const LOCK_KEY = (column: string) => `(${column} >> 31)::int, (${column} & 2147483647)::int`;

/** SENT or SKIPPED; PENDING (to be retried) or FAILED with the error, the push subscription gone. */
export interface Mark {
  status: 'SENT' | 'SKIPPED' | 'PENDING' | 'FAILED';
  error?: string;
  goneSubscription?: string;
}

/** A delivery and what became of its message. */
export interface Marked {
  id: string;
  mark: Mark;
}

/** Every mark of a worker process: one statement every FLUSH_MS for all its jobs. */
export type DeliveryMarks = WriteBatcher<Marked>;

const FLUSH_MS = 10;

/**
 * What became of messages, written for the whole process in one statement every FLUSH_MS (each
 * socket write costs more than the statement's work: one per message was a quarter of the
 * worker's CPU). A job's claim waits for its marks before its locks go.
 */
export function deliveryMarks(db: DataSource): DeliveryMarks {
  return new WriteBatcher<Marked>(FLUSH_MS, async (marks) => {
    const gone = marks.flatMap((m) => m.mark.goneSubscription ?? []);
    await db.query(
      `${gone.length ? 'WITH gone AS (DELETE FROM push_subscriptions WHERE id = ANY($4::uuid[])) ' : ''}
       UPDATE notification_deliveries d SET status = m.status, attempts = d.attempts + 1,
              sent_at = CASE WHEN m.status = 'SENT' THEN now() ELSE d.sent_at END,
              last_error = COALESCE(m.error, d.last_error)
         FROM unnest($1::bigint[], $2::text[], $3::text[]) AS m(id, status, error) WHERE d.id = m.id`,
      [
        marks.map((m) => m.id),
        marks.map((m) => m.mark.status),
        marks.map((m) => m.mark.error ?? null),
        ...(gone.length ? [gone] : []),
      ],
    );
  });
}

/**
 * The deliveries one job sends, claimed on a connection of their own: each row holds a session
 * advisory lock from `take` to `release`, and is read PENDING only once its lock is held, so two
 * jobs never send the same delivery. What became of each message goes to the process's
 * `DeliveryMarks`, and the locks go only once those marks are committed: whoever locks a row next
 * reads it SENT. A process that dies loses its connection, and PostgreSQL drops its locks at once;
 * its messages past the server but not yet marked (at most FLUSH_MS and a statement) are sent again
 * (emails carry a Message-ID derived from their deliveries, so receivers see one).
 */
export class DeliveryClaim {
  private readonly written: Promise<void>[] = [];

  private constructor(
    private readonly client: PoolClient,
    private readonly marks: DeliveryMarks,
    /** The rows claimed: locked here and PENDING. */
    readonly rows: DeliveryRow[],
    /** Whether some PENDING row is locked by another job (sending it now). */
    readonly busy: boolean,
  ) {}

  /** Locks what it can of these deliveries and reads which of them are still PENDING. */
  static async take(
    db: DataSource,
    marks: DeliveryMarks,
    ids: readonly string[],
  ): Promise<DeliveryClaim> {
    const client = await (db.driver as unknown as { master: Pool }).master.connect();
    try {
      const locked = (
        await client.query<{ id: string }>(
          `SELECT id::text FROM unnest($1::bigint[]) AS id WHERE pg_try_advisory_lock(${LOCK_KEY('id')})`,
          [ids],
        )
      ).rows.map((r) => r.id);
      // A statement after the locks: it sees every mark committed by their previous holders.
      const { rows } = await client.query<DeliveryRow & { mine: boolean }>(
        `SELECT ${DELIVERY_COLUMNS}, id = ANY($2::bigint[]) AS mine FROM notification_deliveries
          WHERE id = ANY($1::bigint[]) AND status = 'PENDING' ORDER BY id`,
        [ids, locked],
      );
      return new DeliveryClaim(
        client,
        marks,
        rows.filter((r) => r.mine).map(({ mine: _, ...row }) => ({ ...row, id: String(row.id) })),
        rows.some((r) => !r.mine),
      );
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  /** Records what became of these rows' message. */
  mark(rows: readonly DeliveryRow[], mark: Mark): void {
    this.written.push(this.marks.add(...rows.map((r) => ({ id: r.id, mark }))));
  }

  /**
   * Waits for every mark, then lets the rows go. Throws when a mark could not be written: the job
   * is retried and sends again what is not marked.
   */
  async release(): Promise<void> {
    try {
      if (this.written.length) this.marks.flush();
      await Promise.all(this.written);
      await this.client.query('SELECT pg_advisory_unlock_all()');
    } catch (error) {
      // A connection in doubt is closed, not pooled: its locks go with it.
      this.client.release(error as Error);
      throw error;
    }
    this.client.release();
  }
}

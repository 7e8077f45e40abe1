import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

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
interface Mark {
  status: 'SENT' | 'SKIPPED' | 'PENDING' | 'FAILED';
  error?: string;
  goneSubscription?: string;
}

/**
 * The deliveries one job sends, claimed on a connection of their own: each row holds a session
 * advisory lock from `take` to `release`, and is read PENDING only once its lock is held, so two
 * jobs never send the same delivery. What became of each message is written in autocommitted
 * batches on that connection (whatever piled up while the previous batch travelled), always before
 * the locks go: whoever locks a row next reads it SENT. A process that dies loses its connection,
 * and PostgreSQL drops its locks at once; its messages past the server but not yet written are
 * sent again (emails carry a Message-ID derived from their deliveries, so receivers see one).
 */
export class DeliveryClaim {
  private readonly queued = new Map<string, { mark: Mark; ids: string[] }>();
  private flushing: Promise<void> | null = null;
  private failure: Error | null = null;

  private constructor(
    private readonly client: PoolClient,
    /** The rows claimed: locked here and PENDING. */
    readonly rows: DeliveryRow[],
    /** Whether some PENDING row is locked by another job (sending it now). */
    readonly busy: boolean,
  ) {}

  /** Locks what it can of these deliveries and reads which of them are still PENDING. */
  static async take(db: DataSource, ids: readonly string[]): Promise<DeliveryClaim> {
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
        rows.filter((r) => r.mine).map(({ mine: _, ...row }) => ({ ...row, id: String(row.id) })),
        rows.some((r) => !r.mine),
      );
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  /** Records what became of these rows' message; written with the next batch. */
  mark(rows: readonly DeliveryRow[], mark: Mark): void {
    const key = JSON.stringify(mark);
    const entry = this.queued.get(key) ?? { mark, ids: [] };
    entry.ids.push(...rows.map((r) => r.id));
    this.queued.set(key, entry);
    this.flushing ??= this.flush();
  }

  /** Writes what was marked, one statement per kind of mark, until nothing is left. */
  private async flush(): Promise<void> {
    try {
      while (this.queued.size && !this.failure) {
        const batch = [...this.queued.values()];
        this.queued.clear();
        for (const { mark, ids } of batch) await this.write(mark, ids);
      }
    } catch (error) {
      this.failure = error as Error;
    } finally {
      this.flushing = null;
    }
  }

  private async write(mark: Mark, ids: string[]): Promise<void> {
    if (mark.status === 'SENT' || mark.status === 'SKIPPED') {
      await this.client.query(
        `UPDATE notification_deliveries SET status = $2, attempts = attempts + 1${mark.status === 'SENT' ? ', sent_at = now()' : ''}
          WHERE id = ANY($1::bigint[])`,
        [ids, mark.status],
      );
      return;
    }
    if (mark.goneSubscription) {
      await this.client.query('DELETE FROM push_subscriptions WHERE id = $1', [
        mark.goneSubscription,
      ]);
    }
    await this.client.query(
      `UPDATE notification_deliveries SET status = $2, attempts = attempts + 1, last_error = $3
        WHERE id = ANY($1::bigint[])`,
      [ids, mark.status, mark.error],
    );
  }

  /**
   * Writes every mark, then lets the rows go. Throws when a mark could not be written: the job is
   * retried and sends again what is not marked.
   */
  async release(): Promise<void> {
    try {
      while (this.flushing) await this.flushing;
      if (this.failure) throw this.failure;
      await this.client.query('SELECT pg_advisory_unlock_all()');
    } catch (error) {
      // A connection in doubt is closed, not pooled: its locks go with it.
      this.client.release(error as Error);
      throw error;
    }
    this.client.release();
  }
}

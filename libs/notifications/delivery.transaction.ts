import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A transaction in two round trips, for the one that wraps each message: BEGIN travels with the
 * locking statement, COMMIT with the marking one (several statements in one simple query). Values
 * are written into the SQL as literals escaped by the driver, since a simple query takes no
 * parameters. The connection is its own: should the process die, PostgreSQL rolls it back.
 */
export class DeliveryTransaction {
  private open = false;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly client: PoolClient,
  ) {}

  static async start(db: DataSource): Promise<DeliveryTransaction> {
    const runner = db.createQueryRunner();
    return new DeliveryTransaction(runner, (await runner.connect()) as PoolClient);
  }

  /** A value as an SQL literal. */
  literal(value: string): string {
    return this.client.escapeLiteral(value);
  }

  /** BEGIN, then `sql`; its rows. */
  async begin<T>(sql: string): Promise<T[]> {
    this.open = true;
    const results = (await this.client.query(`BEGIN; ${sql}`)) as unknown as { rows: T[] }[];
    return results[results.length - 1].rows;
  }

  /** `sql` (if any), then COMMIT. */
  async commit(sql = ''): Promise<void> {
    await this.client.query(sql ? `${sql}; COMMIT` : 'COMMIT');
    this.open = false;
  }

  /** Rolls back what was not committed and gives the connection back. */
  async release(): Promise<void> {
    try {
      if (this.open) await this.client.query('ROLLBACK');
    } finally {
      await this.runner.release();
    }
  }
}

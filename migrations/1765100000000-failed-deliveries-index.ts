import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * /metrics counts the PENDING and FAILED deliveries at each scrape; each status by its own partial
 * index, not a scan of every delivery ever sent.
 */
export class FailedDeliveriesIndex1765100000000 implements MigrationInterface {
  name = 'FailedDeliveriesIndex1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "notification_deliveries_failed_idx" ON "notification_deliveries" ("channel") WHERE "status" = 'FAILED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."notification_deliveries_failed_idx"`);
  }
}

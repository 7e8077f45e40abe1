import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row stays until its job is done (`relayed_at` once handed to BullMQ), so a Redis that
 * comes back empty gets the unfinished jobs again; PENDING deliveries are found by their own index
 * for the same reason.
 */
export class OutboxUntilDone1765000000000 implements MigrationInterface {
  name = 'OutboxUntilDone1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" ADD "relayed_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(
      `CREATE INDEX "outbox_unrelayed_idx" ON "outbox" ("id") WHERE "relayed_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "notification_deliveries_pending_idx" ON "notification_deliveries" ("id") WHERE "status" = 'PENDING'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."notification_deliveries_pending_idx"`);
    await q.query(`DROP INDEX "public"."outbox_unrelayed_idx"`);
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "relayed_at"`);
  }
}

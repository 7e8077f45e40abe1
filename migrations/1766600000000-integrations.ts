import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrations: bots (a users row flagged is_bot), their group integrations and the log of their
 * calls; outgoing webhooks and their deliveries.
 */
export class Integrations1766600000000 implements MigrationInterface {
  name = 'Integrations1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD "is_bot" boolean NOT NULL DEFAULT false`);
    await q.query(
      `CREATE TABLE "integrations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "group_id" uuid NOT NULL, "bot_id" uuid NOT NULL, "name" text NOT NULL, "secret_hash" text NOT NULL, "created_by_id" uuid NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "integrations_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "integrations_group_idx" ON "integrations"  ("group_id", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "integration_calls" ("id" BIGSERIAL NOT NULL, "integration_id" uuid NOT NULL, "status" integer NOT NULL, "ip" text NOT NULL, "size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "integration_calls_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "integration_calls_integration_idx" ON "integration_calls"  ("integration_id", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "webhooks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "group_id" uuid, "url" text NOT NULL, "events" text array NOT NULL, "secret" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "consecutive_failures" integer NOT NULL DEFAULT '0', "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "webhooks_active_idx" ON "webhooks"  ("active", "group_id") `);
    await q.query(`CREATE INDEX "webhooks_owner_idx" ON "webhooks"  ("owner_id") `);
    await q.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_id" uuid NOT NULL, "event" text NOT NULL, "activity_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "last_status" integer, "last_error" text, "done_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "webhook_deliveries_key" ON "webhook_deliveries"  ("webhook_id", "activity_id") `,
    );
    await q.query(
      `CREATE INDEX "webhook_deliveries_status_idx" ON "webhook_deliveries"  ("status", "created_at") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."webhook_deliveries_status_idx"`);
    await q.query(`DROP INDEX "public"."webhook_deliveries_key"`);
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP INDEX "public"."webhooks_owner_idx"`);
    await q.query(`DROP INDEX "public"."webhooks_active_idx"`);
    await q.query(`DROP TABLE "webhooks"`);
    await q.query(`DROP INDEX "public"."integration_calls_integration_idx"`);
    await q.query(`DROP TABLE "integration_calls"`);
    await q.query(`DROP INDEX "public"."integrations_group_idx"`);
    await q.query(`DROP TABLE "integrations"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "is_bot"`);
  }
}

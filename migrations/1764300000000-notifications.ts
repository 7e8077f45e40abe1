import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications (one unread row per type, object and recipient), preferences, push subscriptions, deliveries. */
export class Notifications1764300000000 implements MigrationInterface {
  name = 'Notifications1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient_id" uuid NOT NULL, "type" text NOT NULL, "actor_id" uuid, "post_id" uuid, "comment_id" uuid, "group_id" uuid, "object_key" text NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "notifications_unread_key" ON "notifications"  ("recipient_id", "type", "object_key") WHERE "read_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "notifications_recipient_created_idx" ON "notifications"  ("recipient_id", "created_at", "id") `,
    );
    await q.query(
      `CREATE TABLE "notification_preferences" ("user_id" uuid NOT NULL, "settings" jsonb NOT NULL DEFAULT '{}', "email_digest" text NOT NULL DEFAULT 'OFF', "quiet_hours" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id"))`,
    );
    await q.query(
      `CREATE TABLE "push_subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "endpoint" text NOT NULL, "p256dh" text NOT NULL, "auth" text NOT NULL, "user_agent" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "push_subscriptions_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "push_subscriptions_endpoint_key" ON "push_subscriptions"  ("endpoint") `,
    );
    await q.query(
      `CREATE INDEX "push_subscriptions_user_idx" ON "push_subscriptions"  ("user_id") `,
    );
    await q.query(
      `CREATE TABLE "notification_deliveries" ("id" BIGSERIAL NOT NULL, "notification_id" uuid NOT NULL, "user_id" uuid NOT NULL, "channel" text NOT NULL, "target" text NOT NULL DEFAULT '', "event_id" text NOT NULL, "status" text NOT NULL DEFAULT 'PENDING', "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "batched" boolean NOT NULL DEFAULT false, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries"  ("user_id", "channel", "status", "due_at") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "notification_deliveries_key" ON "notification_deliveries"  ("notification_id", "channel", "target", "event_id") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."notification_deliveries_key"`);
    await q.query(`DROP INDEX "public"."notification_deliveries_due_idx"`);
    await q.query(`DROP TABLE "notification_deliveries"`);
    await q.query(`DROP INDEX "public"."push_subscriptions_user_idx"`);
    await q.query(`DROP INDEX "public"."push_subscriptions_endpoint_key"`);
    await q.query(`DROP TABLE "push_subscriptions"`);
    await q.query(`DROP TABLE "notification_preferences"`);
    await q.query(`DROP INDEX "public"."notifications_recipient_created_idx"`);
    await q.query(`DROP INDEX "public"."notifications_unread_key"`);
    await q.query(`DROP TABLE "notifications"`);
  }
}

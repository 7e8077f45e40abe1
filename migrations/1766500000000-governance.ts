import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The charter (versions and who accepted them), reports and moderation decisions, content hidden
 * by moderators, acknowledged announcements and their one reminder, and the report a notification
 * is about. The MODERATE permission already exists in the matrix (OWNER all, ADMIN all, MODERATOR).
 */
export class Governance1766500000000 implements MigrationInterface {
  name = 'Governance1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "charters" ("version" integer NOT NULL, "body" text NOT NULL, "body_html" text NOT NULL, "translations" jsonb NOT NULL DEFAULT '{}', "published_by_id" uuid NOT NULL, "published_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "charters_pkey" PRIMARY KEY ("version"))`,
    );
    await q.query(
      `CREATE TABLE "charter_acceptances" ("user_id" uuid NOT NULL, "version" integer NOT NULL, "accepted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "charter_acceptances_pkey" PRIMARY KEY ("user_id", "version"))`,
    );
    await q.query(
      `CREATE INDEX "charter_acceptances_version_idx" ON "charter_acceptances" ("version", "accepted_at") `,
    );
    await q.query(
      `CREATE TABLE "reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject_type" text NOT NULL, "subject_id" uuid NOT NULL, "post_id" uuid, "group_id" uuid, "conversation_id" uuid, "author_id" uuid NOT NULL, "reporter_id" uuid NOT NULL, "reason" text NOT NULL, "note" text, "status" text NOT NULL DEFAULT 'OPEN', "decision_note" text, "decided_by_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reports_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "reports_reporter_subject_key" ON "reports" ("reporter_id", "subject_type", "subject_id") `,
    );
    await q.query(
      `CREATE INDEX "reports_status_created_idx" ON "reports" ("status", "created_at", "id") `,
    );
    await q.query(
      `CREATE INDEX "reports_subject_idx" ON "reports" ("subject_type", "subject_id") `,
    );
    await q.query(
      `CREATE TABLE "moderation_decisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "report_id" uuid NOT NULL, "moderator_id" uuid NOT NULL, "decision" text NOT NULL, "subject_type" text NOT NULL, "subject_id" uuid NOT NULL, "note" text, "suspend_author_days" integer, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "moderation_decisions_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "moderation_decisions_subject_idx" ON "moderation_decisions" ("subject_type", "subject_id", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "post_acknowledgements" ("post_id" uuid NOT NULL, "user_id" uuid NOT NULL, "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "post_acknowledgements_pkey" PRIMARY KEY ("post_id", "user_id"))`,
    );
    await q.query(
      `CREATE TABLE "acknowledgement_reminders" ("post_id" uuid NOT NULL, "recipients" integer NOT NULL, "reminded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "acknowledgement_reminders_pkey" PRIMARY KEY ("post_id"))`,
    );
    await q.query(
      `ALTER TABLE "posts" ADD "hidden_at" TIMESTAMP WITH TIME ZONE, ADD "hidden_reason" text, ADD "acknowledgement_required" boolean NOT NULL DEFAULT false`,
    );
    await q.query(
      `ALTER TABLE "comments" ADD "hidden_at" TIMESTAMP WITH TIME ZONE, ADD "hidden_reason" text`,
    );
    await q.query(`ALTER TABLE "notifications" ADD "report_id" uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "report_id"`);
    await q.query(`ALTER TABLE "comments" DROP COLUMN "hidden_reason", DROP COLUMN "hidden_at"`);
    await q.query(
      `ALTER TABLE "posts" DROP COLUMN "acknowledgement_required", DROP COLUMN "hidden_reason", DROP COLUMN "hidden_at"`,
    );
    await q.query(`DROP TABLE "acknowledgement_reminders"`);
    await q.query(`DROP TABLE "post_acknowledgements"`);
    await q.query(`DROP TABLE "moderation_decisions"`);
    await q.query(`DROP TABLE "reports"`);
    await q.query(`DROP TABLE "charter_acceptances"`);
    await q.query(`DROP TABLE "charters"`);
  }
}

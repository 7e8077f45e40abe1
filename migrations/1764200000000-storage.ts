import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded files and their versions on posts. `post_id` has no foreign key: content owns posts,
 * and an upload exists (unattached) before its post does.
 */
export class Storage1764200000000 implements MigrationInterface {
  name = 'Storage1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "uploader_id" uuid NOT NULL, "post_id" uuid, "file_name" text NOT NULL, "content_type" text NOT NULL, "byte_size" integer NOT NULL, "sha256" text NOT NULL, "storage_key" text NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "attachments_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "attachments_unattached_created_idx" ON "attachments" ("created_at") WHERE "post_id" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "attachments_uploader_created_idx" ON "attachments" ("uploader_id", "created_at")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "attachments_storage_key_key" ON "attachments" ("storage_key")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "attachments_post_name_version_key" ON "attachments" ("post_id", "file_name", "version")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."attachments_post_name_version_key"`);
    await q.query(`DROP INDEX "public"."attachments_storage_key_key"`);
    await q.query(`DROP INDEX "public"."attachments_uploader_created_idx"`);
    await q.query(`DROP INDEX "public"."attachments_unattached_created_idx"`);
    await q.query(`DROP TABLE "attachments"`);
  }
}

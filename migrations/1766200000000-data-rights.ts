import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data rights: the network's default for the posts of an erased person, the erasures whose Redis
 * and storage cleanup is still to finish (their search needles are wiped once it has), and the
 * members' exports.
 */
export class DataRights1766200000000 implements MigrationInterface {
  name = 'DataRights1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "network_settings" ADD "erased_posts" text NOT NULL DEFAULT 'KEEP_AS_FORMER_MEMBER'`,
    );
    await q.query(
      `CREATE TABLE "data_erasures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "posts" text NOT NULL, "needles" text array, "storage_keys" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "data_erasures_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "data_erasures_unfinished_idx" ON "data_erasures" ("created_at") WHERE "completed_at" IS NULL`,
    );
    await q.query(
      `CREATE TABLE "data_exports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'PENDING', "storage_key" text, "byte_size" integer, "token_hash" text, "expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, "downloaded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "data_exports_pkey" PRIMARY KEY ("id"), CONSTRAINT "data_exports_user_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE)`,
    );
    await q.query(
      `CREATE INDEX "data_exports_user_created_idx" ON "data_exports" ("user_id", "created_at")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "data_exports_token_hash_key" ON "data_exports" ("token_hash")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "data_exports"`);
    await q.query(`DROP TABLE "data_erasures"`);
    await q.query(`ALTER TABLE "network_settings" DROP COLUMN "erased_posts"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The activity feed: one row per thing that happened, read as its object (libs/access/activities.access.ts). */
export class Feed1764800000000 implements MigrationInterface {
  name = 'Feed1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "activities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "verb" text NOT NULL, "actor_id" uuid NOT NULL, "post_id" uuid, "comment_id" uuid, "group_id" uuid, "broadcast" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "activities_pkey" PRIMARY KEY ("id"))`,
    );
    // The home feed's full query walks this one newest first; the others serve the read-time merge.
    await q.query(
      `CREATE INDEX "activities_created_idx" ON "activities" ("created_at" DESC, "id" DESC)`,
    );
    await q.query(
      `CREATE INDEX "activities_actor_created_idx" ON "activities" ("actor_id", "created_at" DESC, "id" DESC)`,
    );
    await q.query(
      `CREATE INDEX "activities_group_created_idx" ON "activities" ("group_id", "created_at" DESC, "id" DESC) WHERE group_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "activities_broadcast_created_idx" ON "activities" ("created_at" DESC, "id" DESC) WHERE broadcast`,
    );
    await q.query(
      `CREATE INDEX "activities_post_idx" ON "activities" ("post_id") WHERE post_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "activities"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Groups (sub-networks) with their materialized ancestor path and permission matrix, and memberships. */
export class Groups1764000000000 implements MigrationInterface {
  name = 'Groups1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "groups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "name" text NOT NULL, "sort_name" text NOT NULL, "description" text, "visibility" text NOT NULL, "join_policy" text NOT NULL, "parent_id" uuid, "path" uuid array NOT NULL DEFAULT '{}', "permissions" jsonb NOT NULL, "archived_at" TIMESTAMP WITH TIME ZONE, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "groups_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "groups_name_idx" ON "groups"  ("sort_name", "id")`);
    await q.query(`CREATE INDEX "groups_parent_idx" ON "groups"  ("parent_id", "sort_name", "id")`);
    await q.query(`CREATE UNIQUE INDEX "groups_slug_key" ON "groups"  ("slug")`);
    await q.query(
      `CREATE TABLE "group_memberships" ("group_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" text NOT NULL, "status" text NOT NULL, "invited_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "group_memberships_pkey" PRIMARY KEY ("group_id", "user_id"))`,
    );
    await q.query(
      `CREATE INDEX "group_memberships_group_idx" ON "group_memberships"  ("group_id", "created_at", "user_id")`,
    );
    await q.query(
      `CREATE INDEX "group_memberships_user_idx" ON "group_memberships"  ("user_id", "status")`,
    );
    await q.query(
      `ALTER TABLE "groups" ADD CONSTRAINT "groups_parent_fkey" FOREIGN KEY ("parent_id") REFERENCES "groups"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_group_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The listings' accent-blind prefix search on the name (sort_name is folded by the application).
    await q.query(
      `CREATE INDEX "groups_search_idx" ON "groups" USING gin (to_tsvector('simple', "sort_name"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."groups_search_idx"`);
    await q.query(`ALTER TABLE "group_memberships" DROP CONSTRAINT "group_memberships_group_fkey"`);
    await q.query(`ALTER TABLE "groups" DROP CONSTRAINT "groups_parent_fkey"`);
    await q.query(`DROP INDEX "public"."group_memberships_user_idx"`);
    await q.query(`DROP INDEX "public"."group_memberships_group_idx"`);
    await q.query(`DROP TABLE "group_memberships"`);
    await q.query(`DROP INDEX "public"."groups_slug_key"`);
    await q.query(`DROP INDEX "public"."groups_parent_idx"`);
    await q.query(`DROP INDEX "public"."groups_name_idx"`);
    await q.query(`DROP TABLE "groups"`);
  }
}

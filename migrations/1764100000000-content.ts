import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Posts (on walls and in groups, with their audience), comments, reactions, polls and the history
 * of edits. The page queries' indexes are partial on live posts and ordered as the pages are.
 */
export class Content1764100000000 implements MigrationInterface {
  name = 'Content1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "posts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "author_id" uuid NOT NULL, "wall_owner_id" uuid, "group_id" uuid, "audience" text NOT NULL, "audience_user_ids" uuid array NOT NULL DEFAULT '{}', "audience_group_ids" uuid array NOT NULL DEFAULT '{}', "body" text NOT NULL, "body_html" text NOT NULL, "mention_ids" uuid array NOT NULL DEFAULT '{}', "hashtags" text array NOT NULL DEFAULT '{}', "is_announcement" boolean NOT NULL DEFAULT false, "pinned" boolean NOT NULL DEFAULT false, "poll_multiple_choice" boolean, "poll_closes_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "posts_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "post_id" uuid NOT NULL, "parent_id" uuid, "author_id" uuid NOT NULL, "body" text NOT NULL, "body_html" text NOT NULL, "mention_ids" uuid array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "comments_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "comments_author_idx" ON "comments" ("author_id")`);
    await q.query(`CREATE INDEX "comments_parent_idx" ON "comments" ("parent_id")`);
    await q.query(
      `CREATE TABLE "content_revisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject_id" uuid NOT NULL, "post_id" uuid NOT NULL, "body" text NOT NULL, "edited_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "content_revisions_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "content_revisions_subject_idx" ON "content_revisions" ("subject_id", "created_at")`,
    );
    await q.query(
      `CREATE TABLE "reactions" ("subject_id" uuid NOT NULL, "user_id" uuid NOT NULL, "emoji" text NOT NULL, "post_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reactions_pkey" PRIMARY KEY ("subject_id", "user_id", "emoji"))`,
    );
    await q.query(`CREATE INDEX "reactions_post_idx" ON "reactions" ("post_id")`);
    await q.query(
      `CREATE TABLE "poll_options" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "post_id" uuid NOT NULL, "position" integer NOT NULL, "label" text NOT NULL, CONSTRAINT "poll_options_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "poll_options_post_idx" ON "poll_options" ("post_id", "position")`,
    );
    await q.query(
      `CREATE TABLE "poll_votes" ("option_id" uuid NOT NULL, "user_id" uuid NOT NULL, "post_id" uuid NOT NULL, CONSTRAINT "poll_votes_pkey" PRIMARY KEY ("option_id", "user_id"))`,
    );
    await q.query(`CREATE INDEX "poll_votes_post_user_idx" ON "poll_votes" ("post_id", "user_id")`);
    await q.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "comments_post_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "comments_parent_fkey" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reactions" ADD CONSTRAINT "reactions_post_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "poll_options" ADD CONSTRAINT "poll_options_post_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "poll_votes" ADD CONSTRAINT "poll_votes_option_fkey" FOREIGN KEY ("option_id") REFERENCES "poll_options"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The page queries, each walking its index in page order: a wall, a group's feed (pinned
    // first), the company feed (NETWORK posts, pinned first), an author's posts, a hashtag.
    await q.query(
      `CREATE INDEX "posts_wall_created_idx" ON "posts" ("wall_owner_id", "created_at" DESC, "id" DESC) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "posts_group_created_idx" ON "posts" ("group_id", "pinned" DESC, "created_at" DESC, "id" DESC) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "posts_company_idx" ON "posts" ("pinned" DESC, "created_at" DESC, "id" DESC) WHERE audience = 'NETWORK' AND deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "posts_author_created_idx" ON "posts" ("author_id", "created_at" DESC, "id" DESC) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "posts_hashtags_idx" ON "posts" USING gin ("hashtags") WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX "comments_post_created_idx" ON "comments" ("post_id", "created_at", "id") WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "poll_votes"`);
    await q.query(`DROP TABLE "poll_options"`);
    await q.query(`DROP TABLE "reactions"`);
    await q.query(`DROP TABLE "content_revisions"`);
    await q.query(`DROP TABLE "comments"`);
    await q.query(`DROP TABLE "posts"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations: participants (joined, left, read position, mute), messages (system lines too)
 * with their revisions and reactions. A one-to-one conversation is unique per pair (pair_key).
 * The list reads: a participant's conversations by last activity, a conversation's messages by id.
 */
export class Conversations1766400000000 implements MigrationInterface {
  name = 'Conversations1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text, "pair_key" text, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "conversations_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "conversations_pair_uq" ON "conversations" ("pair_key") WHERE "pair_key" IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "conversation_participants" ("conversation_id" uuid NOT NULL, "user_id" uuid NOT NULL, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "left_at" TIMESTAMP WITH TIME ZONE, "readable_up_to" bigint, "last_read_id" bigint NOT NULL DEFAULT '0', "muted" boolean NOT NULL DEFAULT false, "last_activity_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "conversation_participants_pkey" PRIMARY KEY ("conversation_id", "user_id"))`,
    );
    await q.query(
      `CREATE INDEX "conversation_participants_activity_idx" ON "conversation_participants" ("user_id", "last_activity_at", "conversation_id") WHERE "left_at" IS NULL`,
    );
    await q.query(
      `ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_conversation_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE TABLE "messages" ("id" BIGSERIAL NOT NULL, "conversation_id" uuid NOT NULL, "author_id" uuid, "kind" text NOT NULL DEFAULT 'TEXT', "body" text NOT NULL DEFAULT '', "body_html" text NOT NULL DEFAULT '', "subject_ids" uuid array NOT NULL DEFAULT '{}', "mention_ids" uuid array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "messages_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "messages_conversation_idx" ON "messages" ("conversation_id", "id")`,
    );
    await q.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE TABLE "message_revisions" ("id" BIGSERIAL NOT NULL, "message_id" bigint NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "message_revisions_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "message_revisions_message_idx" ON "message_revisions" ("message_id", "id")`,
    );
    await q.query(
      `ALTER TABLE "message_revisions" ADD CONSTRAINT "message_revisions_message_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE TABLE "message_reactions" ("message_id" bigint NOT NULL, "user_id" uuid NOT NULL, "emoji" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "message_reactions_pkey" PRIMARY KEY ("message_id", "user_id", "emoji"))`,
    );
    await q.query(`ALTER TABLE "notifications" ADD "message_id" bigint`);
    await q.query(
      `ALTER TABLE "message_reactions" ADD CONSTRAINT "message_reactions_message_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notifications" DROP COLUMN "message_id"`);
    await q.query(`DROP TABLE "message_reactions"`);
    await q.query(`DROP TABLE "message_revisions"`);
    await q.query(`DROP TABLE "messages"`);
    await q.query(`DROP TABLE "conversation_participants"`);
    await q.query(`DROP TABLE "conversations"`);
  }
}

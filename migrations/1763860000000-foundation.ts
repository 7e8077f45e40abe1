import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, sessions, tokens, invitations, network settings, follows and the outbox. */
export class Foundation1763860000000 implements MigrationInterface {
  name = 'Foundation1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "network_settings" ("id" smallint NOT NULL DEFAULT '1', "name" text NOT NULL DEFAULT 'Ruche', "registration_mode" text NOT NULL DEFAULT 'DOMAIN', "allowed_email_domains" text array NOT NULL DEFAULT '{}', "default_locale" text NOT NULL DEFAULT 'en', "quiet_hours" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "network_settings_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "queue" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "outbox_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "handle" text NOT NULL, "display_name" text NOT NULL, "password_hash" text, "role" text NOT NULL DEFAULT 'MEMBER', "status" text NOT NULL DEFAULT 'PENDING', "email_verified_at" TIMESTAMP WITH TIME ZONE, "job_title" text, "department" text, "location" text, "phone" text, "bio" text, "skills" text array NOT NULL DEFAULT '{}', "avatar_url" text, "manager_id" uuid, "timezone" text NOT NULL DEFAULT 'Europe/Paris', "locale" text NOT NULL DEFAULT 'en', "sort_name" text NOT NULL, "search_text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "users_manager_idx" ON "users"  ("manager_id")`);
    await q.query(`CREATE INDEX "users_directory_idx" ON "users"  ("sort_name", "id")`);
    await q.query(`CREATE UNIQUE INDEX "users_handle_key" ON "users"  ("handle")`);
    await q.query(`CREATE UNIQUE INDEX "users_email_key" ON "users"  ("email")`);
    await q.query(
      `CREATE TABLE "account_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" text NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "account_tokens_user_idx" ON "account_tokens"  ("user_id")`);
    await q.query(
      `CREATE UNIQUE INDEX "account_tokens_hash_key" ON "account_tokens"  ("token_hash")`,
    );
    await q.query(
      `CREATE TABLE "invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "role" text NOT NULL DEFAULT 'MEMBER', "token_hash" text NOT NULL, "invited_by_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "invitations_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "invitations_email_idx" ON "invitations"  ("email")`);
    await q.query(`CREATE UNIQUE INDEX "invitations_hash_key" ON "invitations"  ("token_hash")`);
    await q.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "ip" text, "user_agent" text, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "sessions_user_idx" ON "sessions"  ("user_id")`);
    await q.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "refresh_tokens_session_idx" ON "refresh_tokens"  ("session_id")`);
    await q.query(
      `CREATE UNIQUE INDEX "refresh_tokens_hash_key" ON "refresh_tokens"  ("token_hash")`,
    );
    await q.query(
      `CREATE TABLE "app_secrets" ("name" text NOT NULL, "value" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "app_secrets_pkey" PRIMARY KEY ("name"))`,
    );
    await q.query(
      `CREATE TABLE "follows" ("follower_id" uuid NOT NULL, "followee_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "follows_pkey" PRIMARY KEY ("follower_id", "followee_id"))`,
    );
    await q.query(
      `CREATE INDEX "follows_followee_idx" ON "follows"  ("followee_id", "follower_id")`,
    );
    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_manager_fkey" FOREIGN KEY ("manager_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The directory's accent-blind prefix search (search_text is folded by the application).
    await q.query(
      `CREATE INDEX "users_search_idx" ON "users" USING gin (to_tsvector('simple', "search_text"))`,
    );
    await q.query(`INSERT INTO "network_settings" ("id") VALUES (1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."users_search_idx"`);
    await q.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_session_fkey"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_fkey"`);
    await q.query(`ALTER TABLE "invitations" DROP CONSTRAINT "invitations_invited_by_fkey"`);
    await q.query(`ALTER TABLE "account_tokens" DROP CONSTRAINT "account_tokens_user_fkey"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_manager_fkey"`);
    await q.query(`DROP INDEX "public"."follows_followee_idx"`);
    await q.query(`DROP TABLE "follows"`);
    await q.query(`DROP TABLE "app_secrets"`);
    await q.query(`DROP INDEX "public"."refresh_tokens_hash_key"`);
    await q.query(`DROP INDEX "public"."refresh_tokens_session_idx"`);
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP INDEX "public"."sessions_user_idx"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP INDEX "public"."invitations_hash_key"`);
    await q.query(`DROP INDEX "public"."invitations_email_idx"`);
    await q.query(`DROP TABLE "invitations"`);
    await q.query(`DROP INDEX "public"."account_tokens_hash_key"`);
    await q.query(`DROP INDEX "public"."account_tokens_user_idx"`);
    await q.query(`DROP TABLE "account_tokens"`);
    await q.query(`DROP INDEX "public"."users_email_key"`);
    await q.query(`DROP INDEX "public"."users_handle_key"`);
    await q.query(`DROP INDEX "public"."users_directory_idx"`);
    await q.query(`DROP INDEX "public"."users_manager_idx"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP TABLE "network_settings"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on: the identities an account holds at an OpenID Connect provider or an LDAP
 * directory, and on each session where it came from, when the provider was last asked whether the
 * person is still there, and (sealed) the provider's refresh token used to ask.
 */
export class SingleSignOn1766100000000 implements MigrationInterface {
  name = 'SingleSignOn1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "user_identities" (
      "provider" text NOT NULL,
      "subject" text NOT NULL,
      "user_id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_sign_in_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "user_identities_pkey" PRIMARY KEY ("provider", "subject"),
      CONSTRAINT "user_identities_user_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE INDEX "user_identities_user_idx" ON "user_identities" ("user_id")`);
    await q.query(`ALTER TABLE "sessions" ADD "provider" text`);
    await q.query(`ALTER TABLE "sessions" ADD "provider_subject" text`);
    await q.query(`ALTER TABLE "sessions" ADD "provider_checked_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "sessions" ADD "provider_token" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "provider_token"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "provider_checked_at"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "provider_subject"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "provider"`);
    await q.query(`DROP TABLE "user_identities"`);
  }
}

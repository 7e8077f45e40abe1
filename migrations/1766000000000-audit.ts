import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: append-only, hash-chained.
 *
 * Append-only is enforced twice, because neither suffices alone:
 * - a trigger that raises on UPDATE, DELETE and TRUNCATE of audit_events. It binds every role,
 *   the table owner and a superuser included (the default install connects as `postgres`), so
 *   the application cannot rewrite history whatever role it uses. A superuser can still
 *   `ALTER TABLE audit_events DISABLE TRIGGER` — nothing inside one database stops its superuser;
 *   the hash chain is what detects that (AuditService.verify, `ruche audit-verify`).
 * - privileges: UPDATE, DELETE and TRUNCATE are revoked from PUBLIC and from every role that holds
 *   them on the table other than its owner (default privileges may have granted them to an
 *   application role). In production the application should connect as a role that does NOT own
 *   the tables (README, "Installing for IT"): then it cannot even disable the trigger.
 *
 * audit_head holds the chain's last id and hash, one row locked by each writer: concurrent
 * writers take turns (no fork), and a row cut off the end of the chain is detected too.
 */
export class Audit1766000000000 implements MigrationInterface {
  name = 'Audit1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_events" (
      "id" bigint PRIMARY KEY,
      "at" timestamptz NOT NULL,
      "action" text NOT NULL,
      "actor_id" uuid,
      "target_type" text,
      "target_id" text,
      "details" jsonb NOT NULL DEFAULT '{}',
      "ip" text,
      "prev_hash" text NOT NULL,
      "hash" text NOT NULL
    )`);
    await q.query(`CREATE SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id"`);
    await q.query(`CREATE INDEX "audit_events_action_idx" ON "audit_events" ("action", "id")`);
    await q.query(`CREATE INDEX "audit_events_actor_idx" ON "audit_events" ("actor_id", "id")`);
    await q.query(`CREATE INDEX "audit_events_target_idx" ON "audit_events" ("target_id", "id")`);
    await q.query(`CREATE INDEX "audit_events_at_idx" ON "audit_events" ("at")`);
    await q.query(`CREATE TABLE "audit_head" (
      "id" smallint PRIMARY KEY CONSTRAINT "audit_head_one_row" CHECK ("id" = 1),
      "last_id" bigint NOT NULL,
      "last_hash" text NOT NULL
    )`);
    await q.query(`INSERT INTO "audit_head" VALUES (1, 0, repeat('0', 64))`);
    await q.query(`CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER "audit_events_no_change" BEFORE UPDATE OR DELETE ON "audit_events"
      FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"()`);
    await q.query(`CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM PUBLIC`);
    await q.query(`DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                  WHERE table_schema = current_schema() AND table_name = 'audit_events'
                    AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
                    AND grantee <> (SELECT tableowner FROM pg_tables
                                     WHERE schemaname = current_schema() AND tablename = 'audit_events')
                    AND grantee <> 'PUBLIC'
        LOOP
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', r.grantee);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_head"`);
    await q.query(`DROP TABLE "audit_events"`);
    await q.query(`DROP FUNCTION "audit_events_append_only"()`);
  }
}

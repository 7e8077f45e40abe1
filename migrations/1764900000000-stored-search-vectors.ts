import type { MigrationInterface, QueryRunner } from 'typeorm';

const VECTOR = (row: string) =>
  `to_tsvector('ruche_fr', ${row}.body) || to_tsvector('ruche_en', ${row}.body)`;
const TABLES = ['posts', 'comments'] as const;

/**
 * Posts and comments keep their lexemes: a search_vector column, GIN-indexed in place of the
 * expression indexes, so ranking reads the vector instead of re-parsing each matching body.
 * PostgreSQL maintains it in the writing statement (a BEFORE trigger, recomputed when the body
 * changes), whoever writes. Not a generated column: TypeORM compares a generated column's
 * expression through its typeorm_metadata table, keyed by database name, which a copied database
 * (the tests' template, a restore under another name) no longer matches.
 */
export class StoredSearchVectors1764900000000 implements MigrationInterface {
  name = 'StoredSearchVectors1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION "search_vector_of_body"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' OR NEW.body IS DISTINCT FROM OLD.body OR NEW.search_vector IS NULL THEN
           NEW.search_vector := ${VECTOR('NEW')};
         END IF;
         RETURN NEW;
       END $$`,
    );
    for (const table of TABLES) {
      await q.query(`DROP INDEX "public"."${table}_search_idx"`);
      await q.query(`ALTER TABLE "${table}" ADD "search_vector" tsvector`);
      await q.query(`UPDATE "${table}" SET "search_vector" = ${VECTOR(`"${table}"`)}`);
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "search_vector" SET NOT NULL`);
      await q.query(
        `CREATE TRIGGER "${table}_search_vector" BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "search_vector_of_body"()`,
      );
      await q.query(`CREATE INDEX "${table}_search_idx" ON "${table}" USING gin ("search_vector")`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`DROP INDEX "public"."${table}_search_idx"`);
      await q.query(`DROP TRIGGER "${table}_search_vector" ON "${table}"`);
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "search_vector"`);
      await q.query(
        `CREATE INDEX "${table}_search_idx" ON "${table}" USING gin ((${VECTOR(`"${table}"`)}))`,
      );
    }
    await q.query(`DROP FUNCTION "search_vector_of_body"()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accent-blind full-text search: unaccent, three text search configurations (simple, French and
 * English, each unaccenting before stemming) and the groups' name + description index.
 */
export class Search1764400000000 implements MigrationInterface {
  name = 'Search1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    for (const [name, base, stem] of [
      ['ruche_simple', 'simple', 'simple'],
      ['ruche_fr', 'french', 'french_stem'],
      ['ruche_en', 'english', 'english_stem'],
    ]) {
      await q.query(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = ${base})`);
      await q.query(
        `ALTER TEXT SEARCH CONFIGURATION ${name}
           ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, ${stem}`,
      );
    }
    await q.query(
      `CREATE INDEX "groups_text_search_idx" ON "groups" USING gin (to_tsvector('ruche_simple', "name" || ' ' || coalesce("description", '')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."groups_text_search_idx"`);
    for (const name of ['ruche_simple', 'ruche_fr', 'ruche_en'])
      await q.query(`DROP TEXT SEARCH CONFIGURATION ${name}`);
  }
}

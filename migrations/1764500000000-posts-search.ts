import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Posts searched in French and English at once: a query matches either configuration. */
export class PostsSearch1764500000000 implements MigrationInterface {
  name = 'PostsSearch1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "posts_search_idx" ON "posts" USING gin ((to_tsvector('ruche_fr', "body") || to_tsvector('ruche_en', "body")))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."posts_search_idx"`);
  }
}

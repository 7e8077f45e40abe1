import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Comments searched like posts, French and English at once: a comment's match finds its post. */
export class CommentsSearch1764700000000 implements MigrationInterface {
  name = 'CommentsSearch1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "comments_search_idx" ON "comments" USING gin ((to_tsvector('ruche_fr', "body") || to_tsvector('ruche_en', "body")))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."comments_search_idx"`);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { dialectOf } from "../dialect";

/*
 * article_tag.listed_at: the article's publication time while it is listed
 * (published and not deleted), NULL otherwise, kept by articlesChanged.
 * With the index on (tag_id, listed_at, article_id) a tag's newest articles,
 * its article count and its articles around a given date are all read from
 * the index alone, instead of joining every article of a rubric that may
 * hold tens of thousands.
 */
export class TagListing1700000000500 implements MigrationInterface {
  name = "TagListing1700000000500";

  async up(qr: QueryRunner): Promise<void> {
    const mysql = dialectOf(qr) === "mysql";
    await qr.query(`ALTER TABLE article_tag ADD COLUMN listed_at ${mysql ? "DATETIME(3)" : "DATETIME"} NULL`);
    await qr.query(
      `UPDATE article_tag SET listed_at = (SELECT a.published_at FROM article a
         WHERE a.id = article_tag.article_id AND a.status = 'PUBLISHED' AND a.deleted_at IS NULL)`,
    );
    await qr.query("CREATE INDEX article_tag_listing ON article_tag (tag_id, listed_at, article_id)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(dialectOf(qr) === "mysql" ? "DROP INDEX article_tag_listing ON article_tag" : "DROP INDEX article_tag_listing");
    await qr.query("ALTER TABLE article_tag DROP COLUMN listed_at");
  }
}

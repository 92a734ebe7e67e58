import type { MigrationInterface, QueryRunner } from "typeorm";
import { dialectOf } from "../dialect";

/*
 * Translation groups: articles that tell the same story in different
 * languages share a group_id (the smallest article id of the group, see
 * src/write/translationWrites.ts). A table of its own rather than a column
 * on article, so that an article outside any group costs nothing and the
 * article rows keep their shape. At most one article per language in a group
 * is checked by the writer, which sees the languages.
 * The language index serves per-language lists, counts and feeds.
 */
export class Translations1700000001500 implements MigrationInterface {
  name = "Translations1700000001500";

  async up(qr: QueryRunner): Promise<void> {
    const table = dialectOf(qr) === "mysql" ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci" : "";
    await qr.query(`CREATE TABLE article_translation (
      article_id INT NOT NULL PRIMARY KEY,
      group_id INT NOT NULL,
      CONSTRAINT article_translation_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
    )${table}`);
    await qr.query("CREATE INDEX article_translation_group ON article_translation (group_id, article_id)");
    await qr.query("CREATE INDEX article_language_listing ON article (language, status, published_at)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(dialectOf(qr) === "mysql" ? "DROP INDEX article_language_listing ON article" : "DROP INDEX article_language_listing");
    await qr.query("DROP TABLE article_translation");
  }
}

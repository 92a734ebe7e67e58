import type { MigrationInterface, QueryRunner } from "typeorm";
import { dialectOf } from "../dialect";

/*
 * Lists by views read an index that starts with their filter, as lists by
 * date do. article_tag.listed_views: the article's views while it is
 * listed, NULL otherwise (kept by articlesChanged with listed_at, and by the
 * view counter's flush), so that a rubric's most-read page is a range of
 * (tag_id, listed_views, article_id) instead of a sort of the whole rubric.
 * An author's articles by views get (author_id, views).
 */
export class TagViews1700000001720 implements MigrationInterface {
  name = "TagViews1700000001720";

  async up(qr: QueryRunner): Promise<void> {
    await qr.query("ALTER TABLE article_tag ADD COLUMN listed_views INT NULL");
    await qr.query(
      `UPDATE article_tag SET listed_views = (SELECT a.views FROM article a
         WHERE a.id = article_tag.article_id AND a.status = 'PUBLISHED' AND a.deleted_at IS NULL)`,
    );
    await qr.query("CREATE INDEX article_tag_by_views ON article_tag (tag_id, listed_views, article_id)");
    await qr.query("CREATE INDEX article_author_views ON article (author_id, views)");
  }

  async down(qr: QueryRunner): Promise<void> {
    const mysql = dialectOf(qr) === "mysql";
    await qr.query(mysql ? "DROP INDEX article_author_views ON article" : "DROP INDEX article_author_views");
    await qr.query(mysql ? "DROP INDEX article_tag_by_views ON article_tag" : "DROP INDEX article_tag_by_views");
    await qr.query("ALTER TABLE article_tag DROP COLUMN listed_views");
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

/*
 * Live blogs. live_blog holds one row per article that has ever been live
 * (kept in a table of its own so that the article row and its readers stay
 * as they are); ended_at is null while it is live. live_entry holds the
 * entries; the index serves Article.liveEntries (pinned first, then newest,
 * by id: ids grow with posting time) for one article at a time.
 */
export class LiveBlogs1700000001400 implements MigrationInterface {
  name = "LiveBlogs1700000001400";

  async up(qr: QueryRunner): Promise<void> {
    const { id, time, text, table } = columnTypes(qr);
    await qr.query(`CREATE TABLE live_blog (
      article_id INT NOT NULL PRIMARY KEY,
      started_at ${time} NOT NULL,
      ended_at ${time} NULL,
      CONSTRAINT live_blog_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
    )${table}`);
    await qr.query(`CREATE TABLE live_entry (
      id ${id},
      article_id INT NOT NULL,
      text ${text} NOT NULL,
      pinned SMALLINT NOT NULL DEFAULT 0,
      author_id INT NULL,
      posted_at ${time} NOT NULL,
      updated_at ${time} NOT NULL,
      CONSTRAINT live_entry_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE,
      CONSTRAINT live_entry_author FOREIGN KEY (author_id) REFERENCES author (id) ON DELETE SET NULL
    )${table}`);
    await qr.query("CREATE INDEX live_entry_page ON live_entry (article_id, pinned, id)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE live_entry");
    await qr.query("DROP TABLE live_blog");
  }
}

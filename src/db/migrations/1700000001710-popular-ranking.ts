import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

/*
 * Kept popular rankings (src/write/derived/popularRanking.ts): popular_rank holds
 * the most-viewed articles of each window (DAY, WEEK, MONTH) with their
 * views in it, popular_span the day each window was ranked for. Left empty
 * here: until the view counter's first flush ranks them, readers compute
 * the windows from article_view_day as before.
 */
export class PopularRanking1700000001710 implements MigrationInterface {
  name = "PopularRanking1700000001710";

  async up(qr: QueryRunner): Promise<void> {
    const { table } = columnTypes(qr);
    await qr.query(`CREATE TABLE popular_span (
      span VARCHAR(16) NOT NULL PRIMARY KEY,
      as_of CHAR(10) NOT NULL
    )${table}`);
    await qr.query(`CREATE TABLE popular_rank (
      span VARCHAR(16) NOT NULL,
      article_id INT NOT NULL,
      views INT NOT NULL,
      PRIMARY KEY (span, article_id),
      CONSTRAINT popular_rank_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
    )${table}`);
    await qr.query("CREATE INDEX popular_rank_order ON popular_rank (span, views, article_id)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE popular_rank");
    await qr.query("DROP TABLE popular_span");
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

/*
 * archive_month: each month's article count, kept with archive_day in the
 * writer's transaction (src/write/derived/archiveDays.ts). The archive's
 * month tree, which every article page shows, reads one row per month
 * instead of one per day (thousands on a long-running site); the days are
 * read only when a query asks for them.
 */
export class ArchiveMonths1700000001900 implements MigrationInterface {
  name = "ArchiveMonths1700000001900";

  async up(qr: QueryRunner): Promise<void> {
    const { table } = columnTypes(qr);
    await qr.query(`CREATE TABLE archive_month (
      year INT NOT NULL,
      month INT NOT NULL,
      article_count INT NOT NULL,
      PRIMARY KEY (year, month)
    )${table}`);
    await qr.query("INSERT INTO archive_month (year, month, article_count) SELECT year, month, SUM(article_count) FROM archive_day GROUP BY year, month");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE archive_month");
  }
}

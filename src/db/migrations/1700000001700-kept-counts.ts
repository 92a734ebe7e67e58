import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";
import { rebuildArticleCounts } from "../../write/derived/articleCounts";

/*
 * Kept article counts per rubric or hashtag, per author and for the whole
 * site, each per language (src/write/derived/articleCounts.ts): article_count
 * holds the numbers readers are shown, article_count_member what each
 * listed article is counted in, so that every write moves the counts by its
 * own difference in its transaction. No foreign keys: a member row must
 * outlive its article until articlesChanged subtracts it. Filled from the
 * articles already there.
 */
export class KeptCounts1700000001700 implements MigrationInterface {
  name = "KeptCounts1700000001700";

  async up(qr: QueryRunner): Promise<void> {
    const { table } = columnTypes(qr);
    await qr.query(`CREATE TABLE article_count (
      dimension VARCHAR(8) NOT NULL,
      key_id INT NOT NULL,
      language VARCHAR(8) NOT NULL,
      article_count INT NOT NULL,
      PRIMARY KEY (dimension, key_id, language)
    )${table}`);
    await qr.query(`CREATE TABLE article_count_member (
      article_id INT NOT NULL,
      dimension VARCHAR(8) NOT NULL,
      key_id INT NOT NULL,
      language VARCHAR(8) NOT NULL,
      PRIMARY KEY (article_id, dimension, key_id)
    )${table}`);
    await rebuildArticleCounts(qr.manager);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE article_count_member");
    await qr.query("DROP TABLE article_count");
  }
}

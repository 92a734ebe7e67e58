import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

/*
 * The newsroom's workflow (src/workflow/):
 * - article_correction: published corrections of an article, in order.
 * - article_revision: every editorial write keeps the article's
 *   reader-visible fields as they became (JSON), with the key's name.
 * - preview_token: links that show one article as it is now to whoever
 *   holds them; only the SHA-256 of a token is kept.
 * Scheduled articles need no table: status SCHEDULED with a future
 * published_at, found through the existing (status, published_at) index.
 */
export class Workflow1700000001200 implements MigrationInterface {
  name = "Workflow1700000001200";

  async up(qr: QueryRunner): Promise<void> {
    const { id, text, time, table } = columnTypes(qr);
    await qr.query(`CREATE TABLE article_correction (
      id ${id},
      article_id INT NOT NULL,
      published_at ${time} NOT NULL,
      text ${text} NOT NULL,
      key_name VARCHAR(191) NULL,
      CONSTRAINT article_correction_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
    )${table}`);
    await qr.query("CREATE INDEX article_correction_by_article ON article_correction (article_id, published_at, id)");
    await qr.query(`CREATE TABLE article_revision (
      id ${id},
      article_id INT NOT NULL,
      created_at ${time} NOT NULL,
      key_name VARCHAR(191) NULL,
      content ${text} NOT NULL,
      CONSTRAINT article_revision_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
    )${table}`);
    await qr.query("CREATE INDEX article_revision_by_article ON article_revision (article_id, id)");
    await qr.query(`CREATE TABLE preview_token (
      id ${id},
      article_id INT NOT NULL,
      token_hash CHAR(64) NOT NULL,
      created_at ${time} NOT NULL,
      expires_at ${time} NOT NULL,
      revoked_at ${time} NULL,
      key_name VARCHAR(191) NULL,
      CONSTRAINT preview_token_hash UNIQUE (token_hash),
      CONSTRAINT preview_token_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
    )${table}`);
    await qr.query("CREATE INDEX preview_token_by_article ON preview_token (article_id)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE preview_token");
    await qr.query("DROP TABLE article_revision");
    await qr.query("DROP TABLE article_correction");
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

/*
 * Uploaded images (their bytes live in the media store, keyed by
 * content_hash) and the articles that show them: slot MAIN holds the main
 * image at position 0, slot BODY the body images in order. An image in use
 * cannot be deleted (image_id has no cascade); deleting an article row
 * removes its links.
 */
export class Images1700000001300 implements MigrationInterface {
  name = "Images1700000001300";

  async up(qr: QueryRunner): Promise<void> {
    const { id, time, table } = columnTypes(qr);
    await qr.query(`CREATE TABLE image (
      id ${id},
      content_hash CHAR(64) NOT NULL,
      content_type VARCHAR(32) NOT NULL,
      width INT NOT NULL,
      height INT NOT NULL,
      byte_size INT NOT NULL,
      alt VARCHAR(1000) NULL,
      caption TEXT NULL,
      credit VARCHAR(255) NULL,
      focal_x DOUBLE NOT NULL DEFAULT 0.5,
      focal_y DOUBLE NOT NULL DEFAULT 0.5,
      created_at ${time} NOT NULL,
      updated_at ${time} NOT NULL,
      CONSTRAINT image_content_hash UNIQUE (content_hash)
    )${table}`);
    await qr.query(`CREATE TABLE article_image (
      article_id INT NOT NULL,
      slot VARCHAR(8) NOT NULL,
      position INT NOT NULL,
      image_id INT NOT NULL,
      PRIMARY KEY (article_id, slot, position),
      CONSTRAINT article_image_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE,
      CONSTRAINT article_image_image FOREIGN KEY (image_id) REFERENCES image (id)
    )${table}`);
    await qr.query("CREATE INDEX article_image_by_image ON article_image (image_id)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE article_image");
    await qr.query("DROP TABLE image");
  }
}

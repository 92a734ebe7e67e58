import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

// Written as plain DDL per dialect rather than TypeORM's Table API so that
// the MySQL tables get utf8mb4 and InnoDB explicitly, and so that both
// schemas can be read side by side.
export class Initial1700000000000 implements MigrationInterface {
  name = "Initial1700000000000";

  async up(qr: QueryRunner): Promise<void> {
    const { id, text, time, table } = columnTypes(qr);
    const statements = [
      `CREATE TABLE author (
        id ${id},
        name VARCHAR(255) NOT NULL,
        slug VARCHAR(191) NOT NULL,
        email VARCHAR(255) NULL,
        CONSTRAINT author_slug UNIQUE (slug)
      )${table}`,
      `CREATE TABLE tag (
        id ${id},
        kind VARCHAR(16) NOT NULL,
        name VARCHAR(255) NOT NULL,
        slug VARCHAR(191) NOT NULL,
        CONSTRAINT tag_kind_slug UNIQUE (kind, slug)
      )${table}`,
      `CREATE TABLE article (
        id ${id},
        slug VARCHAR(191) NOT NULL,
        path VARCHAR(191) NOT NULL,
        title VARCHAR(1000) NOT NULL,
        title_key VARCHAR(191) NOT NULL,
        lead ${text} NULL,
        body ${text} NULL,
        published_at ${time} NULL,
        status VARCHAR(16) NOT NULL,
        views INT NOT NULL DEFAULT 0,
        photo_credit VARCHAR(255) NULL,
        language VARCHAR(8) NOT NULL DEFAULT 'ru',
        author_id INT NULL,
        created_at ${time} NOT NULL,
        updated_at ${time} NOT NULL,
        deleted_at ${time} NULL,
        CONSTRAINT article_slug UNIQUE (slug),
        CONSTRAINT article_path UNIQUE (path),
        CONSTRAINT article_author FOREIGN KEY (author_id) REFERENCES author (id) ON DELETE SET NULL
      )${table}`,
      `CREATE INDEX article_status_published ON article (status, published_at)`,
      `CREATE INDEX article_title_key ON article (title_key)`,
      `CREATE INDEX article_author_published ON article (author_id, published_at)`,
      `CREATE INDEX article_views ON article (status, views)`,
      `CREATE TABLE article_tag (
        article_id INT NOT NULL,
        tag_id INT NOT NULL,
        position INT NOT NULL,
        PRIMARY KEY (article_id, tag_id),
        CONSTRAINT article_tag_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE,
        CONSTRAINT article_tag_tag FOREIGN KEY (tag_id) REFERENCES tag (id) ON DELETE CASCADE
      )${table}`,
      `CREATE INDEX article_tag_by_tag ON article_tag (tag_id, article_id)`,
      `CREATE TABLE article_related (
        article_id INT NOT NULL,
        related_id INT NOT NULL,
        position INT NOT NULL,
        PRIMARY KEY (article_id, related_id),
        CONSTRAINT article_related_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE,
        CONSTRAINT article_related_related FOREIGN KEY (related_id) REFERENCES article (id) ON DELETE CASCADE
      )${table}`,
      `CREATE INDEX article_related_by_related ON article_related (related_id)`,
      `CREATE TABLE collection (
        id ${id},
        slug VARCHAR(191) NOT NULL,
        name VARCHAR(255) NOT NULL,
        captured_at ${time} NULL,
        CONSTRAINT collection_slug UNIQUE (slug)
      )${table}`,
      `CREATE TABLE collection_item (
        collection_id INT NOT NULL,
        position INT NOT NULL,
        article_id INT NOT NULL,
        PRIMARY KEY (collection_id, position),
        CONSTRAINT collection_item_collection FOREIGN KEY (collection_id) REFERENCES collection (id) ON DELETE CASCADE,
        CONSTRAINT collection_item_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
      )${table}`,
      `CREATE TABLE article_view_day (
        article_id INT NOT NULL,
        day CHAR(10) NOT NULL,
        views INT NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, day),
        CONSTRAINT article_view_day_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
      )${table}`,
      `CREATE INDEX article_view_day_by_day ON article_view_day (day, article_id)`,
      `CREATE TABLE archive_day (
        year INT NOT NULL,
        month INT NOT NULL,
        day INT NOT NULL,
        article_count INT NOT NULL,
        PRIMARY KEY (year, month, day)
      )${table}`,
    ];
    for (const sql of statements) await qr.query(sql);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ["archive_day", "article_view_day", "collection_item", "collection", "article_related", "article_tag", "article", "tag", "author"]) {
      await qr.query(`DROP TABLE ${t}`);
    }
  }
}

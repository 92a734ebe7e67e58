import type { MigrationInterface, QueryRunner } from "typeorm";
import { rebuildNeighbours } from "../../write/derived/keptNeighbours";
import { columnTypes } from "../dialect";

/*
 * Kept "read also" neighbours (src/write/derived/keptNeighbours.ts): each dated
 * article's best computed neighbours, best first, as a JSON array of ids
 * (one row per article: a million articles keep a million short rows, not a
 * hundred million), with the listing time and tags it had when its change
 * was last propagated (seen_*), so that the refresh knows whose lists the
 * article was in. neighbour_refresh is the queue of written articles, filled
 * in the writer's transaction; neighbour_refresh_lease lets one instance at a
 * time work it off.
 */
export class KeptNeighbours1700000001600 implements MigrationInterface {
  name = "KeptNeighbours1700000001600";

  async up(qr: QueryRunner): Promise<void> {
    const { mysql, text, time, table } = columnTypes(qr);
    await qr.query(`CREATE TABLE article_neighbours (
      article_id INT NOT NULL PRIMARY KEY,
      neighbour_ids ${text} NOT NULL,
      seen_listed_at ${time} NULL,
      seen_tag_ids VARCHAR(2000) NULL
    )${table}`);
    await qr.query(`CREATE TABLE neighbour_refresh (
      id ${mysql ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
      article_id INT NOT NULL
    )${table}`);
    await qr.query(`CREATE TABLE neighbour_refresh_lease (
      name VARCHAR(32) NOT NULL PRIMARY KEY,
      owner VARCHAR(100) NULL,
      lease_until ${time} NULL
    )${table}`);
    await qr.query("INSERT INTO neighbour_refresh_lease (name) VALUES ('refresh')");
    // A database with articles gets their neighbours now (in memory, thousands of articles a second).
    await rebuildNeighbours(qr.manager);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE neighbour_refresh_lease");
    await qr.query("DROP TABLE neighbour_refresh");
    await qr.query("DROP TABLE article_neighbours");
  }
}

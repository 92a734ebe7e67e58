import type { MigrationInterface, QueryRunner } from "typeorm";
import { dialectOf } from "../dialect";

/*
 * Listed articles newest first from an index alone: status and deleted_at
 * are the equality part (a listed article is PUBLISHED with no deleted_at),
 * then the date. A search on MariaDB reads its window of newest articles
 * here before it reads any text (src/read/search/searchArticles.ts).
 */
export class SearchRecent1700000001150 implements MigrationInterface {
  name = "SearchRecent1700000001150";

  async up(qr: QueryRunner): Promise<void> {
    await qr.query("CREATE INDEX article_listed_newest ON article (status, deleted_at, published_at)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(dialectOf(qr) === "mysql" ? "DROP INDEX article_listed_newest ON article" : "DROP INDEX article_listed_newest");
  }
}

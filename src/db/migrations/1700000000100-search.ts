import type { MigrationInterface, QueryRunner } from "typeorm";
import { dialectOf } from "../dialect";

/*
 * The full-text index: one row per article holding the normalised title and
 * the normalised lead + body (see src/text/normalize.ts), kept apart so
 * that ranking can put title matches first. Rows are written by
 * src/write/derived/searchIndex.ts; readers filter them through the article table,
 * so drafts and stubs may be indexed without ever being found.
 *
 * SQLite: an FTS5 table whose rowid is the article id. It is contentless
 * (the article table already holds the text; bm25 needs only the index) with
 * contentless_delete so rows can be deleted and rewritten. "_" is a token
 * character because normalisation pads short tokens with it.
 *
 * MariaDB: InnoDB FULLTEXT indexes, one on the title for the title tiers and
 * one on (title, body) for filtering and relevance; MATCH needs an index with
 * exactly its columns. Both are declared with the table so InnoDB does not
 * rebuild it to add its hidden FTS_DOC_ID. utf8mb4_bin because the tokens are
 * already folded, and unicode_ci would equate й with и. InnoDB skips tokens
 * under innodb_ft_min_token_size and its stopwords; normalisation pads and
 * marks those, so the server defaults (3, 84, default stopwords) must stay.
 *
 * article_search_listing lets a search check every match against the article
 * table (listedArticleSql, and the date for ranking) from a narrow index
 * instead of the wide article rows: a common word matches most articles, and
 * reading their bodies made such a search six times slower.
 */
export class Search1700000000100 implements MigrationInterface {
  name = "Search1700000000100";

  async up(qr: QueryRunner): Promise<void> {
    await qr.query("CREATE INDEX article_search_listing ON article (id, status, deleted_at, published_at)");
    if (dialectOf(qr) === "mysql") {
      await qr.query(`CREATE TABLE article_search (
        article_id INT NOT NULL PRIMARY KEY,
        title TEXT NOT NULL,
        body MEDIUMTEXT NOT NULL,
        FULLTEXT INDEX article_search_title (title),
        FULLTEXT INDEX article_search_text (title, body),
        CONSTRAINT article_search_article FOREIGN KEY (article_id) REFERENCES article (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
      return;
    }
    await qr.query(`CREATE VIRTUAL TABLE article_search USING fts5(
      title, body,
      content = '', contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
    )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE article_search");
    await qr.query(dialectOf(qr) === "mysql" ? "DROP INDEX article_search_listing ON article" : "DROP INDEX article_search_listing");
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";
import { rebuildSearchPostings } from "../../write/derived/searchPostings";
import { dialectOf } from "../dialect";

/*
 * The search's kept postings on MariaDB (src/write/derived/searchPostings.ts):
 * search_term (a list's reach and size), search_posting (term, publication
 * time, article; newest first per term) and the queue writers fill. Tokens
 * are already folded and at most 84 characters (src/text/normalize.ts), so
 * utf8mb4_bin compares them exactly and the key stays small.
 *
 * A posting also says whether the term is in the article's title and how
 * much it weighs there (termsOf), so that a one-word search ranks its
 * candidates from the list alone, without reading their text.
 *
 * The search reads these lists instead of the FULLTEXT indexes, which go:
 * InnoDB evaluates a MATCH over every match of its words when the statement
 * starts, even where the statement's own guard then discards it (a word in
 * most of a million articles: half a second per search), and keeping them
 * cost every write. SQLite keeps FTS5 and none of this.
 *
 * The lists are built here from the existing articles (a seeded or
 * imported million takes a few minutes; seed builds them with its load).
 */
export class SearchPostings1700000001800 implements MigrationInterface {
  name = "SearchPostings1700000001800";

  async up(qr: QueryRunner): Promise<void> {
    if (dialectOf(qr) !== "mysql") return;
    const bin = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    await qr.query(`CREATE TABLE search_term (
      term VARCHAR(84) NOT NULL PRIMARY KEY,
      kept INT NOT NULL,
      covered_from DATETIME(3) NULL
    ) ${bin}`);
    await qr.query(`CREATE TABLE search_posting (
      term VARCHAR(84) NOT NULL,
      published_at DATETIME(3) NOT NULL,
      article_id INT NOT NULL,
      in_title TINYINT NOT NULL,
      weight SMALLINT UNSIGNED NOT NULL,
      PRIMARY KEY (term, published_at, article_id),
      KEY search_posting_article (article_id)
    ) ${bin}`);
    await qr.query(`CREATE TABLE search_posting_queue (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      article_id INT NOT NULL
    ) ${bin}`);
    await rebuildSearchPostings(qr.manager);
    await qr.query("ALTER TABLE article_search DROP INDEX article_search_text, DROP INDEX article_search_title");
  }

  async down(qr: QueryRunner): Promise<void> {
    if (dialectOf(qr) !== "mysql") return;
    await qr.query("ALTER TABLE article_search ADD FULLTEXT INDEX article_search_title (title)");
    await qr.query("ALTER TABLE article_search ADD FULLTEXT INDEX article_search_text (title, body)");
    await qr.query("DROP TABLE search_posting_queue");
    await qr.query("DROP TABLE search_posting");
    await qr.query("DROP TABLE search_term");
  }
}

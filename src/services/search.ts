import type { Article } from "../../entities";
import { PARAGRAPH_SEPARATOR } from "../../entities";
import type { Dialect } from "../db/dialect";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { type ParsedQuery, parseSearchQuery, toFts5Match, toMysqlBoolean } from "../search/query";
import { makeSnippet } from "../search/snippet";
import { listedArticleSql } from "../viewer";

export interface SearchHit {
  article: Article;
  snippet: string;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

/*
 * Ranking, best first: the title holds every term (tier 0), some terms
 * (tier 1), none (tier 2, a body-only match); then relevance with title
 * words weighing TITLE_WEIGHT times body words; then fresher first.
 * `score` is lower-is-better on both engines (FTS5's bm25 is negative).
 */
const TITLE_WEIGHT = 10;

/** The matched articles of each engine as (id, tier, score); every value bound, nothing spliced. */
function matchedSql(dialect: Dialect, query: ParsedQuery): { sql: string; params: string[] } {
  if (dialect === "mysql") {
    const all = toMysqlBoolean(query, "all");
    const any = toMysqlBoolean(query, "any");
    return {
      sql: `SELECT s.article_id AS id,
          CASE WHEN MATCH(s.title) AGAINST(? IN BOOLEAN MODE) > 0 THEN 0
               WHEN MATCH(s.title) AGAINST(? IN BOOLEAN MODE) > 0 THEN 1 ELSE 2 END AS tier,
          -(MATCH(s.title) AGAINST(? IN BOOLEAN MODE) * ${TITLE_WEIGHT} + MATCH(s.title, s.body) AGAINST(? IN BOOLEAN MODE)) AS score
        FROM article_search s WHERE MATCH(s.title, s.body) AGAINST(? IN BOOLEAN MODE)`,
      params: [all, any, any, any, all],
    };
  }
  const all = toFts5Match(query, "all");
  // bm25 with the body weighted 0 is below 0 exactly when some term is in the title.
  return {
    sql: `SELECT rowid AS id,
        CASE WHEN rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?) THEN 0
             WHEN bm25(article_search, 1.0, 0.0) < 0 THEN 1 ELSE 2 END AS tier,
        bm25(article_search, ${TITLE_WEIGHT}.0, 1.0) AS score
      FROM article_search WHERE article_search MATCH ?`,
    params: [`title : (${all})`, all],
  };
}

/**
 * Published articles matching `query`, best first, `limit` of them after the
 * first `offset`, with the total. One statement whatever the page size: the
 * matches are ranked with window functions, and row 1 always comes back so
 * that the total is known even for a page past the end.
 * Throws SearchQueryError (BAD_USER_INPUT) for a query with nothing to search.
 */
export async function searchArticles(
  db: Reader,
  dialect: Dialect,
  query: string,
  offset: number,
  limit: number,
  language: string | null = null,
): Promise<SearchResult> {
  // With a language, its rules normalise the query and only its articles are searched.
  const parsed = language ? parseSearchQuery(query, language) : parseSearchQuery(query);
  const inLanguage = language ? " AND a.language = ?" : "";
  const matched = matchedSql(dialect, parsed);
  // Derived tables rather than WITH, so the statement starts with SELECT and gets the request's deadline on MariaDB.
  // The planners would look every match up in the wide article rows; the listing index covers what ranking reads.
  const listing = dialect === "mysql" ? "FORCE INDEX (article_search_listing)" : "INDEXED BY article_search_listing";
  const rows = await db.read(
    `SELECT r.total, r.rn, ${ARTICLE_COLUMNS} FROM (
       SELECT m.id, COUNT(*) OVER () AS total,
         ROW_NUMBER() OVER (ORDER BY m.tier, m.score, a.published_at DESC, m.id DESC) AS rn
       FROM (${matched.sql}) m JOIN article a ${listing} ON a.id = m.id WHERE ${listedArticleSql()}${inLanguage}
     ) r JOIN article a ON a.id = r.id
     WHERE (r.rn > ? AND r.rn <= ?) OR r.rn = 1 ORDER BY r.rn`,
    [...matched.params, ...(language ? [language] : []), offset, offset + limit],
  );
  const hits = rows
    .filter((r) => Number(r.rn) > offset && Number(r.rn) <= offset + limit)
    .map((r) => {
      const article = toArticle(r);
      return { article, snippet: snippetOf(article, parsed) };
    });
  return { total: rows.length > 0 ? Number(rows[0].total) : 0, hits };
}

/** A passage of the lead and body around the matched words, or the title when only the title matched. */
function snippetOf(article: Article, query: ParsedQuery): string {
  const text = [article.lead, article.body].filter((t): t is string => Boolean(t)).join(PARAGRAPH_SEPARATOR);
  const snippet = makeSnippet(text, query, undefined, article.language);
  return snippet.includes("<mark>") ? snippet : makeSnippet(article.title, query, undefined, article.language);
}

import { toDbTime } from "../../db/time";
import { encodedTerms, type ParsedQuery } from "./query";

/*
 * On MariaDB a word common in the archive is found fastest by reading the
 * newest articles' normalised text: the window below. When the window
 * holds enough matches (or every article inside the filter), its matches
 * are the candidates; otherwise the kept postings of the rarest word
 * (keptPostings.ts) add theirs. Both are bounded reads, whatever a word
 * matches (BENCHMARKS.md).
 */

/** How many of the newest listed articles inside the filter a search reads as text. */
export const RECENT_WINDOW = 2000;
/** Matches in the window from which a word counts as common: the window's matches are then the candidates. */
export const COMMON_IN_WINDOW = 20;

export interface WindowFilter {
  rubric?: string | null;
  from?: Date | null;
  to?: Date | null;
  language?: string | null;
}

interface Sql {
  sql: string;
  params: unknown[];
}

/** The newest RECENT_WINDOW listed articles inside the filter, as (id, published_at), from an index alone. */
export function windowSql(filter: WindowFilter | null | undefined): Sql {
  const f = filter ?? {};
  const range: string[] = [];
  const params: unknown[] = [];
  const date = f.rubric ? "t.listed_at" : "a.published_at";
  if (f.from) {
    range.push(`AND ${date} >= ?`);
    params.push(toDbTime(f.from));
  }
  if (f.to) {
    range.push(`AND ${date} < ?`);
    params.push(toDbTime(f.to));
  }
  if (f.language) {
    // The listing indexes do not hold the language: a language-bound window reads the article rows too.
    range.push(f.rubric ? "AND EXISTS (SELECT 1 FROM article la WHERE la.id = t.article_id AND la.language = ?)" : "AND a.language = ?");
    params.push(f.language);
  }
  if (f.rubric) {
    // article_tag.listed_at is the publication time of a listed article, NULL otherwise.
    return {
      sql: `SELECT t.article_id AS id, t.listed_at AS published_at FROM article_tag t
        WHERE t.tag_id = (SELECT g.id FROM tag g WHERE g.kind = 'RUBRIC' AND g.slug = ?) AND t.listed_at IS NOT NULL ${range.join(" ")}
        ORDER BY t.listed_at DESC, t.article_id DESC LIMIT ${RECENT_WINDOW}`,
      params: [f.rubric, ...params],
    };
  }
  return {
    sql: `SELECT a.id, a.published_at FROM article a FORCE INDEX (article_listed_newest)
      WHERE a.status = 'PUBLISHED' AND a.deleted_at IS NULL ${range.join(" ")}
      ORDER BY a.published_at DESC, a.id DESC LIMIT ${RECENT_WINDOW}`,
    params,
  };
}

/** LOCATE needles over " " + normalised text + " ": a word, a phrase of adjacent words, or a word's beginning. */
export function termPatterns(query: ParsedQuery): string[] {
  return encodedTerms(query).map(({ kind, tokens }) => (kind === "prefix" ? ` ${tokens[0]}` : ` ${tokens.join(" ")} `));
}

/** Tier 0 when `title` (a normalised title column) holds every term, 1 some, 2 none. */
export function titleTierSql(query: ParsedQuery, title: string): Sql {
  const patterns = termPatterns(query);
  const holds = patterns.map(() => `LOCATE(?, CONCAT(' ', ${title}, ' ')) > 0`);
  return { sql: `CASE WHEN ${holds.join(" AND ")} THEN 0 WHEN ${holds.join(" OR ")} THEN 1 ELSE 2 END`, params: [...patterns, ...patterns] };
}

/** Every term in the normalised title or body of `s` (article_search). */
export function holdsEveryTermSql(query: ParsedQuery): Sql {
  const patterns = termPatterns(query);
  return {
    sql: patterns.map(() => "(LOCATE(?, CONCAT(' ', s.title, ' ')) > 0 OR LOCATE(?, CONCAT(' ', s.body, ' ')) > 0)").join(" AND "),
    params: patterns.flatMap((p) => [p, p]),
  };
}

/** Lower is better: minus the occurrences of the terms, a title occurrence weighing `titleWeight` body ones. */
export function occurrenceScoreSql(query: ParsedQuery, titleWeight: number): Sql {
  const patterns = termPatterns(query);
  const count = (column: string) => `(CHAR_LENGTH(CONCAT(' ', ${column}, ' ')) - CHAR_LENGTH(REPLACE(CONCAT(' ', ${column}, ' '), ?, ''))) / CHAR_LENGTH(?)`;
  return {
    sql: `-(${patterns.map(() => `${titleWeight} * ${count("s.title")} + ${count("s.body")}`).join(" + ")})`,
    params: patterns.flatMap((p) => [p, p, p, p]),
  };
}

/** Window matches of the query, as (id, published_at), for the guard and the candidates. */
export function windowMatchesFrom(query: ParsedQuery, filter: WindowFilter | null | undefined): Sql {
  const window = windowSql(filter);
  const holds = holdsEveryTermSql(query);
  return {
    sql: `FROM (${window.sql}) w JOIN article_search s ON s.article_id = w.id WHERE ${holds.sql}`,
    params: [...window.params, ...holds.params],
  };
}

/** 1 when the window holds every listed article inside the filter, so that its matches are all the matches. */
export function windowIsCompleteSql(filter: WindowFilter | null | undefined): Sql {
  const window = windowSql(filter);
  return { sql: `((SELECT COUNT(*) FROM (${window.sql}) z) < ${RECENT_WINDOW})`, params: window.params };
}

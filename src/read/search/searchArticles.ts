import type { Article } from "../../../entities";
import { PARAGRAPH_SEPARATOR } from "../../../entities";
import type { Dialect } from "../../db/dialect";
import type { Reader } from "../reader";
import { ARTICLE_COLUMNS, toArticle } from "../rows";
import { toDbTime } from "../../db/time";
import { EARLIER_ANCHORS, encodeSearchCursor, SearchOrder, type SearchPosition } from "./cursor";
import { type ParsedQuery, parseSearchQuery, toFts5Match } from "./query";
import { COMMON_IN_WINDOW, holdsEveryTermSql, occurrenceScoreSql, titleTierSql, windowIsCompleteSql, windowMatchesFrom } from "./recentWindow";
import { type KeptPostingsSql, keptPostingsSql, postedWordsSql, TEXT_CHECKED } from "./keptPostings";
import { TITLE_WEIGHT } from "../../write/derived/searchPostings";
import { makeSnippet } from "./snippet";
import { articleFilterSql } from "../lists/articleFilter";

/**
 * The most articles one search ranks, pages through and counts. The engine
 * hands over its best (or newest) SEARCH_CANDIDATE_CAP matches that pass the
 * filter, and the page is ranked from those; totalCount is exact up to the
 * cap and says so (totalCountIsExact) when more matched.
 */
export const SEARCH_CANDIDATE_CAP = 1000;

export interface SearchFilterInput {
  rubric?: string | null;
  from?: Date | null;
  to?: Date | null;
  /** Only articles in this language, the query normalised by its rules (src/text/normalize.ts). */
  language?: string | null;
}

export interface SearchRequest {
  query: string;
  first: number;
  after: SearchPosition | null;
  orderBy: SearchOrder;
  filter?: SearchFilterInput | null;
}

export interface SearchHit {
  article: Article;
  snippet: string;
  cursor: string;
}

export interface SearchResult {
  /** Matches, counted up to SEARCH_CANDIDATE_CAP. */
  total: number;
  totalIsExact: boolean;
  hits: SearchHit[];
  hasNextPage: boolean;
}

/*
 * Ranking, best first: the title holds every term (tier 0), some terms
 * (tier 1), none (tier 2, a body-only match); then relevance; then fresher
 * first, then higher id. `score` is lower-is-better on both engines (FTS5's
 * bm25 is negative). Title words weigh TITLE_WEIGHT times body words: in
 * bm25 on SQLite, in the occurrence counts and posting weights on MariaDB.
 */

/** Who may be a candidate: published, not deleted, and inside the filter (alias `a`). */
function candidateFilter(filter: SearchFilterInput | null | undefined): { where: string; params: unknown[] } {
  return articleFilterSql({ rubric: filter?.rubric, from: filter?.from, to: filter?.to, language: filter?.language });
}

interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * The kept postings' candidates `k` with their rank, checked against the
 * query and the filter (alias `a`). One word: the postings are the matches
 * and carry the rank. Words only: a candidate every list covers is checked
 * and ranked by its postings; the text of the others is read. Phrases and
 * prefixes: every candidate's text is read.
 */
function keptCandidatesSql(query: ParsedQuery, kept: KeptPostingsSql, filter: { where: string; params: unknown[] }): { keptRank: Sql; keptFrom: Sql; keptWhere: Sql } {
  const tier = titleTierSql(query, "s.title");
  const score = occurrenceScoreSql(query, TITLE_WEIGHT);
  const holds = holdsEveryTermSql(query);
  if (kept.oneWord) {
    return {
      keptRank: { sql: "CASE WHEN k.in_title = 1 THEN 0 ELSE 2 END AS tier, -k.weight AS score", params: [] },
      keptFrom: { sql: `(${kept.sql}) k`, params: kept.params },
      keptWhere: { sql: filter.where, params: filter.params },
    };
  }
  if (!kept.words) {
    return {
      keptRank: { sql: `${tier.sql} AS tier, ${score.sql} AS score`, params: [...tier.params, ...score.params] },
      keptFrom: { sql: `(${kept.sql}) k JOIN article_search s ON s.article_id = k.article_id`, params: kept.params },
      keptWhere: { sql: `${filter.where} AND ${holds.sql}`, params: [...filter.params, ...holds.params] },
    };
  }
  const posted = postedWordsSql(kept.words);
  const p = posted.postings.map((_, i) => `k.p${i}`);
  const n = p.length;
  const fromText = (expr: Sql): Sql => ({ sql: `(SELECT ${expr.sql} FROM article_search s WHERE s.article_id = k.article_id)`, params: expr.params });
  const [tierText, scoreText, holdsText] = [tier, score, holds].map(fromText);
  const inTitle = p.map((x) => `(${x} >= 65536)`).join(" + ");
  // LIMIT keeps the derived table from being merged, so each posting is looked up once per candidate.
  // Of the candidates some list does not cover, only the newest TEXT_CHECKED have their text read (see keptPostingsSql's complete).
  return {
    keptRank: {
      sql: `CASE WHEN k.covered THEN CASE WHEN ${inTitle} = ${n} THEN 0 WHEN ${inTitle} > 0 THEN 1 ELSE 2 END ELSE ${tierText.sql} END AS tier,
        CASE WHEN k.covered THEN -(${p.map((x) => `MOD(${x}, 65536)`).join(" + ")}) ELSE ${scoreText.sql} END AS score`,
      params: [...tierText.params, ...scoreText.params],
    },
    keptFrom: {
      sql: `(SELECT k.article_id, k.published_at, ${posted.covered} AS covered, ROW_NUMBER() OVER (ORDER BY k.published_at DESC, k.article_id DESC) AS rn,
          ${posted.postings.map((x, i) => `${x} AS p${i}`).join(", ")}
        FROM (${kept.sql}) k LIMIT 1000000) k`,
      params: [...posted.coveredParams, ...posted.params, ...kept.params],
    },
    keptWhere: {
      sql: `(k.covered OR k.rn <= ${TEXT_CHECKED}) AND ${filter.where}
        AND CASE WHEN k.covered THEN ${p.map((x) => `${x} IS NOT NULL`).join(" AND ")} ELSE ${holdsText.sql} END`,
      params: [...filter.params, ...holdsText.params],
    },
  };
}

/**
 * The listed matches inside the filter as (id, tier, score, published_at,
 * complete): on SQLite the best (RELEVANCE) or newest (NEWEST) cap + 1, the
 * extra one only telling that the cap was reached; on MariaDB every match
 * its two bounded sources hold (a few thousand at most). complete = 0: matches
 * outside the candidates were not looked at. Every value bound, nothing spliced.
 */
function candidatesSql(dialect: Dialect, query: ParsedQuery, request: SearchRequest, limit: number): { sql: string; params: unknown[] } {
  const filter = candidateFilter(request.filter);
  if (dialect === "mysql") {
    /*
     * Two sources, each bounded: the newest articles' text (recentWindow.ts)
     * and the kept postings of the rarest word (src/write/derived/
     * searchPostings.ts), whose other words are checked in their own
     * postings where every list reaches, else in the text. The
     * window answers alone when the words are common in it (or it holds
     * the whole filter); otherwise the postings' candidates count too, and
     * the window's still bring articles not posted yet. Both score alike
     * (occurrences of the words, title words weighing more). The kept list
     * is read either way: deciding first would scan the window twice.
     */
    const windowComplete = windowIsCompleteSql(request.filter);
    const matches = windowMatchesFrom(query, request.filter);
    const tier = titleTierSql(query, "s.title");
    const score = occurrenceScoreSql(query, TITLE_WEIGHT);
    const kept = keptPostingsSql(query);
    const { keptRank, keptFrom, keptWhere } = keptCandidatesSql(query, kept, filter);
    const windowAnswers = `(MAX(u.in_window) >= ${COMMON_IN_WINDOW} OR ${windowComplete.sql})`;
    return {
      sql: `SELECT u.id, MIN(u.tier) AS tier, MIN(u.score) AS score, u.published_at,
          CASE WHEN ${windowAnswers} THEN ${windowComplete.sql} ELSE ${kept.complete} END AS complete
        FROM (
          SELECT c.*, COUNT(CASE WHEN c.src = 0 THEN 1 END) OVER () AS in_window FROM (
            SELECT 0 AS src, w.id, ${tier.sql} AS tier, ${score.sql} AS score, w.published_at ${matches.sql}
            UNION ALL
            SELECT 1 AS src, k.article_id AS id, ${keptRank.sql}, k.published_at
            FROM ${keptFrom.sql} JOIN article a FORCE INDEX (article_search_listing) ON a.id = k.article_id
            WHERE ${keptWhere.sql}
          ) c
        ) u
        WHERE u.src = 0 OR (u.in_window < ${COMMON_IN_WINDOW} AND NOT ${windowComplete.sql})
        GROUP BY u.id, u.published_at`,
      params: [
        ...windowComplete.params, ...windowComplete.params, ...kept.completeParams,
        ...tier.params, ...score.params, ...matches.params,
        ...keptRank.params, ...keptFrom.params, ...keptWhere.params,
        ...windowComplete.params,
      ],
    };
  }
  const all = toFts5Match(query, "all");
  // bm25 with the body weighted 0 is below 0 exactly when some term is in the title.
  return {
    sql: `SELECT m.id, m.tier, m.score, a.published_at, 1 AS complete
      FROM (
        SELECT rowid AS id,
          CASE WHEN rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?) THEN 0
               WHEN bm25(article_search, 1.0, 0.0) < 0 THEN 1 ELSE 2 END AS tier,
          bm25(article_search, ${TITLE_WEIGHT}.0, 1.0) AS score
        FROM article_search WHERE article_search MATCH ?
      ) m JOIN article a INDEXED BY article_search_listing ON a.id = m.id
      WHERE ${filter.where}
      ORDER BY ${engineOrderSql(request.orderBy, "m.score", "a")} LIMIT ${limit}`,
    params: [`title : (${all})`, all, ...filter.params],
  };
}

/** The order in which the engine hands over candidates: best or newest first. */
function engineOrderSql(order: SearchOrder, score: string, alias: string): string {
  return order === SearchOrder.NEWEST ? `${alias}.published_at DESC, ${alias}.id DESC` : `${score}, ${alias}.published_at DESC, ${alias}.id DESC`;
}

/** The order of a page, over the ranked candidates `r`. */
function pageOrderSql(order: SearchOrder, alias: string): string {
  return order === SearchOrder.NEWEST
    ? `${alias}.published_at DESC, ${alias}.id DESC`
    : `${alias}.tier, ${alias}.score, ${alias}.published_at DESC, ${alias}.id DESC`;
}

/** Candidates after the cursor, in page order (see SearchPosition). */
function afterSql(after: SearchPosition | null): { sql: string; params: unknown[] } {
  if (!after) return { sql: "1 = 1", params: [] };
  if (after.kind === "offset") return { sql: "r.rn > ?", params: [after.offset] };
  const newer = "(r.published_at < ? OR (r.published_at = ? AND r.id < ?))";
  const dateAndId = [after.publishedAt, after.publishedAt, after.id];
  if (after.order === SearchOrder.NEWEST) return { sql: newer, params: dateAndId };
  return {
    sql: `(r.rn > r.anchor_rn OR (r.anchor_rn IS NULL AND (r.tier > ? OR (r.tier = ? AND (r.score > ? OR (r.score = ? AND ${newer}))))))`,
    params: [after.tier, after.tier, after.score, after.score, ...dateAndId],
  };
}

/** The anchors of a RELEVANCE cursor, padded to a fixed number of placeholders (0 is no article). */
function anchorIds(after: SearchPosition | null): number[] {
  const ids = after?.kind === "after" ? after.anchors : [];
  return Array.from({ length: EARLIER_ANCHORS + 1 }, (_, i) => ids[i] ?? 0);
}

/**
 * One page of published articles matching `request.query`, with the number
 * of matches up to the cap. One statement whatever the page size: the
 * engine's capped candidates are ranked with window functions, and rank 1
 * always comes back so that the total is known even for a page past the end.
 * Throws SearchQueryError (BAD_USER_INPUT) for a query with nothing to search.
 */
export async function searchArticles(db: Reader, dialect: Dialect, request: SearchRequest): Promise<SearchResult> {
  const language = request.filter?.language;
  const parsed = language ? parseSearchQuery(request.query, language) : parseSearchQuery(request.query);
  const candidates = candidatesSql(dialect, parsed, request, SEARCH_CANDIDATE_CAP + 1);
  const after = afterSql(request.after);
  const anchors = anchorIds(request.after);
  // Derived tables rather than WITH, so the statement starts with SELECT and gets the request's deadline on MariaDB.
  const rows = await db.read(
    `SELECT r.matched, r.complete, r.rn, r.tier, r.score, ${after.sql} AS is_after, ${ARTICLE_COLUMNS} FROM (
       SELECT e.*, MAX(CASE WHEN e.id IN (${anchors.map(() => "?").join(", ")}) THEN e.rn END) OVER () AS anchor_rn FROM (
         SELECT d.*, ROW_NUMBER() OVER (ORDER BY ${pageOrderSql(request.orderBy, "d")}) AS rn FROM (
           SELECT c.*, COUNT(*) OVER () AS matched, ROW_NUMBER() OVER (ORDER BY ${pageOrderSql(request.orderBy, "c")}) AS cn
           FROM (${candidates.sql}) c
         ) d WHERE d.cn <= ${SEARCH_CANDIDATE_CAP}
       ) e
     ) r JOIN article a ON a.id = r.id
     WHERE ${after.sql} OR r.rn = 1 ORDER BY r.rn LIMIT ${request.first + 2}`,
    [...after.params, ...anchors, ...candidates.params, ...after.params],
  );
  const matched = rows.length > 0 ? Number(rows[0].matched) : 0;
  const page = rows.filter((r) => Number(r.is_after) === 1);
  const articles = page.slice(0, request.first).map(toArticle);
  const hits = articles.map((article, i) => {
    const r = page[i];
    const key = { tier: Number(r.tier), score: Number(r.score), publishedAt: toDbTime(article.publishedAt as Date), id: article.id };
    const earlier = articles.slice(Math.max(0, i - EARLIER_ANCHORS), i).map((a) => a.id).reverse();
    return { article, snippet: snippetOf(article, parsed), cursor: encodeSearchCursor(request.orderBy, key, earlier) };
  });
  return {
    total: Math.min(matched, SEARCH_CANDIDATE_CAP),
    totalIsExact: matched <= SEARCH_CANDIDATE_CAP && (rows.length === 0 || Number(rows[0].complete) === 1),
    hits,
    hasNextPage: page.length > request.first,
  };
}

/** A passage of the lead and body around the matched words, or the title when only the title matched. */
function snippetOf(article: Article, query: ParsedQuery): string {
  const text = [article.lead, article.body].filter((t): t is string => Boolean(t)).join(PARAGRAPH_SEPARATOR);
  const snippet = makeSnippet(text, query, undefined, article.language);
  return snippet.includes("<mark>") ? snippet : makeSnippet(article.title, query, undefined, article.language);
}

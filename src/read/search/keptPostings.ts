import { encodedTerms, type ParsedQuery } from "./query";

/**
 * Candidates whose text a words-only search reads at most, newest first,
 * when some word's list does not reach back to them (a rare word beside a
 * much commoner one); beyond them the count is not exact.
 */
export const TEXT_CHECKED = 400;

/*
 * Candidates from the kept postings (src/write/derived/searchPostings.ts):
 * the list of the query's rarest word, read whole (a list never holds more
 * than TRIM_AT entries). Rarest: a complete list (covered_from NULL) before
 * a cut one, the shortest complete list, else the cut list that reaches
 * furthest back; a word no article holds has no row and comes first (the
 * search then has no candidates at all). Every word and phrase token can
 * drive; a query of prefixes only reads the lists of the terms starting
 * with its first prefix, at most PREFIX_POSTINGS entries.
 */

/** Postings a prefix-only search reads, over all the terms the prefix starts. */
export const PREFIX_POSTINGS = 10_000;

export interface KeptPostingsSql {
  /** (article_id, published_at, in_title, weight) of the candidates; may repeat an article for a prefix. */
  sql: string;
  params: unknown[];
  /** 1 when the candidates are every posted match and nothing waits to be posted. */
  complete: string;
  completeParams: unknown[];
  /** The query is one word: its postings are the matches, ranked by their own title flag and weight. */
  oneWord: boolean;
  /** The query is words only (no phrase, no prefix): the tokens whose postings can stand for the text. */
  words: string[] | null;
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * For a query of words only, over candidates `k` (article_id, published_at):
 * is each word's list known to cover the candidate (`covered`: it reaches
 * back to its date), and each word's posting for it as in_title * 65536 +
 * weight, NULL when the article lacks the word (one primary-key lookup).
 * Where every list covers a candidate its postings rank and verify it; the
 * text is read only for the others.
 */
export function postedWordsSql(words: string[]): { covered: string; postings: string[]; params: unknown[]; coveredParams: unknown[] } {
  return {
    covered: words.map(() => "COALESCE((SELECT st.covered_from FROM search_term st WHERE st.term = ?), k.published_at) <= k.published_at").join(" AND "),
    coveredParams: words,
    postings: words.map(
      () => "(SELECT q.in_title * 65536 + q.weight FROM search_posting q WHERE q.term = ? AND q.published_at = k.published_at AND q.article_id = k.article_id)",
    ),
    params: words,
  };
}

export function keptPostingsSql(query: ParsedQuery): KeptPostingsSql {
  const terms = encodedTerms(query);
  const tokens = [...new Set(terms.filter((t) => t.kind !== "prefix").flatMap((t) => t.tokens))];
  const posted = "NOT EXISTS (SELECT 1 FROM search_posting_queue)";
  if (tokens.length > 0) {
    const allComplete = `NOT EXISTS (SELECT 1 FROM search_term ct WHERE ct.term IN (${tokens.map(() => "?").join(", ")}) AND ct.covered_from IS NOT NULL)`;
    const rarest = `(SELECT q.tok FROM (${tokens.map(() => "SELECT ? AS tok").join(" UNION ALL ")}) q
      LEFT JOIN search_term st ON st.term = q.tok
      ORDER BY st.term IS NOT NULL, st.covered_from IS NOT NULL, CASE WHEN st.covered_from IS NULL THEN st.kept ELSE 0 END, st.covered_from
      LIMIT 1)`;
    return {
      sql: `SELECT p.article_id, p.published_at, p.in_title, p.weight FROM search_posting p WHERE p.term = ${rarest}`,
      params: tokens,
      oneWord: terms.length === 1 && terms[0].kind === "word",
      words: terms.every((t) => t.kind === "word") ? tokens : null,
      // A words-only search reads the text of at most TEXT_CHECKED candidates some list does not cover: exact only when none was left.
      complete: `(COALESCE((SELECT st.covered_from IS NULL AND (st.kept <= ${TEXT_CHECKED} OR ${allComplete}) FROM search_term st WHERE st.term = ${rarest}), 1) AND ${posted})`,
      completeParams: [...tokens, ...tokens],
    };
  }
  const like = likePrefix(terms[0].tokens[0]);
  return {
    sql: `SELECT x.article_id, x.published_at, MAX(x.in_title) AS in_title, MAX(x.weight) AS weight FROM (
        SELECT p.article_id, p.published_at, p.in_title, p.weight FROM search_posting p WHERE p.term LIKE ? LIMIT ${PREFIX_POSTINGS}
      ) x GROUP BY x.article_id, x.published_at`,
    oneWord: false,
    words: null,
    params: [like],
    complete: `(NOT EXISTS (SELECT 1 FROM search_term st WHERE st.term LIKE ? AND st.covered_from IS NOT NULL)
      AND (SELECT COUNT(*) FROM (SELECT 1 FROM search_posting p WHERE p.term LIKE ? LIMIT ${PREFIX_POSTINGS + 1}) z) <= ${PREFIX_POSTINGS}
      AND ${posted})`,
    completeParams: [like, like],
  };
}

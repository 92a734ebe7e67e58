import type { BatchOptions } from "./batcher";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { AUTHOR, type CountDimension, SITE, TAG } from "../../write/derived/articleCounts";
import { archiveDaysWhere } from "../lists/archive";
import { articleFilterSql, calendarRange, filterTags, type ArticleFilterInput } from "../lists/articleFilter";
import { checkLanguage } from "../../text/language";
import { groupBy } from "./group";

export interface TagLanguageKey {
  tagId: number;
  language: string;
}

/**
 * Kept counts (article_count, src/write/derived/articleCounts.ts) of keys of one
 * dimension, summed over languages unless one is given: one primary-key
 * range per key, whatever the number of articles.
 */
function keptCountsBy(name: string, db: Reader, dimension: CountDimension, batch: BatchOptions) {
  return batch.loader<number, number>(name, async (ids) => {
    const rows = await db.read(
      `SELECT c.key_id AS parent_id, SUM(c.article_count) AS n FROM article_count c
       WHERE c.dimension = ? AND c.key_id IN (${placeholders(ids.length)}) GROUP BY c.key_id`,
      [dimension, ...ids],
    );
    const counts = new Map(rows.map((r) => [Number(r.parent_id), Number(r.n)]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

/** The kept count of one tag, author or the site (key 0), in one language or all; null when the filter says more than that. */
function keptCountSql(filter: ArticleFilterInput): { sql: string; params: unknown[] } | null {
  const { language, author, year, month, day, from, to } = filter;
  const tagRefs = filterTags(filter);
  const keys = tagRefs.length + (author ? 1 : 0);
  const dated = [year, month, day].some((v) => v !== undefined && v !== null);
  if (keys > 1 || from || to || dated) return null;
  const lang = language ? { sql: " AND c.language = ?", params: [checkLanguage(language, "language")] } : { sql: "", params: [] };
  const count = (dimension: CountDimension, key: string, keyParams: unknown[]) => ({
    sql: `SELECT COALESCE(SUM(c.article_count), 0) AS n FROM article_count c WHERE c.dimension = '${dimension}' AND c.key_id = ${key}${lang.sql}`,
    params: [...keyParams, ...lang.params],
  });
  if (tagRefs.length === 1) return count(TAG, "(SELECT t.id FROM tag t WHERE t.kind = ? AND t.slug = ?)", [tagRefs[0].kind, tagRefs[0].slug]);
  if (author) return count(AUTHOR, "(SELECT au.id FROM author au WHERE au.slug = ?)", [author]);
  return count(SITE, "0", []);
}

/** A date filter alone is answered from the kept archive: archive_month for a year or a month (at most 12 rows), archive_day for a day; month and day are checked as the list checks them. */
function archiveCountSql(filter: ArticleFilterInput): { sql: string; params: unknown[] } | null {
  const { language, rubric, hashtag, tags, author, year, month, day, from, to } = filter;
  if (year === undefined || year === null || language || rubric || hashtag || tags?.length || author || from || to) return null;
  calendarRange(year, month, day);
  const days = archiveDaysWhere({ year, month, day }, "d.");
  const table = day === undefined || day === null ? "archive_month" : "archive_day";
  return { sql: `SELECT COALESCE(SUM(d.article_count), 0) AS n FROM ${table} d WHERE ${days.sql}`, params: days.params };
}

export function countLoaders(db: Reader, batch: BatchOptions) {
  /**
   * Number of listed articles matching a filter; keyed by the filter, one
   * statement per distinct filter. Read from the kept counts when the
   * filter names at most one tag or author and perhaps a language, or only
   * a year (month, day); any other combination (two tags, a tag with an
   * author or a date, from/to, a date with a language) has no kept count
   * and is still counted over the articles.
   */
  const articleCount = batch.loader<ArticleFilterInput, number, string>(
    "articleCount",
    (filters) =>
      Promise.all(
        filters.map(async (filter) => {
          const kept = keptCountSql(filter) ?? archiveCountSql(filter);
          if (kept) return Number((await db.read(kept.sql, kept.params))[0].n);
          const { where, params } = articleFilterSql(filter);
          const rows = await db.read(`SELECT COUNT(*) AS n FROM article a WHERE ${where}`, params);
          return Number(rows[0].n);
        }),
      ),
    { cacheKeyFn: (f) => JSON.stringify(f) },
  );

  /** Listed articles of a tag in one language; one statement per language asked. */
  const articleCountOfTagInLanguage = batch.loader<TagLanguageKey, number, string>(
    "articleCountOfTagInLanguage",
    async (keys) => {
      const out: number[] = new Array(keys.length).fill(0);
      for (const [language, group] of groupBy(keys, (k) => k.language)) {
        const tagIds = group.map((g) => g.key.tagId);
        const rows = await db.read(
          `SELECT c.key_id AS parent_id, c.article_count AS n FROM article_count c
           WHERE c.dimension = '${TAG}' AND c.key_id IN (${placeholders(tagIds.length)}) AND c.language = ?`,
          [...tagIds, language],
        );
        const counts = new Map(rows.map((r) => [Number(r.parent_id), Number(r.n)]));
        for (const g of group) out[g.index] = counts.get(g.key.tagId) ?? 0;
      }
      return out;
    },
    { cacheKeyFn: (k) => `${k.tagId}:${k.language}` },
  );

  return {
    articleCount,
    articleCountOfTag: keptCountsBy("articleCountOfTag", db, TAG, batch),
    articleCountOfAuthor: keptCountsBy("articleCountOfAuthor", db, AUTHOR, batch),
    articleCountOfTagInLanguage,
  };
}

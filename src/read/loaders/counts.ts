import type { BatchOptions } from "./batcher";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { articleFilterSql, type ArticleFilterInput } from "../lists/articleFilter";
import { listedArticleSql } from "../viewer";

function countsBy(name: string, db: Reader, from: string, parentColumn: string, batch: BatchOptions, listed = listedArticleSql()) {
  return batch.loader<number, number>(name, async (ids) => {
    const rows = await db.read(`SELECT ${parentColumn} AS parent_id, COUNT(*) AS n FROM ${from}
       WHERE ${parentColumn} IN (${placeholders(ids.length)}) AND ${listed} GROUP BY ${parentColumn}`,
      [...ids],
    );
    const counts = new Map(rows.map((r) => [Number(r.parent_id), Number(r.n)]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

export function countLoaders(db: Reader, batch: BatchOptions) {
  /** Number of listed articles matching a filter; keyed by the filter, one statement per distinct filter. */
  const articleCount = batch.loader<ArticleFilterInput, number, string>("articleCount", 
    (filters) =>
      Promise.all(
        filters.map(async (filter) => {
          const { where, params } = articleFilterSql(filter);
          const rows = await db.read(`SELECT COUNT(*) AS n FROM article a WHERE ${where}`, params);
          return Number(rows[0].n);
        }),
      ),
    { cacheKeyFn: (f) => JSON.stringify(f) });
  return {
    articleCount,
    // From article_tag's index alone: listed_at is set exactly while the article is listed.
    articleCountOfTag: countsBy("articleCountOfTag", db, "article_tag at", "at.tag_id", batch, "at.listed_at IS NOT NULL"),
    articleCountOfAuthor: countsBy("articleCountOfAuthor", db, "article a", "a.author_id", batch),
  };
}

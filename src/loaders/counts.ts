import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { placeholders } from "../db/dialect";
import { read } from "../db/query";
import { articleFilterSql, type ArticleFilterInput } from "../services/articleFilter";
import { listedArticleSql } from "../viewer";

function countsBy(ds: DataSource, from: string, parentColumn: string) {
  return new DataLoader<number, number>(async (ids) => {
    const rows = await read(
      ds,
      `SELECT ${parentColumn} AS parent_id, COUNT(*) AS n FROM ${from}
       WHERE ${parentColumn} IN (${placeholders(ids.length)}) AND ${listedArticleSql()} GROUP BY ${parentColumn}`,
      [...ids],
    );
    const counts = new Map(rows.map((r) => [Number(r.parent_id), Number(r.n)]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

export function countLoaders(ds: DataSource) {
  /** Number of listed articles matching a filter; keyed by the filter, one statement per distinct filter. */
  const articleCount = new DataLoader<ArticleFilterInput, number, string>(
    (filters) =>
      Promise.all(
        filters.map(async (filter) => {
          const { where, params } = articleFilterSql(filter);
          const rows = await read(ds, `SELECT COUNT(*) AS n FROM article a WHERE ${where}`, params);
          return Number(rows[0].n);
        }),
      ),
    { cacheKeyFn: (f) => JSON.stringify(f) },
  );
  return {
    articleCount,
    articleCountOfTag: countsBy(ds, "article_tag at JOIN article a ON a.id = at.article_id", "at.tag_id"),
    articleCountOfAuthor: countsBy(ds, "article a", "a.author_id"),
  };
}

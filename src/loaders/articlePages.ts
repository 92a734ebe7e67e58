import DataLoader from "dataloader";
import type { Article } from "../../entities";
import { placeholders } from "../db/dialect";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import type { PageRequest } from "../paging";
import { ArticleOrder } from "../services/articleOrder";
import { keysetSql } from "../services/keyset";
import { listedArticleSql } from "../viewer";
import type { BatchOptions } from "./batcher";
import { groupBy } from "./group";

export interface ChildPageKey {
  parentId: number;
  page: PageRequest;
  order: ArticleOrder;
}

const signature = (k: ChildPageKey) => JSON.stringify([k.page, k.order]);

/**
 * Pages of a parent's articles (a tag's, an author's): for every parent in
 * the batch, `limit + 1` rows read in one statement with a window function,
 * so a list of 50 tags costs what a list of 5 does.
 */
function childPages(db: Reader, from: string, parentColumn: string, batch: BatchOptions) {
  return new DataLoader<ChildPageKey, Article[], string>(
    async (keys) => {
      const results: Article[][] = new Array(keys.length);
      for (const group of groupBy(keys, signature).values()) {
        const { page, order } = group[0].key;
        const parents = [...new Set(group.map((g) => g.key.parentId))];
        const keyset = keysetSql(order, page);
        const rows = await db.read(`SELECT * FROM (
             SELECT ${parentColumn} AS parent_id, ${ARTICLE_COLUMNS},
                    ROW_NUMBER() OVER (PARTITION BY ${parentColumn} ORDER BY ${keyset.orderBy}) AS rn
             FROM ${from}
             WHERE ${parentColumn} IN (${placeholders(parents.length)}) AND ${listedArticleSql()}${keyset.where ? ` AND ${keyset.where}` : ""}
           ) x WHERE x.rn <= ? ORDER BY x.parent_id, x.rn`,
          [...parents, ...keyset.params, page.limit + 1],
        );
        const byParent = new Map<number, Article[]>(parents.map((p) => [p, []]));
        for (const row of rows) byParent.get(Number(row.parent_id))?.push(toArticle(row));
        for (const { key, index } of group) results[index] = byParent.get(key.parentId) ?? [];
      }
      return results;
    },
    { ...batch, cacheKeyFn: (k) => JSON.stringify([k.parentId, k.page, k.order]) });
}

export function articlePageLoaders(db: Reader, batch: BatchOptions) {
  return {
    articlesOfTag: childPages(db, "article_tag at JOIN article a ON a.id = at.article_id", "at.tag_id", batch),
    articlesOfAuthor: childPages(db, "article a", "a.author_id", batch),
  };
}

export { ArticleOrder };

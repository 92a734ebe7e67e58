import type { Article } from "../../../entities";
import type { Reader } from "../reader";
import { ARTICLE_AUTHOR_COLUMNS, ARTICLE_AUTHOR_JOIN, ARTICLE_TEASER_COLUMNS, toArticleWithAuthor } from "../rows";
import type { PageRequest } from "../paging/pages";
import { ArticleOrder } from "../paging/articleOrder";
import { keysetComparator, keysetSql, TAG_SORT_COLUMNS, type SortColumns } from "../paging/keyset";
import { listedArticleSql } from "../viewer";
import type { BatchOptions } from "./batcher";
import { groupBy } from "./group";

export interface ChildPageKey {
  parentId: number;
  page: PageRequest;
  order: ArticleOrder;
}

const signature = (k: ChildPageKey) => JSON.stringify([k.page, k.order]);

interface ChildSource {
  /** FROM clause joining the parent link to article a. */
  from: string;
  parentColumn: string;
  /** Condition for a listed article, on whichever table says it most cheaply. */
  listed: string;
  sortColumns?: SortColumns;
}

/**
 * Pages of a parent's articles (a tag's, an author's): for every parent in
 * the batch, `limit + 1` rows, in one statement made of one ordered,
 * limited part per parent. Each part walks an index from its start and
 * stops after limit + 1 rows, so a rubric with 50,000 articles costs what
 * a hashtag with 5 does, and a list of 50 tags one statement.
 */
function childPages(name: string, db: Reader, source: ChildSource, batch: BatchOptions) {
  return batch.loader<ChildPageKey, Article[], string>(name, 
    async (keys) => {
      const results: Article[][] = new Array(keys.length);
      for (const group of groupBy(keys, signature).values()) {
        const { page, order } = group[0].key;
        const parents = [...new Set(group.map((g) => g.key.parentId))];
        const keyset = keysetSql(order, page, "a", source.sortColumns);
        const part = `SELECT * FROM (SELECT ${source.parentColumn} AS parent_id, ${ARTICLE_TEASER_COLUMNS}, ${ARTICLE_AUTHOR_COLUMNS} FROM ${source.from} ${ARTICLE_AUTHOR_JOIN}
           WHERE ${source.parentColumn} = ? AND ${source.listed}${keyset.where ? ` AND ${keyset.where}` : ""}
           ORDER BY ${keyset.orderBy} LIMIT ?) p`;
        const rows = await db.read(
          parents.map(() => part).join(" UNION ALL "),
          parents.flatMap((p) => [p, ...keyset.params, page.limit + 1]),
        );
        const byParent = new Map<number, Article[]>(parents.map((p) => [p, []]));
        for (const row of rows) byParent.get(Number(row.parent_id))?.push(toArticleWithAuthor(row));
        // UNION ALL keeps no order between or within its parts.
        const compare = keysetComparator(order, page);
        for (const list of byParent.values()) list.sort(compare);
        for (const { key, index } of group) results[index] = byParent.get(key.parentId) ?? [];
      }
      return results;
    },
    { cacheKeyFn: (k) => JSON.stringify([k.parentId, k.page, k.order]) },
  );
}

export function articlePageLoaders(db: Reader, batch: BatchOptions) {
  return {
    articlesOfTag: childPages(
      "articlesOfTag",
      db,
      {
        from: "article_tag at JOIN article a ON a.id = at.article_id",
        parentColumn: "at.tag_id",
        // listed_at (and listed_views) are set exactly while the article is listed (see tagListing.ts).
        listed: "at.listed_at IS NOT NULL",
        sortColumns: TAG_SORT_COLUMNS,
      },
      batch,
    ),
    articlesOfAuthor: childPages("articlesOfAuthor", db, { from: "article a", parentColumn: "a.author_id", listed: listedArticleSql() }, batch),
  };
}

export { ArticleOrder };

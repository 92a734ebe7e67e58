import type { Article } from "../../entities";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import type { PageRequest } from "../paging";
import { articleFilterSql, type ArticleFilterInput } from "./articleFilter";
import type { ArticleOrder } from "./articleOrder";
import { keysetSql } from "./keyset";

/** One page (limit + 1 rows) of listed articles matching a filter, in one statement. */
export async function listArticles(db: Reader, filter: ArticleFilterInput | null | undefined, order: ArticleOrder, page: PageRequest): Promise<Article[]> {
  if (page.limit === 0) return [];
  const f = articleFilterSql(filter);
  const keyset = keysetSql(order, page);
  const rows = await db.read(`SELECT ${ARTICLE_COLUMNS} FROM article a WHERE ${f.where}${keyset.where ? ` AND ${keyset.where}` : ""} ORDER BY ${keyset.orderBy} LIMIT ?`,
    [...f.params, ...keyset.params, page.limit + 1],
  );
  return rows.map(toArticle);
}

import type { Article } from "../../../entities";
import type { ArticleEdge, PageInfo } from "../../../resolvers/types/connection";
import { encodeCursor, type PageRequest, pageInfoOf } from "./pages";
import { ArticleOrder, orderSpec } from "./articleOrder";

/**
 * Columns that hold the sort keys. A tag's list sorts on article_tag's own
 * copies of the publication time, the views and the article id, so that its
 * indexes serve the ORDER BY; other lists sort on the article's columns.
 */
export interface SortColumns {
  publishedAt: string;
  id: string;
  views?: string;
}

/** A tag's list on article_tag alias `at`: its indexes (tag_id, listed_at, article_id) and (tag_id, listed_views, article_id) serve either order. */
export const TAG_SORT_COLUMNS: SortColumns = { publishedAt: "at.listed_at", id: "at.article_id", views: "at.listed_views" };

/** The ORDER BY and the keyset condition (after/before) for one page of articles. */
export function keysetSql(
  order: ArticleOrder,
  page: PageRequest,
  alias = "a",
  columns: SortColumns = { publishedAt: `${alias}.published_at`, id: `${alias}.id` },
): { where: string; params: unknown[]; orderBy: string } {
  const spec = orderSpec(order, alias, columns.publishedAt, columns.views);
  // Reading backwards flips the direction; the caller reverses the rows.
  const descending = spec.descending !== page.backward;
  const dir = descending ? "DESC" : "ASC";
  const orderBy = `${spec.column} ${dir}, ${columns.id} ${dir}`;
  if (!page.cursor) return { where: "", params: [], orderBy };
  const op = descending ? "<" : ">";
  // Same rows as (col < v OR (col = v AND id < i)), written with a plain
  // bound on col first so that MariaDB can start an index range scan at the
  // cursor instead of reading the list from its beginning.
  return {
    where: `${spec.column} ${op}= ? AND (${spec.column} ${op} ? OR ${columns.id} ${op} ?)`,
    params: [page.cursor.value, page.cursor.value, page.cursor.id],
    orderBy,
  };
}

/** Compares two articles as keysetSql's ORDER BY does, for rows gathered from several statements' parts. */
export function keysetComparator(order: ArticleOrder, page: PageRequest): (x: Article, y: Article) => number {
  const spec = orderSpec(order);
  const sign = spec.descending !== page.backward ? -1 : 1;
  return (x, y) => {
    const a = spec.valueOf(x);
    const b = spec.valueOf(y);
    return sign * (a < b ? -1 : a > b ? 1 : x.id - y.id);
  };
}

/** Turns the rows read for a page (limit + 1 of them, to see whether more exist) into edges and pageInfo. */
export function toPage(rows: Article[], order: ArticleOrder, page: PageRequest): { edges: ArticleEdge[]; pageInfo: PageInfo } {
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  if (page.backward) kept.reverse();
  const spec = orderSpec(order);
  const edges = kept.map((node) => ({ cursor: encodeCursor({ order, value: spec.valueOf(node), id: node.id }), node }));
  return {
    edges,
    pageInfo: page.backward ? pageInfoOf(edges, Boolean(page.cursor), more) : pageInfoOf(edges, more, Boolean(page.cursor)),
  };
}

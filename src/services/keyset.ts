import type { Article } from "../../entities";
import { encodeCursor, type PageRequest } from "../paging";
import { ArticleOrder, orderSpec } from "./articleOrder";

/** The ORDER BY and the keyset condition (after/before) for one page of articles. */
export function keysetSql(order: ArticleOrder, page: PageRequest, alias = "a"): { where: string; params: unknown[]; orderBy: string } {
  const spec = orderSpec(order, alias);
  // Reading backwards flips the direction; the caller reverses the rows.
  const descending = spec.descending !== page.backward;
  const dir = descending ? "DESC" : "ASC";
  const orderBy = `${spec.column} ${dir}, ${alias}.id ${dir}`;
  if (!page.cursor) return { where: "", params: [], orderBy };
  const op = descending ? "<" : ">";
  return {
    where: `(${spec.column} ${op} ? OR (${spec.column} = ? AND ${alias}.id ${op} ?))`,
    params: [page.cursor.value, page.cursor.value, page.cursor.id],
    orderBy,
  };
}

export interface ArticleEdge {
  cursor: string;
  node: Article;
}

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** Turns the rows read for a page (limit + 1 of them, to see whether more exist) into edges and pageInfo. */
export function toPage(rows: Article[], order: ArticleOrder, page: PageRequest): { edges: ArticleEdge[]; pageInfo: PageInfoShape } {
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  if (page.backward) kept.reverse();
  const spec = orderSpec(order);
  const edges = kept.map((node) => ({ cursor: encodeCursor({ order, value: spec.valueOf(node), id: node.id }), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backward ? Boolean(page.cursor) : more,
      hasPreviousPage: page.backward ? more : Boolean(page.cursor),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

import type { Article } from "../../../entities";
import { toDbTime } from "../../db/time";

export enum ArticleOrder {
  PUBLISHED_AT_DESC = "PUBLISHED_AT_DESC",
  PUBLISHED_AT_ASC = "PUBLISHED_AT_ASC",
  VIEWS_DESC = "VIEWS_DESC",
}

interface OrderSpec {
  column: string;
  descending: boolean;
  valueOf(article: Article): string | number;
}

export function orderSpec(order: ArticleOrder, alias = "a", publishedAt = `${alias}.published_at`, views = `${alias}.views`): OrderSpec {
  switch (order) {
    case ArticleOrder.PUBLISHED_AT_ASC:
      return { column: publishedAt, descending: false, valueOf: (a) => toDbTime(a.publishedAt as Date) };
    case ArticleOrder.VIEWS_DESC:
      return { column: views, descending: true, valueOf: (a) => a.views };
    default:
      return { column: publishedAt, descending: true, valueOf: (a) => toDbTime(a.publishedAt as Date) };
  }
}

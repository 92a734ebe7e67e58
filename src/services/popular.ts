import { registerEnumType } from "type-graphql";
import type { Article } from "../../entities";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { listedArticleSql } from "../viewer";

export enum PopularWindow {
  DAY = "DAY",
  WEEK = "WEEK",
  MONTH = "MONTH",
  ALL_TIME = "ALL_TIME",
}

registerEnumType(PopularWindow, { name: "PopularWindow", description: "The period over which views are counted." });

/** Most-viewed listed articles (all-time view counts), newest first among equals. */
export async function popularArticles(db: Reader, opts: { first: number; window: PopularWindow; rubric?: string | null }): Promise<Article[]> {
  const params: unknown[] = [];
  let rubric = "";
  if (opts.rubric) {
    rubric = ` AND EXISTS (SELECT 1 FROM article_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.article_id = a.id AND t.kind = 'RUBRIC' AND t.slug = ?)`;
    params.push(opts.rubric);
  }
  const rows = await db.read(`SELECT ${ARTICLE_COLUMNS} FROM article a WHERE ${listedArticleSql()}${rubric} ORDER BY a.views DESC, a.published_at DESC, a.id DESC LIMIT ?`,
    [...params, opts.first],
  );
  return rows.map(toArticle);
}

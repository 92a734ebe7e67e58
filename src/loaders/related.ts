import DataLoader from "dataloader";
import type { Article } from "../../entities";
import { placeholders } from "../db/dialect";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { toDbTime } from "../db/time";
import { visibleArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";

export interface RelatedKey {
  articleId: number;
  first: number;
  /** The article's publication time: neighbours are looked for around it. */
  publishedAt: Date | null;
}

/** Neighbours are drawn from the articles published this many days either side of the article. */
export const NEIGHBOUR_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * "Read also" for a whole page of articles in one statement: each article's
 * editorial edges first, in their order; then, for articles whose edges
 * are fewer than the largest `first` asked for, computed neighbours:
 * published articles from the 30 days either side that share its rubrics
 * and hashtags, each shared tag weighing 1 / ln(1 + its articles in that
 * window), so that a rare hashtag says more than a big rubric; fresher
 * first among equals. An article never lists itself, nor one article twice.
 *
 * The window is what keeps this cheap: article_tag's (tag_id, listed_at)
 * index hands over a rubric's articles of those 61 days only, not the tens
 * of thousands it holds over the years. News is read alongside the news of
 * its time, so the window is also where good neighbours are.
 */
export function relatedLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const relatedArticles = new DataLoader<RelatedKey, Article[], string>(
    async (keys) => {
      const parents = [...new Map(keys.map((k) => [k.articleId, k])).values()];
      const limit = Math.max(...keys.map((k) => k.first));
      const list = placeholders(parents.length);
      const dated = parents.filter((p) => p.publishedAt);
      // Per-parent windows as a derived table of parameters, which both dialects accept.
      const windows = dated.length
        ? dated.map(() => "SELECT ? AS parent_id, ? AS lo, ? AS hi").join(" UNION ALL ")
        : "SELECT NULL AS parent_id, NULL AS lo, NULL AS hi";
      const windowParams = dated.flatMap((p) => {
        const t = (p.publishedAt as Date).getTime();
        return [p.articleId, toDbTime(new Date(t - NEIGHBOUR_WINDOW_DAYS * DAY_MS)), toDbTime(new Date(t + NEIGHBOUR_WINDOW_DAYS * DAY_MS))];
      });
      const rows = await db.read(
        `SELECT ranked.parent_id, ${ARTICLE_COLUMNS} FROM (
           SELECT best.parent_id, best.article_id,
                  ROW_NUMBER() OVER (PARTITION BY best.parent_id ORDER BY best.tier, best.score DESC, best.published_at DESC, best.article_id DESC) AS rn
           FROM (
             SELECT u.parent_id, u.article_id, u.tier, u.score, u.published_at,
                    ROW_NUMBER() OVER (PARTITION BY u.parent_id, u.article_id ORDER BY u.tier) AS dup
             FROM (
               SELECT r.article_id AS parent_id, a.id AS article_id, 0 AS tier, -r.position AS score, a.published_at
               FROM article_related r JOIN article a ON a.id = r.related_id
               WHERE r.article_id IN (${list}) AND r.related_id <> r.article_id AND ${visibleArticleSql(viewer)}
               UNION ALL
               SELECT c.parent_id, c.article_id, 1 AS tier, SUM(c.weight) AS score, MAX(c.listed_at) AS published_at
               FROM (
                 SELECT pt.article_id AS parent_id, nt.article_id, nt.listed_at,
                        1.0 / LN(2 + COUNT(*) OVER (PARTITION BY pt.article_id, pt.tag_id)) AS weight
                 FROM (${windows}) w
                 JOIN article_tag pt ON pt.article_id = w.parent_id
                 JOIN article_tag nt ON nt.tag_id = pt.tag_id AND nt.article_id <> pt.article_id
                      AND nt.listed_at >= w.lo AND nt.listed_at <= w.hi
                 WHERE (SELECT COUNT(*) FROM article_related r2 JOIN article e ON e.id = r2.related_id
                        WHERE r2.article_id = pt.article_id AND r2.related_id <> r2.article_id AND ${visibleArticleSql(viewer, "e")}) < ?
               ) c
               GROUP BY c.parent_id, c.article_id
             ) u
           ) best
           WHERE best.dup = 1
         ) ranked JOIN article a ON a.id = ranked.article_id
         WHERE ranked.rn <= ?
         ORDER BY ranked.parent_id, ranked.rn`,
        [...parents.map((p) => p.articleId), ...windowParams, limit, limit],
      );
      const byParent = new Map<number, Article[]>(parents.map((p) => [p.articleId, []]));
      for (const row of rows) byParent.get(Number(row.parent_id))?.push(toArticle(row));
      return keys.map((k) => (byParent.get(k.articleId) ?? []).slice(0, k.first));
    },
    { ...batch, cacheKeyFn: (k) => `${k.articleId}:${k.first}` },
  );
  return { relatedArticles };
}

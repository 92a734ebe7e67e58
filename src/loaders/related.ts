import DataLoader from "dataloader";
import type { Article } from "../../entities";
import { placeholders } from "../db/dialect";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { linkedArticleSql, listedArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";

export interface RelatedKey {
  articleId: number;
  first: number;
}

/**
 * "Read also" for a whole page of articles in one statement: each article's
 * editorial edges first, in their order; then, up to the largest `first`
 * asked for, computed neighbours: published articles sharing its rubrics
 * and hashtags, each shared tag weighing 1 / ln(1 + its article count) so
 * that a rare hashtag says more than a big rubric, fresher first among
 * equals. An article never lists itself, nor one article twice.
 */
export function relatedLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const relatedArticles = new DataLoader<RelatedKey, Article[], string>(
    async (keys) => {
      const parents = [...new Set(keys.map((k) => k.articleId))];
      const limit = Math.max(...keys.map((k) => k.first));
      const list = placeholders(parents.length);
      const rows = await db.read(
        `SELECT ranked.parent_id, ${ARTICLE_COLUMNS} FROM (
           SELECT best.parent_id, best.article_id,
                  ROW_NUMBER() OVER (PARTITION BY best.parent_id ORDER BY best.tier, best.score DESC, best.published_at DESC, best.article_id DESC) AS rn
           FROM (
             SELECT u.*, ROW_NUMBER() OVER (PARTITION BY u.parent_id, u.article_id ORDER BY u.tier) AS dup
             FROM (
               SELECT r.article_id AS parent_id, a.id AS article_id, 0 AS tier, -r.position AS score, a.published_at
               FROM article_related r JOIN article a ON a.id = r.related_id
               WHERE r.article_id IN (${list}) AND r.related_id <> r.article_id AND ${linkedArticleSql(viewer)}
               UNION ALL
               SELECT pt.article_id AS parent_id, a.id AS article_id, 1 AS tier, SUM(w.weight) AS score, a.published_at
               FROM article_tag pt
               JOIN (SELECT tag_id, 1.0 / LN(1 + COUNT(*)) AS weight FROM article_tag
                     WHERE tag_id IN (SELECT tag_id FROM article_tag WHERE article_id IN (${list})) GROUP BY tag_id) w ON w.tag_id = pt.tag_id
               JOIN article_tag nt ON nt.tag_id = pt.tag_id AND nt.article_id <> pt.article_id
               JOIN article a ON a.id = nt.article_id
               WHERE pt.article_id IN (${list}) AND ${listedArticleSql()}
               GROUP BY pt.article_id, a.id, a.published_at
             ) u
           ) best
           WHERE best.dup = 1
         ) ranked JOIN article a ON a.id = ranked.article_id
         WHERE ranked.rn <= ?
         ORDER BY ranked.parent_id, ranked.rn`,
        [...parents, ...parents, ...parents, limit],
      );
      const byParent = new Map<number, Article[]>(parents.map((p) => [p, []]));
      for (const row of rows) byParent.get(Number(row.parent_id))?.push(toArticle(row));
      return keys.map((k) => (byParent.get(k.articleId) ?? []).slice(0, k.first));
    },
    { ...batch, cacheKeyFn: (k) => `${k.articleId}:${k.first}` },
  );
  return { relatedArticles };
}

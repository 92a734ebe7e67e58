import type { Article } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { ARTICLE_TEASER_COLUMNS, toArticle } from "../rows";
import { listedArticleSql, visibleArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";

/** Kept neighbours read beyond `first`, in place of any unpublished since the list was kept. */
const HIDDEN_SLACK = 8;

/**
 * Added to a kept neighbour's place in its list (from 1) to make its sort
 * key: every editorial edge (keyed by its position) sorts before any
 * neighbour, and the key alone tells which of the two a row is.
 */
const NEIGHBOUR_TIER = 2 ** 32;

export interface RelatedKey {
  articleId: number;
  first: number;
}

/** The kept neighbours of the articles of `list` as (parent_id, article_id, rn) rows, rn from 1, in both dialects. */
function keptNeighboursSql(db: Reader, list: string): string {
  return db.dialect === "mysql"
    ? `SELECT n.article_id AS parent_id, j.id AS article_id, j.rn AS rn FROM article_neighbours n
       CROSS JOIN JSON_TABLE(n.neighbour_ids, '$[*]' COLUMNS (rn FOR ORDINALITY, id INT PATH '$')) j
       WHERE n.article_id IN (${list})`
    : `SELECT n.article_id AS parent_id, j.value AS article_id, j.key + 1 AS rn FROM article_neighbours n, json_each(n.neighbour_ids) j
       WHERE n.article_id IN (${list})`;
}

/**
 * "Read also" for a whole page of articles in one statement: each article's
 * editorial edges first, in their order; then its kept neighbours
 * (article_neighbours, src/write/derived/keptNeighbours.ts), best first:
 * published articles from the 30 days either side that share its rubrics
 * and hashtags, a rare hashtag weighing more than a big rubric, fresher
 * first among equals (the rule: src/write/derived/neighbourRanking.ts). An
 * article never lists itself, nor one article twice.
 *
 * The neighbours are ranked when articles are written, not here: the read
 * is one primary-key row per article of the page and the first `first`
 * ids of its list. Lists are refreshed in the background a moment after a
 * write, so the readers' predicate is applied again here: a neighbour
 * unpublished since its list was kept is never shown, and a few more than
 * `first` are read (HIDDEN_SLACK) so that the page stays full meanwhile.
 *
 * The statement joins the articles once, to the union of the two narrow
 * lists (ids and a sort key that puts edges before neighbours), with each
 * list's own predicate; a neighbour that is also an editorial edge is left
 * to the edge. No GROUP BY or window function: MariaDB's temporary tables
 * for those cost more than the rest of the read. The rows are put in
 * order here.
 */
export function relatedLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const relatedArticles = batch.loader<RelatedKey, Article[], string>("relatedArticles", 
    async (keys) => {
      const parents = [...new Set(keys.map((k) => k.articleId))];
      const limit = Math.max(...keys.map((k) => k.first));
      const list = placeholders(parents.length);
      // One article (an article page): the statement cuts its list; several: each list is cut here.
      const cut = parents.length === 1 ? "ORDER BY b.rank_key LIMIT ?" : "";
      const rows = await db.read(
        `SELECT b.parent_id, b.rank_key, ${ARTICLE_TEASER_COLUMNS} FROM (
           SELECT r.article_id AS parent_id, r.related_id AS article_id, r.position AS rank_key
           FROM article_related r WHERE r.article_id IN (${list}) AND r.related_id <> r.article_id
           UNION ALL
           SELECT k.parent_id, k.article_id, ${NEIGHBOUR_TIER} + k.rn AS rank_key
           FROM (${keptNeighboursSql(db, list)}) k
           WHERE k.rn <= ? AND NOT EXISTS (SELECT 1 FROM article_related e WHERE e.article_id = k.parent_id AND e.related_id = k.article_id)
         ) b JOIN article a ON a.id = b.article_id
         WHERE (b.rank_key < ${NEIGHBOUR_TIER} AND ${visibleArticleSql(viewer)}) OR (b.rank_key > ${NEIGHBOUR_TIER} AND ${listedArticleSql()})
         ${cut}`,
        [...parents, ...parents, limit + HIDDEN_SLACK, ...(cut ? [limit] : [])],
      );
      rows.sort((x, y) => Number(x.rank_key) - Number(y.rank_key));
      const byParent = new Map<number, Article[]>(parents.map((id) => [id, []]));
      for (const row of rows) {
        const shown = byParent.get(Number(row.parent_id));
        if (shown && shown.length < limit) shown.push(toArticle(row));
      }
      return keys.map((k) => (byParent.get(k.articleId) ?? []).slice(0, k.first));
    },
    { cacheKeyFn: (k) => `${k.articleId}:${k.first}` },
  );
  return { relatedArticles };
}

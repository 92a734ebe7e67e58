import type { Article } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { ARTICLE_TEASER_COLUMNS, toArticle } from "../rows";
import { canSeeDrafts, listedArticleSql, visibleArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";
import { listsByKey } from "./group";

/**
 * The other language versions of articles (per-language counts are kept: counts.ts). Readers
 * get published versions only (the list predicate: never a draft, a
 * scheduled, a deleted or a stub article); editors also see drafts.
 */
export function translationLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const shown = canSeeDrafts(viewer) ? visibleArticleSql(viewer) : listedArticleSql();

  /** The other articles of each article's translation group, by language. */
  const translationsByArticleId = batch.loader<number, Article[]>("translationsByArticleId", async (ids) => {
    const rows = await db.read(
      `SELECT t1.article_id AS parent_id, ${ARTICLE_TEASER_COLUMNS}
       FROM article_translation t1
       JOIN article_translation t2 ON t2.group_id = t1.group_id AND t2.article_id <> t1.article_id
       JOIN article a ON a.id = t2.article_id
       WHERE t1.article_id IN (${placeholders(ids.length)}) AND ${shown}
       ORDER BY t1.article_id, a.language, a.id`,
      [...ids],
    );
    const pairs = rows.map((r) => ({ parent: Number(r.parent_id), article: toArticle(r) }));
    return listsByKey(ids, pairs, (p) => p.parent).map((list) => list.map((p) => p.article));
  });

  return { translationsByArticleId };
}

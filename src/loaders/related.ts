import DataLoader from "dataloader";
import type { Article } from "../../entities";
import { placeholders } from "../db/dialect";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { linkedArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";
import { listsByKey } from "./group";

/** An article's editorial "read also" edges, in order, for a whole page of articles in one statement. */
export function relatedLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const editorialRelated = new DataLoader<number, Article[]>(async (articleIds) => {
    const rows = await db.read(`SELECT r.article_id AS parent_id, ${ARTICLE_COLUMNS} FROM article_related r JOIN article a ON a.id = r.related_id
       WHERE r.article_id IN (${placeholders(articleIds.length)}) AND ${linkedArticleSql(viewer)}
       ORDER BY r.article_id, r.position`,
      [...articleIds],
    );
    const pairs = rows.map((r) => ({ parent: Number(r.parent_id), article: toArticle(r) }));
    return listsByKey(articleIds, pairs, (p) => p.parent).map((list) => list.map((p) => p.article));
  }, batch);
  return { editorialRelated };
}

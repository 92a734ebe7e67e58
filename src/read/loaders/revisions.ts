import type { Reader } from "../reader";
import { fromDbTime } from "../../db/time";
import type { BatchOptions } from "./batcher";
import { groupBy } from "./group";
import { correctionsLoader } from "../../workflow/corrections";
import { parseRevision, type RevisionRecord } from "../../workflow/revisions";

export interface RevisionRow {
  id: number;
  articleId: number;
  createdAt: Date;
  keyName: string | null;
  record: RevisionRecord;
}

export interface RevisionPageKey {
  articleId: number;
  /** Rows to read: the page size plus one, to know whether there is a next page. */
  limit: number;
  /** Revisions older than this id (the cursor), or null from the newest. */
  beforeId: number | null;
}

/**
 * Pages of every asked article's revisions, newest first, in one statement
 * per page shape: one limited part per article, walking the
 * (article_id, id) index, so the statement count does not grow with the
 * number of articles or revisions.
 */
function revisionPagesLoader(db: Reader, batch: BatchOptions, name = "revisionPages") {
  return batch.loader<RevisionPageKey, RevisionRow[], string>(name, 
    async (keys) => {
      const results: RevisionRow[][] = new Array(keys.length);
      for (const group of groupBy(keys, (k) => JSON.stringify([k.limit, k.beforeId])).values()) {
        const { limit, beforeId } = group[0].key;
        const articles = [...new Set(group.map((g) => g.key.articleId))];
        const part = `SELECT * FROM (SELECT id, article_id, created_at, key_name, content FROM article_revision
           WHERE article_id = ?${beforeId === null ? "" : " AND id < ?"} ORDER BY id DESC LIMIT ?) p`;
        const rows = await db.read(
          articles.map(() => part).join(" UNION ALL "),
          articles.flatMap((a) => (beforeId === null ? [a, limit] : [a, beforeId, limit])),
        );
        const byArticle = new Map<number, RevisionRow[]>(articles.map((a) => [a, []]));
        for (const r of rows) {
          byArticle.get(Number(r.article_id))?.push({
            id: Number(r.id),
            articleId: Number(r.article_id),
            createdAt: fromDbTime(r.created_at) as Date,
            keyName: (r.key_name as string | null) ?? null,
            record: parseRevision(String(r.content)),
          });
        }
        // UNION ALL keeps no order between or within its parts.
        for (const list of byArticle.values()) list.sort((a, b) => b.id - a.id);
        for (const { key, index } of group) results[index] = byArticle.get(key.articleId) ?? [];
      }
      return results;
    },
    { cacheKeyFn: (k) => JSON.stringify([k.articleId, k.limit, k.beforeId]) },
  );
}

export function workflowLoaders(db: Reader, batch: BatchOptions) {
  return {
    correctionsByArticleId: correctionsLoader(db, batch),
    revisionPages: revisionPagesLoader(db, batch),
  };
}

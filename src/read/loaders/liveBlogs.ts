import { LiveEntry } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { LIVE_ENTRY_COLUMNS, toLiveEntry } from "../rows";
import type { PageRequest } from "../paging/pages";
import type { BatchOptions } from "./batcher";
import { byKey, groupBy } from "./group";

/** The order of Article.liveEntries: pinned first, then newest first (ids grow with posting time). */
export const LIVE_ENTRY_ORDER = "liveEntries";

export function compareLiveEntries(x: LiveEntry, y: LiveEntry): number {
  return Number(y.pinned) - Number(x.pinned) || y.id - x.id;
}

export interface LiveEntryPageKey {
  articleId: number;
  page: PageRequest;
}

/**
 * Live blog state and entries. A page of entries for every article in the
 * batch is one statement (one ordered, limited part per article, as for a
 * tag's articles), so the statements do not depend on the page size.
 * Entries are only reached through their article, whose own loader has
 * already decided whether the viewer may see it.
 */
export function liveBlogLoaders(db: Reader, batch: BatchOptions) {
  const liveArticle = batch.loader<number, boolean>("liveArticle", async (ids) => {
    const rows = await db.read(`SELECT article_id FROM live_blog WHERE ended_at IS NULL AND article_id IN (${placeholders(ids.length)})`, [...ids]);
    const live = new Set(rows.map((r) => Number(r.article_id)));
    return ids.map((id) => live.has(id));
  });

  const liveEntryById = batch.loader<number, LiveEntry | null>("liveEntryById", async (ids) => {
    const rows = await db.read(`SELECT ${LIVE_ENTRY_COLUMNS} FROM live_entry e WHERE e.id IN (${placeholders(ids.length)})`, [...ids]);
    return byKey(ids, rows.map(toLiveEntry), (e) => e.id);
  });

  const liveEntryPage = batch.loader<LiveEntryPageKey, LiveEntry[], string>("liveEntryPage", 
    async (keys) => {
      const results: LiveEntry[][] = new Array(keys.length);
      for (const group of groupBy(keys, (k) => JSON.stringify(k.page)).values()) {
        const { page } = group[0].key;
        const articles = [...new Set(group.map((g) => g.key.articleId))];
        const after = page.cursor ? " AND e.pinned <= ? AND (e.pinned < ? OR e.id < ?)" : "";
        const afterParams = page.cursor ? [page.cursor.value, page.cursor.value, page.cursor.id] : [];
        const part = `SELECT * FROM (SELECT ${LIVE_ENTRY_COLUMNS} FROM live_entry e WHERE e.article_id = ?${after}
           ORDER BY e.pinned DESC, e.id DESC LIMIT ?) p`;
        const rows = await db.read(
          articles.map(() => part).join(" UNION ALL "),
          articles.flatMap((a) => [a, ...afterParams, page.limit + 1]),
        );
        const byArticle = new Map<number, LiveEntry[]>(articles.map((a) => [a, []]));
        for (const row of rows) byArticle.get(Number(row.article_id))?.push(toLiveEntry(row));
        // UNION ALL keeps no order between or within its parts.
        for (const list of byArticle.values()) list.sort(compareLiveEntries);
        for (const { key, index } of group) results[index] = byArticle.get(key.articleId) ?? [];
      }
      return results;
    },
    { cacheKeyFn: (k) => JSON.stringify([k.articleId, k.page]) },
  );

  return { liveArticle, liveEntryById, liveEntryPage };
}

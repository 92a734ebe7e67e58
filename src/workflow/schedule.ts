import type { DataSource } from "typeorm";
import { ArticleStatus } from "../../entities";
import { fromDbTime, toDbTime } from "../db/time";
import { articlesChanged } from "../write/derived/articleChanges";
import { articleWentLive } from "../live/announce";
import { readRevisionRecord, recordRevision } from "./revisions";

/** The status a published or scheduled article has at `now`: scheduled while its time is still ahead. */
export function statusAt(publishedAt: Date, now: Date): ArticleStatus.PUBLISHED | ArticleStatus.SCHEDULED {
  return publishedAt.getTime() > now.getTime() ? ArticleStatus.SCHEDULED : ArticleStatus.PUBLISHED;
}

/** When the next scheduled article is due, or null when none is scheduled (read through the (status, published_at) index). */
export async function nextScheduledAt(ds: DataSource): Promise<Date | null> {
  const [row] = await ds.query("SELECT MIN(published_at) AS due FROM article WHERE status = ? AND deleted_at IS NULL", [
    ArticleStatus.SCHEDULED,
  ]);
  return fromDbTime(row?.due);
}

/** Called with the ids of articles that have just gone live, once their transaction has committed. */
export type WentLiveListener = (articleIds: number[]) => void | Promise<void>;

const wentLiveListeners = new Set<WentLiveListener>();

/**
 * Subscribes to scheduled articles going live (in this process: the
 * instance whose scheduler published them). Returns the unsubscribe.
 */
export function onArticlesWentLive(listener: WentLiveListener): () => void {
  wentLiveListeners.add(listener);
  return () => {
    wentLiveListeners.delete(listener);
  };
}

/**
 * Publishes every scheduled article whose time has come, through the same
 * path as an editor's write (articlesChanged keeps archive days, tag
 * listing and the search index, and bumps the content version after the
 * commit). Each flip is a conditional UPDATE (status still SCHEDULED), so
 * when several instances run this at once each article is published, and
 * announced, by exactly one of them. Returns the ids this call published.
 */
export async function publishDueArticles(
  ds: DataSource,
  now = new Date(),
  reportError: (err: unknown) => void = () => {},
): Promise<number[]> {
  const published = await ds.transaction(async (m) => {
    const due: { id: unknown; published_at: unknown }[] = await m.query(
      "SELECT id, published_at FROM article WHERE status = ? AND deleted_at IS NULL AND published_at <= ? ORDER BY published_at, id",
      [ArticleStatus.SCHEDULED, toDbTime(now)],
    );
    const flipped: { id: number; publishedAt: Date | null }[] = [];
    for (const row of due) {
      const id = Number(row.id);
      const before = await readRevisionRecord(m, id);
      const result = await m.queryRunner!.query(
        "UPDATE article SET status = ? WHERE id = ? AND status = ? AND deleted_at IS NULL AND published_at <= ?",
        [ArticleStatus.PUBLISHED, id, ArticleStatus.SCHEDULED, toDbTime(now)],
        true,
      );
      if (!result.affected) continue;
      await recordRevision(m, id, null, before);
      flipped.push({ id, publishedAt: fromDbTime(row.published_at) });
    }
    if (flipped.length > 0) {
      const ids = flipped.map((f) => f.id);
      await articlesChanged(m, { ids, days: flipped.map((f) => f.publishedAt) });
      // Subscribers (after the commit) and webhook endpoints (in this transaction) hear of it now, not when it was scheduled.
      await articleWentLive(m, ids);
    }
    return flipped.map((f) => f.id);
  });
  if (published.length > 0) await articlesWentLive(published, reportError);
  return published;
}

/** Tells every listener; one failing listener neither stops the others nor undoes the publication. */
async function articlesWentLive(ids: number[], reportError: (err: unknown) => void): Promise<void> {
  await Promise.all(
    [...wentLiveListeners].map(async (listener) => {
      try {
        await listener(ids);
      } catch (err) {
        reportError(err);
      }
    }),
  );
}

import type { EntityManager } from "typeorm";
import { config } from "../../config";
import { dialectOf, placeholders } from "../../db/dialect";
import { PopularWindow, windowStart } from "../../read/lists/popular";

/*
 * Kept popular rankings (migration 1700000001710): for each window of
 * days (DAY, WEEK, MONTH), popular_rank holds the POPULAR_RANK_SIZE
 * articles with the most views in the window ending on popular_span.as_of,
 * with their views in it; readers rank from those rows instead of summing a
 * month of per-day rows on every request (src/read/lists/popular.ts).
 *
 * Kept by the view counter's flush, in its transaction: the articles whose
 * views were just added get their window sums recomputed from
 * article_view_day (a few primary-key rows each) and the window is cut back
 * to its size. Only those articles' sums changed, and they only grew, so an
 * article left out stays below the cut: the ranking stays the exact top of
 * the window.
 *
 * When the day changes, old days leave every window and an article's sum
 * can fall: the first flush of a new day (the counter's timer runs one even
 * without views) ranks each window again from article_view_day. Until
 * then, and whenever as_of is not the reader's day, popular.ts computes the
 * window as before, so a reader never sees yesterday's ranking.
 *
 * The ranking ignores whether an article is listed: readers' predicate is
 * applied when it is read. It stays right while fewer than
 * POPULAR_RANK_SIZE - maxPageSize of a window's top articles are hidden
 * (unpublished, deleted, scheduled); ties at the cut are broken by id,
 * where readers break them by date.
 */

/** Rows kept per window: at least five times the largest `first` a reader may ask for. */
export const POPULAR_RANK_SIZE = Math.max(500, 5 * config.maxPageSize);

export const KEPT_WINDOWS = [PopularWindow.DAY, PopularWindow.WEEK, PopularWindow.MONTH] as const;

/** Articles per statement when a flush's articles are ranked (well under every driver's parameter limit). */
const CHUNK = 5000;

const startOf = (window: PopularWindow, day: string) => windowStart(window, new Date(`${day}T00:00:00Z`)) as string;

interface WindowDay {
  window: PopularWindow;
  /** The last day the window counts (YYYY-MM-DD); it starts windowStart days before. */
  day: string;
}

/** Ranks the given windows again from article_view_day: three statements whatever their number. */
async function rankWindows(m: EntityManager, windows: WindowDay[], size: number): Promise<void> {
  const mysql = dialectOf(m) === "mysql";
  await m.query(`DELETE FROM popular_rank WHERE span IN (${placeholders(windows.length)})`, windows.map((w) => w.window));
  const part = `SELECT * FROM (SELECT ? AS span, v.article_id, SUM(v.views) AS views FROM article_view_day v
    WHERE v.day >= ? AND v.day <= ? GROUP BY v.article_id HAVING SUM(v.views) > 0
    ORDER BY SUM(v.views) DESC, v.article_id DESC LIMIT ?) w`;
  await m.query(
    `INSERT INTO popular_rank (span, article_id, views) ${windows.map(() => part).join(" UNION ALL ")}`,
    windows.flatMap((w) => [w.window, startOf(w.window, w.day), w.day, size]),
  );
  const values = windows.map(() => "(?, ?)").join(", ");
  await m.query(
    mysql
      ? `INSERT INTO popular_span (span, as_of) VALUES ${values} ON DUPLICATE KEY UPDATE as_of = VALUES(as_of)`
      : `INSERT INTO popular_span (span, as_of) VALUES ${values} ON CONFLICT (span) DO UPDATE SET as_of = excluded.as_of`,
    windows.flatMap((w) => [w.window, w.day]),
  );
}

/** Recomputes the window sums of the given articles in each window and cuts each back to its size: two statements (per 5,000 articles). */
async function addToWindows(m: EntityManager, windows: WindowDay[], ids: readonly number[], size: number): Promise<void> {
  const mysql = dialectOf(m) === "mysql";
  const bounds = windows.map(() => "SELECT ? AS span, ? AS since, ? AS until").join(" UNION ALL ");
  const boundParams = windows.flatMap((w) => [w.window, startOf(w.window, w.day), w.day]);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const sums = `SELECT w.span, v.article_id, SUM(v.views) AS views FROM article_view_day v JOIN (${bounds}) w ON v.day >= w.since AND v.day <= w.until
      WHERE v.article_id IN (${placeholders(chunk.length)}) GROUP BY w.span, v.article_id`;
    await m.query(
      mysql
        ? `INSERT INTO popular_rank (span, article_id, views) ${sums} ON DUPLICATE KEY UPDATE views = VALUES(views)`
        : `INSERT INTO popular_rank (span, article_id, views) ${sums} ON CONFLICT (span, article_id) DO UPDATE SET views = excluded.views`,
      [...boundParams, ...chunk],
    );
  }
  // Below the window's last kept row (by views, then id); OFFSET over a table of at most size + a flush's articles rows per window.
  await m.query(
    `DELETE FROM popular_rank WHERE span IN (${placeholders(windows.length)}) AND (views, article_id) <
       (SELECT c.views, c.article_id FROM popular_rank c WHERE c.span = popular_rank.span ORDER BY c.views DESC, c.article_id DESC LIMIT 1 OFFSET ?)`,
    [...windows.map((w) => w.window), size - 1],
  );
}

/**
 * Brings the kept rankings to `today` (UTC, YYYY-MM-DD) and counts in the
 * articles whose views were just added. A window ranked for another day is
 * ranked again from article_view_day; one ranked for today takes in the
 * given articles. Another instance already past midnight wins over a clock
 * that lags: the later day is kept. At most six statements.
 */
export async function refreshPopularRanking(m: EntityManager, articleIds: readonly number[], today: string, size = POPULAR_RANK_SIZE): Promise<void> {
  const rows: { span: string; as_of: string }[] = await m.query("SELECT span, as_of FROM popular_span");
  const ranked = new Map(rows.map((r) => [String(r.span), String(r.as_of)]));
  const stale: WindowDay[] = [];
  const current: WindowDay[] = [];
  for (const window of KEPT_WINDOWS) {
    const asOf = ranked.get(window);
    const day = asOf !== undefined && asOf > today ? asOf : today;
    (asOf === day ? current : stale).push({ window, day });
  }
  if (stale.length > 0) await rankWindows(m, stale, size);
  const ids = [...new Set(articleIds)];
  if (current.length > 0 && ids.length > 0) await addToWindows(m, current, ids, size);
}

/** Ranks every window again as of today; used after bulk loads. */
export async function rebuildPopularRanking(m: EntityManager, today: string): Promise<void> {
  await m.query("DELETE FROM popular_span");
  await refreshPopularRanking(m, [], today);
}

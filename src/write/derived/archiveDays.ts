import type { EntityManager } from "typeorm";
import { dialectOf } from "../../db/dialect";
import { toDbTime, utcDay } from "../../db/time";
import { listedArticleSql } from "../../read/viewer";

/**
 * Recounts the archive_day rows of the given days from the article table.
 * Every write that can change what is published on a day (import, publish,
 * unpublish, delete, a new date) calls this in its own transaction with the
 * old and new days, so the summary never drifts from the articles.
 */
export async function refreshArchiveDays(manager: EntityManager, times: Iterable<Date | null | undefined>): Promise<void> {
  const days = [...new Set([...times].filter((t): t is Date => t instanceof Date && !Number.isNaN(t.getTime())).map(utcDay))].sort();
  const mysql = dialectOf(manager) === "mysql";
  const [y, m, d] = dayParts(manager);
  // Days per statement pair: an import touches hundreds of days at once.
  const CHUNK = 200;
  for (let i = 0; i < days.length; i += CHUNK) {
    const chunk = days.slice(i, i + CHUNK).map((day) => day.split("-").map(Number));
    const ranges = chunk.flatMap(([yy, mm, dd]) => [toDbTime(new Date(Date.UTC(yy, mm - 1, dd))), toDbTime(new Date(Date.UTC(yy, mm - 1, dd + 1)))]);
    const counted: Record<string, unknown>[] = await manager.query(
      `SELECT ${y} AS year, ${m} AS month, ${d} AS day, COUNT(*) AS n FROM article a
        WHERE ${listedArticleSql()} AND (${chunk.map(() => "(a.published_at >= ? AND a.published_at < ?)").join(" OR ")})
        GROUP BY ${y}, ${m}, ${d}`,
      ranges,
    );
    const count = new Map(counted.map((r) => [`${Number(r.year)}-${Number(r.month)}-${Number(r.day)}`, Number(r.n)]));
    const rows = chunk.map(([yy, mm, dd]) => [yy, mm, dd, count.get(`${yy}-${mm}-${dd}`) ?? 0]);
    // The days' counts before this write, locked until it commits: each month moves by its days' difference.
    const before: Record<string, unknown>[] = await manager.query(
      `SELECT year, month, day, article_count FROM archive_day WHERE ${chunk.map(() => "(year = ? AND month = ? AND day = ?)").join(" OR ")}${mysql ? " FOR UPDATE" : ""}`,
      chunk.flat(),
    );
    const had = new Map(before.map((r) => [`${Number(r.year)}-${Number(r.month)}-${Number(r.day)}`, Number(r.article_count)]));
    const upsert = mysql ? "ON DUPLICATE KEY UPDATE article_count = VALUES(article_count)" : "ON CONFLICT (year, month, day) DO UPDATE SET article_count = excluded.article_count";
    await manager.query(`INSERT INTO archive_day (year, month, day, article_count) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")} ${upsert}`, rows.flat());
    await moveArchiveMonths(manager, rows.map(([yy, mm, dd, n]) => [yy, mm, n - (had.get(`${yy}-${mm}-${dd}`) ?? 0)]));
  }
}

/**
 * Adds each day's difference to its month in archive_month. Differences,
 * not sums of the month's days: two writers on different days of one month
 * each add their own under the month row's lock, where re-summing the days
 * would have each wait for the other's day rows.
 */
async function moveArchiveMonths(manager: EntityManager, days: [number, number, number][]): Promise<void> {
  const moved = new Map<string, [number, number, number]>();
  for (const [y, m, d] of days) {
    const month = moved.get(`${y}-${m}`) ?? [y, m, 0];
    month[2] += d;
    moved.set(`${y}-${m}`, month);
  }
  const rows = [...moved.values()].filter(([, , d]) => d !== 0);
  if (rows.length === 0) return;
  const add = dialectOf(manager) === "mysql" ? "ON DUPLICATE KEY UPDATE article_count = article_count + VALUES(article_count)" : "ON CONFLICT (year, month) DO UPDATE SET article_count = article_count + excluded.article_count";
  await manager.query(`INSERT INTO archive_month (year, month, article_count) VALUES ${rows.map(() => "(?, ?, ?)").join(", ")} ${add}`, rows.flat());
}

/** Year, month and day of a.published_at (UTC, as stored). */
function dayParts(manager: EntityManager): [string, string, string] {
  return dialectOf(manager) === "mysql"
    ? ["YEAR(a.published_at)", "MONTH(a.published_at)", "DAY(a.published_at)"]
    : ["CAST(strftime('%Y', a.published_at) AS INTEGER)", "CAST(strftime('%m', a.published_at) AS INTEGER)", "CAST(strftime('%d', a.published_at) AS INTEGER)"];
}

/** The per-day counts computed from the articles themselves (what the summary must always equal). */
export function archiveGroupBySql(manager: EntityManager): string {
  const parts = dayParts(manager);
  return `SELECT ${parts[0]} AS year, ${parts[1]} AS month, ${parts[2]} AS day, COUNT(*) AS article_count
          FROM article a WHERE ${listedArticleSql()} GROUP BY ${parts.join(", ")}`;
}

/** Recomputes the whole summary; used after bulk loads. */
export async function rebuildArchive(manager: EntityManager): Promise<void> {
  await manager.query("DELETE FROM archive_day");
  await manager.query(`INSERT INTO archive_day (year, month, day, article_count) ${archiveGroupBySql(manager)}`);
  await manager.query("DELETE FROM archive_month");
  await manager.query("INSERT INTO archive_month (year, month, article_count) SELECT year, month, SUM(article_count) FROM archive_day GROUP BY year, month");
}

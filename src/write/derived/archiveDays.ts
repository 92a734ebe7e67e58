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
  if (days.length === 0) return;
  const mysql = dialectOf(manager) === "mysql";
  for (const day of days) {
    const [y, m, d] = day.split("-").map(Number);
    const start = new Date(Date.UTC(y, m - 1, d));
    const end = new Date(Date.UTC(y, m - 1, d + 1));
    const count = `(SELECT COUNT(*) FROM article a WHERE ${listedArticleSql()} AND a.published_at >= ? AND a.published_at < ?)`;
    const sql = mysql
      ? `INSERT INTO archive_day (year, month, day, article_count) SELECT ?, ?, ?, ${count} ON DUPLICATE KEY UPDATE article_count = VALUES(article_count)`
      : `INSERT INTO archive_day (year, month, day, article_count) SELECT ?, ?, ?, ${count} WHERE 1 ON CONFLICT (year, month, day) DO UPDATE SET article_count = excluded.article_count`;
    await manager.query(sql, [y, m, d, toDbTime(start), toDbTime(end)]);
  }
}

/** The per-day counts computed from the articles themselves (what the summary must always equal). */
export function archiveGroupBySql(manager: EntityManager): string {
  const parts =
    dialectOf(manager) === "mysql"
      ? ["YEAR(a.published_at)", "MONTH(a.published_at)", "DAY(a.published_at)"]
      : ["CAST(strftime('%Y', a.published_at) AS INTEGER)", "CAST(strftime('%m', a.published_at) AS INTEGER)", "CAST(strftime('%d', a.published_at) AS INTEGER)"];
  return `SELECT ${parts[0]} AS year, ${parts[1]} AS month, ${parts[2]} AS day, COUNT(*) AS article_count
          FROM article a WHERE ${listedArticleSql()} GROUP BY ${parts.join(", ")}`;
}

/** Recomputes the whole summary; used after bulk loads. */
export async function rebuildArchive(manager: EntityManager): Promise<void> {
  await manager.query("DELETE FROM archive_day");
  await manager.query(`INSERT INTO archive_day (year, month, day, article_count) ${archiveGroupBySql(manager)}`);
}

import type { DataSource } from "typeorm";
import { dialectOf } from "../db/dialect";
import { utcDay } from "../db/time";

/** Counts one view of an article, in its total and in today's tally. */
export async function recordViewNow(ds: DataSource, articleId: number, now = new Date()): Promise<void> {
  const day = utcDay(now);
  await ds.transaction(async (m) => {
    await m.query("UPDATE article SET views = views + 1 WHERE id = ?", [articleId]);
    await m.query(
      dialectOf(ds) === "mysql"
        ? "INSERT INTO article_view_day (article_id, day, views) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE views = views + 1"
        : "INSERT INTO article_view_day (article_id, day, views) VALUES (?, ?, 1) ON CONFLICT (article_id, day) DO UPDATE SET views = views + 1",
      [articleId, day],
    );
  });
}

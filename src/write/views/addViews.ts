import type { DataSource } from "typeorm";
import { dialectOf, placeholders } from "../../db/dialect";

/** Views of one article on one UTC day (YYYY-MM-DD). */
export interface DayViews {
  articleId: number;
  day: string;
  views: number;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

// Rows per statement, so that a flush stays under every driver's limit on
// bound parameters (3 per row; SQLite allows 32766, MariaDB 65535). A flush
// reaches it only with more distinct (article, day) pairs than this.
const ROWS_PER_STATEMENT = 5000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The statements that add buffered views: one multi-row upsert into
 * article_view_day and one UPDATE ... CASE of article.views and of its copy
 * article_tag.listed_views (per 5,000 rows). The day rows are joined to article so that views of an article
 * removed since they were counted are dropped instead of failing the
 * foreign key, and with it every later flush.
 */
export function addViewsSql(ds: DataSource, days: DayViews[]): Statement[] {
  const mysql = dialectOf(ds) === "mysql";
  const sorted = [...days].sort((a, b) => a.articleId - b.articleId || (a.day < b.day ? -1 : 1));
  const statements: Statement[] = [];
  for (const rows of chunks(sorted, ROWS_PER_STATEMENT)) {
    const params = rows.flatMap((r) => [r.articleId, r.day, r.views]);
    statements.push({
      sql: mysql
        ? `INSERT INTO article_view_day (article_id, day, views)
           SELECT v.article_id, v.day, v.views
           FROM (${rows.map((_, i) => (i === 0 ? "SELECT ? AS article_id, ? AS day, ? AS views" : "SELECT ?, ?, ?")).join(" UNION ALL ")}) v
           JOIN article a ON a.id = v.article_id
           ON DUPLICATE KEY UPDATE views = article_view_day.views + VALUES(views)`
        : `INSERT INTO article_view_day (article_id, day, views)
           SELECT v.column1, v.column2, v.column3
           FROM (VALUES ${rows.map(() => "(?, ?, ?)").join(", ")}) v
           JOIN article a ON a.id = v.column1
           WHERE true
           ON CONFLICT (article_id, day) DO UPDATE SET views = article_view_day.views + excluded.views`,
      params,
    });
  }
  const totals = new Map<number, number>();
  for (const r of sorted) totals.set(r.articleId, (totals.get(r.articleId) ?? 0) + r.views);
  for (const ids of chunks([...totals.keys()], ROWS_PER_STATEMENT)) {
    const cases = ids.flatMap((id) => [id, totals.get(id)]);
    statements.push({
      sql: `UPDATE article SET views = views + CASE id ${ids.map(() => "WHEN ? THEN ?").join(" ")} ELSE 0 END WHERE id IN (${placeholders(ids.length)})`,
      params: [...cases, ...ids],
    });
    // The listed articles' copy on their tags (tagListing.ts), which orders a tag's list by views.
    statements.push({
      sql: `UPDATE article_tag SET listed_views = listed_views + CASE article_id ${ids.map(() => "WHEN ? THEN ?").join(" ")} ELSE 0 END
            WHERE article_id IN (${placeholders(ids.length)}) AND listed_views IS NOT NULL`,
      params: [...cases, ...ids],
    });
  }
  return statements;
}

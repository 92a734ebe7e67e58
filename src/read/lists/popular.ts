import type { Article } from "../../../entities";
import type { Reader } from "../reader";
import { ARTICLE_TEASER_COLUMNS, toArticle } from "../rows";
import { utcDay } from "../../db/time";
import { listedArticleSql } from "../viewer";

export enum PopularWindow {
  DAY = "DAY",
  WEEK = "WEEK",
  MONTH = "MONTH",
  ALL_TIME = "ALL_TIME",
}

/** Days a window spans, today (UTC) included. */
const WINDOW_DAYS: Record<Exclude<PopularWindow, PopularWindow.ALL_TIME>, number> = {
  [PopularWindow.DAY]: 1,
  [PopularWindow.WEEK]: 7,
  [PopularWindow.MONTH]: 30,
};

/** The first day (YYYY-MM-DD) a window counts; null for all time. */
export function windowStart(window: PopularWindow, now: Date): string | null {
  if (window === PopularWindow.ALL_TIME) return null;
  return utcDay(new Date(now.getTime() - (WINDOW_DAYS[window] - 1) * 86_400_000));
}

/** Views summed per article over the window's per-day rows: what the kept ranking (popularRanking.ts) holds the top of. */
function summedWindow(since: string, listed: string, rubricParams: unknown[], first: number, guard = "", guardParams: unknown[] = []) {
  return {
    sql: `SELECT a.id AS article_id, 0 AS tier, w.views AS score
          FROM (SELECT v.article_id, SUM(v.views) AS views FROM article_view_day v WHERE v.day >= ?${guard} GROUP BY v.article_id) w
          JOIN article a ON a.id = w.article_id
          WHERE ${listed} AND w.views > 0 ORDER BY w.views DESC, a.published_at DESC, a.id DESC LIMIT ?`,
    params: [since, ...guardParams, ...rubricParams, first],
  };
}

/**
 * The window's most-viewed listed articles. Without a rubric, read from the
 * kept ranking (popularRanking.ts) when it was ranked for today: at most
 * POPULAR_RANK_SIZE rows, the readers' predicate applied to them here.
 * Otherwise summed over the window's per-day rows: with a rubric (the kept
 * ranking is site-wide, so a rubric's top may lie below its cut), and on a
 * day the ranking has not reached yet (a new day before the view counter's
 * next flush ranked it again, or a database no counter has flushed to).
 * Both parts are in the one statement; the guard on popular_span, a
 * primary-key lookup that does not depend on the rows, leaves exactly one
 * of them any rows to read.
 */
function viewedInWindow(window: PopularWindow, since: string, today: string, listed: string, rubricParams: unknown[], first: number) {
  if (rubricParams.length > 0) return summedWindow(since, listed, rubricParams, first);
  const fresh = "EXISTS (SELECT 1 FROM popular_span s WHERE s.span = ? AND s.as_of = ?)";
  const summed = summedWindow(since, listed, rubricParams, first, ` AND NOT ${fresh}`, [window, today]);
  return {
    sql: `SELECT * FROM (SELECT a.id AS article_id, 0 AS tier, r.views AS score FROM popular_rank r JOIN article a ON a.id = r.article_id
            WHERE r.span = ? AND ${fresh} AND ${listed} ORDER BY r.views DESC, a.published_at DESC, a.id DESC LIMIT ?) kept
          UNION ALL SELECT * FROM (${summed.sql}) summed`,
    params: [window, window, today, first, ...summed.params],
  };
}

/**
 * Listed articles ranked by views in the window. A young window (few or no
 * views yet) is filled from the site's latest imported `popular`
 * collection, in its order, then with the newest articles, without
 * repeating one. The three sources are ranked in one statement: each gives
 * at most `first` rows (that is all the result can use from it), the union
 * keeps each article's best source, and the outer query orders and cuts.
 */
export async function popularArticles(
  db: Reader,
  opts: { first: number; window: PopularWindow; rubric?: string | null; now?: Date },
): Promise<Article[]> {
  const rubric = opts.rubric
    ? ` AND EXISTS (SELECT 1 FROM article_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.article_id = a.id AND t.kind = 'RUBRIC' AND t.slug = ?)`
    : "";
  const rubricParams = opts.rubric ? [opts.rubric] : [];
  const listed = `${listedArticleSql()}${rubric}`;
  const now = opts.now ?? new Date();
  const since = windowStart(opts.window, now);
  const viewed =
    since === null
      ? { sql: `SELECT a.id AS article_id, 0 AS tier, a.views AS score FROM article a WHERE ${listed} AND a.views > 0 ORDER BY a.views DESC, a.published_at DESC, a.id DESC LIMIT ?`, params: [...rubricParams, opts.first] }
      : viewedInWindow(opts.window, since, utcDay(now), listed, rubricParams, opts.first);
  const rows = await db.read(
    `SELECT ${ARTICLE_TEASER_COLUMNS} FROM (
       SELECT u.article_id, u.tier, u.score, ROW_NUMBER() OVER (PARTITION BY u.article_id ORDER BY u.tier) AS dup
       FROM (
         SELECT * FROM (${viewed.sql}) viewed
         UNION ALL
         SELECT * FROM (
           SELECT a.id AS article_id, 1 AS tier, -ci.position AS score
           FROM collection_item ci JOIN article a ON a.id = ci.article_id
           WHERE ci.collection_id = (SELECT c.id FROM collection c WHERE c.slug = 'popular' ORDER BY c.captured_at DESC, c.id DESC LIMIT 1)
             AND ${listed}
           ORDER BY ci.position LIMIT ?) site_list
         UNION ALL
         SELECT * FROM (
           SELECT a.id AS article_id, 2 AS tier, 0 AS score FROM article a WHERE ${listed}
           ORDER BY a.published_at DESC, a.id DESC LIMIT ?) newest
       ) u
     ) r JOIN article a ON a.id = r.article_id
     WHERE r.dup = 1
     ORDER BY r.tier, r.score DESC, a.published_at DESC, a.id DESC
     LIMIT ?`,
    [...viewed.params, ...rubricParams, opts.first, ...rubricParams, opts.first, opts.first],
  );
  return rows.map(toArticle);
}

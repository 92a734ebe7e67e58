import type { Article } from "../../../entities";
import type { Reader } from "../reader";
import { ARTICLE_AUTHOR_COLUMNS, ARTICLE_AUTHOR_JOIN, ARTICLE_TEASER_COLUMNS, type Row, toArticleWithAuthor } from "../rows";
import { fromDbTime, utcDay } from "../../db/time";
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

/**
 * Ordered parts (each a SELECT with its own ORDER BY and LIMIT) as one
 * UNION ALL: parenthesised on MariaDB, as subqueries on SQLite, which takes
 * no parentheses around a compound's parts.
 */
function unionOfOrdered(db: Reader, parts: string[]): string {
  return db.dialect === "mysql" ? parts.map((p) => `(${p})`).join(" UNION ALL ") : parts.map((p) => `SELECT * FROM (${p})`).join(" UNION ALL ");
}

/**
 * Sources are told apart in one sort key: a source's rank (views negated,
 * so that more views sort first; a list position) plus its tier times this
 * span, so that every row of a better source sorts before any of a worse
 * one. Views and positions stay far below it, and twice it is still an
 * exact integer in both databases and in JavaScript.
 */
const TIER_SPAN = 2 ** 40;

/** What a request puts into the statement: its values, never its text. */
interface Values {
  window: PopularWindow;
  /** First day of the window (null: all time), and today, as YYYY-MM-DD. */
  since: string | null;
  today: string;
  rubric: string | null;
  first: number;
}

interface Part {
  /** Selects (article_id, rank_key, published_at): narrow rows, so that no wide temporary table is made. */
  sql: string;
  params: (v: Values) => unknown[];
}

const rubricOf = (v: Values): unknown[] => (v.rubric ? [v.rubric] : []);

/** Views summed per article over the window's per-day rows: what the kept ranking (popularRanking.ts) holds the top of. */
function summedWindow(listed: string, guard = "", guardParams: (v: Values) => unknown[] = () => []): Part {
  return {
    sql: `SELECT a.id AS article_id, -w.views AS rank_key, a.published_at
          FROM (SELECT v.article_id, SUM(v.views) AS views FROM article_view_day v WHERE v.day >= ?${guard} GROUP BY v.article_id) w
          JOIN article a ON a.id = w.article_id
          WHERE ${listed} AND w.views > 0 ORDER BY w.views DESC, a.published_at DESC, a.id DESC LIMIT ?`,
    params: (v) => [v.since, ...guardParams(v), ...rubricOf(v), v.first],
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
function viewedInWindow(listed: string, byRubric: boolean): Part[] {
  if (byRubric) return [summedWindow(listed)];
  const fresh = "EXISTS (SELECT 1 FROM popular_span s WHERE s.span = ? AND s.as_of = ?)";
  return [
    {
      sql: `SELECT a.id AS article_id, -r.views AS rank_key, a.published_at FROM popular_rank r JOIN article a ON a.id = r.article_id
            WHERE r.span = ? AND ${fresh} AND ${listed} ORDER BY r.views DESC, a.published_at DESC, a.id DESC LIMIT ?`,
      params: (v) => [v.window, v.window, v.today, v.first],
    },
    summedWindow(listed, ` AND NOT ${fresh}`, (v) => [v.window, v.today]),
  ];
}

/**
 * The statement for one shape of request (dialect, a window or all time,
 * with a rubric or not) and how its parameters follow from the request's
 * values. The text depends on the shape alone, so it is made once per
 * shape: the same string every time, as the prepared-statement cache keys
 * it.
 */
function popularStatement(db: Reader, allTime: boolean, byRubric: boolean): { sql: string; params: (v: Values) => unknown[] } {
  const rubric = byRubric
    ? ` AND EXISTS (SELECT 1 FROM article_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.article_id = a.id AND t.kind = 'RUBRIC' AND t.slug = ?)`
    : "";
  const listed = `${listedArticleSql()}${rubric}`;
  const viewed: Part[] = allTime
    ? [
        {
          sql: `SELECT a.id AS article_id, -a.views AS rank_key, a.published_at FROM article a
                WHERE ${listed} AND a.views > 0 ORDER BY a.views DESC, a.published_at DESC, a.id DESC LIMIT ?`,
          params: (v) => [...rubricOf(v), v.first],
        },
      ]
    : viewedInWindow(listed, byRubric);
  const parts: Part[] = [
    ...viewed,
    {
      sql: `SELECT a.id AS article_id, ${TIER_SPAN} + ci.position AS rank_key, a.published_at
            FROM collection_item ci JOIN article a ON a.id = ci.article_id
            WHERE ci.collection_id = (SELECT c.id FROM collection c WHERE c.slug = 'popular' ORDER BY c.captured_at DESC, c.id DESC LIMIT 1)
              AND ${listed}
            ORDER BY ci.position LIMIT ?`,
      params: (v) => [...rubricOf(v), v.first],
    },
    {
      sql: `SELECT a.id AS article_id, ${2 * TIER_SPAN} AS rank_key, a.published_at FROM article a
            WHERE ${listed} ORDER BY a.published_at DESC, a.id DESC LIMIT ?`,
      params: (v) => [...rubricOf(v), v.first],
    },
  ];
  return {
    sql: `SELECT b.rank_key, ${ARTICLE_TEASER_COLUMNS}, ${ARTICLE_AUTHOR_COLUMNS} FROM (
       SELECT u.article_id, MIN(u.rank_key) AS rank_key, MAX(u.published_at) AS published_at
       FROM (${unionOfOrdered(
         db,
         parts.map((p) => p.sql),
       )}) u
       GROUP BY u.article_id
       ORDER BY rank_key, published_at DESC, u.article_id DESC
       LIMIT ?
     ) b JOIN article a ON a.id = b.article_id ${ARTICLE_AUTHOR_JOIN}`,
    params: (v) => {
      const params: unknown[] = [];
      for (const part of parts) params.push(...part.params(v));
      params.push(v.first);
      return params;
    },
  };
}

const statements = new Map<string, ReturnType<typeof popularStatement>>();

const timeOf = (v: unknown) => fromDbTime(v)?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Best source and rank first, then newer, then higher id: the order the list is shown in (and the statement cuts by). */
function byRank(x: Row, y: Row): number {
  return Number(x.rank_key) - Number(y.rank_key) || timeOf(y.published_at) - timeOf(x.published_at) || Number(y.id) - Number(x.id);
}

/**
 * Listed articles ranked by views in the window. A young window (few or no
 * views yet) is filled from the site's latest imported `popular`
 * collection, in its order, then with the newest articles, without
 * repeating one.
 *
 * One statement: each source gives at most `first` article ids in its own
 * index order (all the result can use from it); the ids are grouped, each
 * article kept at its best source, ordered and cut; only then are the
 * articles' columns read, for the `first` rows shown. Ranking narrow rows
 * keeps MariaDB's temporary tables in memory (a wide row, with the lead's
 * text, would send each to disk), and no window function is needed. The
 * rows come back in no particular order and are put in order here.
 */
export async function popularArticles(
  db: Reader,
  opts: { first: number; window: PopularWindow; rubric?: string | null; now?: Date },
): Promise<Article[]> {
  const now = opts.now ?? new Date();
  const since = windowStart(opts.window, now);
  const byRubric = Boolean(opts.rubric);
  const shape = `${db.dialect ?? ""}|${since === null}|${byRubric}`;
  let statement = statements.get(shape);
  if (!statement) statements.set(shape, (statement = popularStatement(db, since === null, byRubric)));
  const values: Values = { window: opts.window, since, today: utcDay(now), rubric: opts.rubric || null, first: opts.first };
  const rows = await db.read(statement.sql, statement.params(values));
  return rows.sort(byRank).map(toArticleWithAuthor);
}

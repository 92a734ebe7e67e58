import type mysql from "mysql2/promise";
import { PARAGRAPH_SEPARATOR } from "../entities";
import { toDbTime, utcDay } from "../src/db/time";
import { toGlobalId } from "../src/graphql/globalId";
import { decodeCursor, encodeCursor } from "../src/read/paging/pages";
import { monthLabel } from "../src/read/lists/archive";
import { ArticleOrder } from "../src/read/paging/articleOrder";
import { PopularWindow, windowStart } from "../src/read/lists/popular";

// The hand-written floor: the article page and the front page as a careful
// engineer would serve them with node:http and mysql2 alone, with queries
// of its own over the gateway's tables and nothing the gateway does not
// also keep (no table of its own). Each query reads the few rows its page
// shows: the article by its slug index, the next page of articles by a
// keyset seek, the week's views by their day index, the archive's months
// from the day summary, and the kept "read also" neighbours only when
// the editors' edges do not fill the list. The benchmark checks that it
// answers exactly what the gateway answers. Where the schema keeps what the
// gateway reads (the kept counts in article_count, the kept popular ranking
// in popular_rank, the month counts in archive_month), the floor reads it too; on a database without them it
// counts and sums as the gateway did before them.

type Row = Record<string, unknown>;
const PAGE_COLUMNS = "a.id, a.slug, a.path, a.title, a.lead, a.body, a.published_at, a.status, a.views, a.photo_credit, a.language, a.author_id";
const LISTED = "a.status = 'PUBLISHED' AND a.deleted_at IS NULL";
const POPULAR = 10;
const RELATED = 4;

const iso = (v: unknown) => (v === null || v === undefined ? null : (v as Date).toISOString());
const num = (v: unknown) => Number(v);

export class BadRequest extends Error {}

export interface HandFloor {
  ArticlePage(vars: Record<string, unknown>): Promise<unknown>;
  FrontPage(vars: Record<string, unknown>): Promise<unknown>;
}

export async function createHandFloor(pool: mysql.Pool): Promise<HandFloor> {
  const q = async (sql: string, params: unknown[] = []): Promise<Row[]> => (await pool.query(sql, params))[0] as Row[];
  const columns = new Set((await q("SELECT CONCAT(table_name, '.', column_name) AS c FROM information_schema.columns WHERE table_schema = DATABASE()")).map((r) => String(r.c)));
  const keptTagCounts = columns.has("article_count.article_count");
  const keptRanking = columns.has("popular_rank.views");
  const keptMonths = columns.has("archive_month.article_count");

  /** Listed articles ranked by the week's views, then the site's list, then the newest; each source asked only while the list is short. */
  async function popular(columnsSql: string): Promise<Row[]> {
    const now = new Date();
    const since = windowStart(PopularWindow.WEEK, now);
    const out: Row[] = [];
    const seen = new Set<number>();
    const add = (rows: Row[]) => {
      for (const r of rows) if (out.length < POPULAR && !seen.has(num(r.id))) (seen.add(num(r.id)), out.push(r));
    };
    const summed = (guard: string) =>
      `SELECT ${columnsSql}, w.n AS score, a.published_at AS pub_at FROM (SELECT v.article_id, SUM(v.views) AS n FROM article_view_day v WHERE v.day >= ?${guard} GROUP BY v.article_id) w
         JOIN article a ON a.id = w.article_id WHERE ${LISTED} AND w.n > 0 ORDER BY w.n DESC, a.published_at DESC, a.id DESC LIMIT ${POPULAR}`;
    if (keptRanking) {
      // The kept ranking when it was made for today, else the week summed (the guard leaves one of the two parts any rows).
      const fresh = "EXISTS (SELECT 1 FROM popular_span s WHERE s.span = 'WEEK' AND s.as_of = ?)";
      const rows = await q(
        `SELECT * FROM (SELECT ${columnsSql}, r.views AS score, a.published_at AS pub_at FROM popular_rank r JOIN article a ON a.id = r.article_id
            WHERE r.span = 'WEEK' AND ${fresh} AND ${LISTED} ORDER BY r.views DESC, a.published_at DESC, a.id DESC LIMIT ${POPULAR}) kept
         UNION ALL SELECT * FROM (${summed(` AND NOT ${fresh}`)}) computed`,
        [utcDay(now), since, utcDay(now)],
      );
      add(rows.sort((x, y) => num(y.score) - num(x.score) || (y.pub_at as Date).getTime() - (x.pub_at as Date).getTime() || num(y.id) - num(x.id)));
    } else {
      add(await q(summed(""), [since]));
    }
    if (out.length < POPULAR) {
      add(
        await q(
          `SELECT ${columnsSql} FROM collection_item ci JOIN article a ON a.id = ci.article_id
            WHERE ci.collection_id = (SELECT c.id FROM collection c WHERE c.slug = 'popular' ORDER BY c.captured_at DESC, c.id DESC LIMIT 1) AND ${LISTED}
            ORDER BY ci.position LIMIT ${POPULAR}`,
        ),
      );
    }
    if (out.length < POPULAR) add(await q(`SELECT ${columnsSql} FROM article a FORCE INDEX (article_status_published) WHERE ${LISTED} ORDER BY a.published_at DESC, a.id DESC LIMIT ${POPULAR * 2}`));
    return out;
  }

  async function archive() {
    const rows = await q(
      keptMonths
        ? "SELECT year, month, article_count AS n FROM archive_month WHERE article_count > 0 ORDER BY year DESC, month DESC"
        : "SELECT year, month, SUM(article_count) AS n FROM archive_day WHERE article_count > 0 GROUP BY year, month ORDER BY year DESC, month DESC",
    );
    const years: { year: number; count: number; months: { month: number; label: string; count: number }[] }[] = [];
    for (const r of rows) {
      const y = num(r.year);
      let node = years[years.length - 1];
      if (!node || node.year !== y) years.push((node = { year: y, count: 0, months: [] }));
      node.months.push({ month: num(r.month), label: monthLabel(num(r.month), "ru"), count: num(r.n) });
      node.count += num(r.n);
    }
    return { years };
  }

  /**
   * Editorial edges first; then, only for the places they leave, the
   * neighbours the gateway keeps ranked per article (article_neighbours, a
   * JSON array of ids best first): one primary-key row and the first few
   * ids, with the readers' predicate applied to each.
   */
  async function related(id: number) {
    const visible = "e.deleted_at IS NULL AND e.status <> 'DRAFT'";
    const edges = await q(
      `SELECT e.id, e.slug, e.path, e.title, e.status FROM article_related r JOIN article e ON e.id = r.related_id
        WHERE r.article_id = ? AND r.related_id <> r.article_id AND ${visible} ORDER BY r.position LIMIT ${RELATED}`,
      [id],
    );
    if (edges.length >= RELATED) return edges;
    const neighbours = await q(
      `SELECT e.id, e.slug, e.path, e.title, e.status FROM article_neighbours n
         CROSS JOIN JSON_TABLE(n.neighbour_ids, '$[*]' COLUMNS (rn FOR ORDINALITY, id INT PATH '$')) j
         JOIN article e ON e.id = j.id
       WHERE n.article_id = ? AND j.rn <= ${RELATED} AND e.status = 'PUBLISHED' AND e.deleted_at IS NULL ORDER BY j.rn`,
      [id],
    );
    const seen = new Set(edges.map((e) => num(e.id)));
    return [...edges, ...neighbours.filter((n) => !seen.has(num(n.id)))].slice(0, RELATED);
  }

  const tagRef = (r: Row) => ({ id: toGlobalId("Tag", num(r.id)), name: r.name, slug: r.slug });

  async function ArticlePage(vars: Record<string, unknown>) {
    const [[a], top, nav] = await Promise.all([
      q(
        `SELECT ${PAGE_COLUMNS}, au.name AS author_name, au.email AS author_email, au.slug AS author_slug
           FROM article a LEFT JOIN author au ON au.id = a.author_id WHERE a.slug = ? AND a.deleted_at IS NULL AND a.status <> 'DRAFT'`,
        [String(vars.slug)],
      ),
      popular("a.id, a.slug, a.path, a.title, a.views"),
      archive(),
    ]);
    let article = null;
    if (a) {
      const id = num(a.id);
      const [tags, rel] = await Promise.all([
        q("SELECT t.id, t.kind, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position", [id]),
        related(id),
      ]);
      article = {
        id: toGlobalId("Article", id),
        slug: a.slug,
        path: a.path,
        title: a.title,
        publishedAt: iso(a.published_at),
        status: a.status,
        views: num(a.views),
        lead: a.lead ?? null,
        paragraphs: a.body ? String(a.body).split(PARAGRAPH_SEPARATOR) : [],
        photoCredit: a.photo_credit ?? null,
        language: a.language,
        author: a.author_id === null ? null : { id: toGlobalId("Author", num(a.author_id)), name: a.author_name, email: a.author_email ?? null, slug: a.author_slug },
        rubrics: tags.filter((t) => t.kind === "RUBRIC").map(tagRef),
        hashtags: tags.filter((t) => t.kind === "HASHTAG").map(tagRef),
        related: rel.map((r) => ({ id: toGlobalId("Article", num(r.id)), slug: r.slug, path: r.path, title: r.title, status: r.status })),
      };
    }
    return { article, popular: top.map((p) => ({ id: toGlobalId("Article", num(p.id)), slug: p.slug, path: p.path, title: p.title, views: num(p.views) })), archive: nav };
  }

  async function FrontPage(vars: Record<string, unknown>) {
    const first = (vars.first as number | undefined) ?? 20;
    if (!Number.isInteger(first) || first < 0 || first > 100) throw new BadRequest(`first must be between 0 and 100, got ${first}.`);
    const order = ArticleOrder.PUBLISHED_AT_DESC;
    let after: { value: string | number; id: number } | null = null;
    if (typeof vars.after === "string") {
      try {
        after = decodeCursor(vars.after, order, "after");
      } catch (e) {
        throw new BadRequest(e instanceof Error ? e.message : String(e));
      }
    }
    const teaserColumns = "a.id, a.slug, a.path, a.title, a.lead, a.published_at, a.views, a.photo_credit, a.author_id";
    const [latestRows, top, rubrics] = await Promise.all([
      q(
        `SELECT ${teaserColumns} FROM article a FORCE INDEX (article_status_published) WHERE ${LISTED}
           ${after ? "AND a.published_at <= ? AND (a.published_at < ? OR a.id < ?)" : ""}
         ORDER BY a.published_at DESC, a.id DESC LIMIT ${first + 1}`,
        after ? [after.value, after.value, after.id] : [],
      ),
      popular(teaserColumns),
      q(
        keptTagCounts
          ? "SELECT t.id, t.slug, t.name, (SELECT COALESCE(SUM(c.article_count), 0) FROM article_count c WHERE c.dimension = 'tag' AND c.key_id = t.id) AS n FROM tag t WHERE t.kind = 'RUBRIC' ORDER BY t.name, t.id"
          : "SELECT t.id, t.slug, t.name, (SELECT COUNT(*) FROM article_tag at WHERE at.tag_id = t.id AND at.listed_at IS NOT NULL) AS n FROM tag t WHERE t.kind = 'RUBRIC' ORDER BY t.name, t.id",
      ),
    ]);
    const latest = latestRows.slice(0, first);
    const teasers = [...latest, ...top];
    const ids = [...new Set(teasers.map((t) => num(t.id)))];
    const authorIds = [...new Set(teasers.map((t) => t.author_id).filter((x) => x !== null).map(num))];
    const [authors, tags] = await Promise.all([
      authorIds.length ? q(`SELECT id, name, slug FROM author WHERE id IN (${authorIds.map(() => "?").join(", ")})`, authorIds) : [],
      ids.length
        ? q(
            `SELECT at.article_id, t.id, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id
              WHERE at.article_id IN (${ids.map(() => "?").join(", ")}) AND t.kind = 'RUBRIC' ORDER BY at.article_id, at.position`,
            ids,
          )
        : [],
    ]);
    const authorOf = new Map(authors.map((x) => [num(x.id), x]));
    const rubricsOf = new Map<number, Row[]>();
    for (const t of tags) rubricsOf.set(num(t.article_id), [...(rubricsOf.get(num(t.article_id)) ?? []), t]);
    const teaser = (a: Row) => {
      const au = a.author_id === null ? undefined : authorOf.get(num(a.author_id));
      return {
        id: toGlobalId("Article", num(a.id)),
        slug: a.slug,
        path: a.path,
        title: a.title,
        lead: a.lead ?? null,
        publishedAt: iso(a.published_at),
        views: num(a.views),
        photoCredit: a.photo_credit ?? null,
        author: au ? { id: toGlobalId("Author", num(au.id)), name: au.name, slug: au.slug } : null,
        rubrics: (rubricsOf.get(num(a.id)) ?? []).map(tagRef),
      };
    };
    const edges = latest.map((a) => ({ cursor: encodeCursor({ order, value: toDbTime(a.published_at as Date), id: num(a.id) }), node: teaser(a) }));
    return {
      latest: { edges, pageInfo: { hasNextPage: latestRows.length > first, endCursor: edges[edges.length - 1]?.cursor ?? null } },
      popular: top.map(teaser),
      rubrics: rubrics.map((r) => ({ id: toGlobalId("Tag", num(r.id)), slug: r.slug, name: r.name, articleCount: num(r.n) })),
    };
  }

  return { ArticlePage, FrontPage };
}

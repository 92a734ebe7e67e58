import http from "node:http";
import mysql from "mysql2/promise";

// The floor: what the article page and the front page cost without
// GraphQL and without an ORM. A hand-written node:http server sends the
// statements a well-batched gateway sends (the same SQL text, the same
// rounds: three independent reads, then one read per relation) and builds
// the same JSON the gateway answers with. The benchmark reports the
// gateway's throughput as a share of this one's, measured side by side.
//
// Usage: node dist/bench/floor.js <mysql://.../database> <port>

type Row = Record<string, any>;

const ARTICLE_COLUMNS =
  "a.id, a.slug, a.path, a.title, a.title_key, a.lead, a.body, a.published_at, a.status, a.views, a.photo_credit, a.language, a.author_id, a.created_at, a.updated_at, a.deleted_at";
const LISTED = "a.deleted_at IS NULL AND a.status = 'PUBLISHED'";
const VISIBLE = "a.deleted_at IS NULL AND a.status <> 'DRAFT'";
const ORDER = "PUBLISHED_AT_DESC";
const MONTHS = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"];

const SQL = {
  articleBySlug: `SELECT ${ARTICLE_COLUMNS} FROM article a WHERE a.slug IN (?) AND ${VISIBLE}`,
  popular: `SELECT ${ARTICLE_COLUMNS} FROM article a WHERE ${LISTED} ORDER BY a.views DESC, a.published_at DESC, a.id DESC LIMIT ?`,
  archive: "SELECT year, month, day, article_count FROM archive_day WHERE article_count > 0 ORDER BY year DESC, month DESC, day DESC",
  latest: `SELECT ${ARTICLE_COLUMNS} FROM article a WHERE ${LISTED} ORDER BY a.published_at DESC, a.id DESC LIMIT ?`,
  latestAfter: `SELECT ${ARTICLE_COLUMNS} FROM article a WHERE ${LISTED} AND (a.published_at < ? OR (a.published_at = ? AND a.id < ?)) ORDER BY a.published_at DESC, a.id DESC LIMIT ?`,
  rubrics: "SELECT t.id, t.kind, t.name, t.slug FROM tag t WHERE t.kind = ? ORDER BY t.name, t.id",
  authors: (n: number) => `SELECT au.id, au.name, au.slug, au.email FROM author au WHERE au.id IN (${marks(n)})`,
  tags: (n: number) =>
    `SELECT at.article_id AS parent_id, t.id, t.kind, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id
       WHERE at.article_id IN (${marks(n)}) ORDER BY at.article_id, at.position`,
  related: (n: number) =>
    `SELECT r.article_id AS parent_id, ${ARTICLE_COLUMNS} FROM article_related r JOIN article a ON a.id = r.related_id
       WHERE r.article_id IN (${marks(n)}) AND ${VISIBLE} ORDER BY r.article_id, r.position`,
  tagCounts: (n: number) =>
    `SELECT at.tag_id AS parent_id, COUNT(*) AS n FROM article_tag at JOIN article a ON a.id = at.article_id
       WHERE at.tag_id IN (${marks(n)}) AND ${LISTED} GROUP BY at.tag_id`,
};

function marks(n: number): string {
  return new Array(n).fill("?").join(", ");
}

const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`, "utf8").toString("base64");
const dbTime = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const cursorOf = (a: Row) => Buffer.from(JSON.stringify([ORDER, dbTime(a.published_at), Number(a.id)]), "utf8").toString("base64url");

class BadRequest extends Error {}

function decodeCursor(raw: string): [string, number] {
  const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  if (!Array.isArray(parsed) || parsed[0] !== ORDER) throw new BadRequest("after is not a cursor of this list.");
  return [String(parsed[1]), Number(parsed[2])];
}

function groupByParent(rows: Row[]): Map<number, Row[]> {
  const m = new Map<number, Row[]>();
  for (const r of rows) {
    const id = Number(r.parent_id);
    const list = m.get(id);
    if (list) list.push(r);
    else m.set(id, [r]);
  }
  return m;
}

function archiveYears(rows: Row[]) {
  const years: { year: number; count: number; months: { month: number; label: string; count: number }[] }[] = [];
  for (const r of rows) {
    const y = Number(r.year);
    const m = Number(r.month);
    const n = Number(r.article_count);
    let year = years[years.length - 1];
    if (!year || year.year !== y) years.push((year = { year: y, count: 0, months: [] }));
    let month = year.months[year.months.length - 1];
    if (!month || month.month !== m) year.months.push((month = { month: m, label: MONTHS[m - 1], count: 0 }));
    month.count += n;
    year.count += n;
  }
  return years;
}

const tagRef = (t: Row, withId = true) => (withId ? { id: globalId("Tag", t.id), name: t.name, slug: t.slug } : { name: t.name, slug: t.slug });

export function createFloor(pool: mysql.Pool) {
  const q = async (sql: string, params: unknown[]) => (await pool.query(sql, params))[0] as Row[];

  async function articlePage(vars: Row) {
    const [found, popular, archive] = await Promise.all([q(SQL.articleBySlug, [vars.slug]), q(SQL.popular, [10]), q(SQL.archive, [])]);
    const a = found[0];
    let article = null;
    if (a) {
      const [authors, tags, related] = await Promise.all([
        a.author_id === null ? Promise.resolve([]) : q(SQL.authors(1), [a.author_id]),
        q(SQL.tags(1), [a.id]),
        q(SQL.related(1), [a.id]),
      ]);
      const au = authors[0];
      article = {
        id: globalId("Article", a.id),
        slug: a.slug,
        path: a.path,
        title: a.title,
        publishedAt: iso(a.published_at),
        status: a.status,
        views: a.views,
        lead: a.lead,
        paragraphs: a.body ? String(a.body).split("\n\n") : [],
        photoCredit: a.photo_credit,
        language: a.language,
        author: au ? { id: globalId("Author", au.id), name: au.name, email: au.email, slug: au.slug } : null,
        rubrics: tags.filter((t) => t.kind === "RUBRIC").map((t) => tagRef(t)),
        hashtags: tags.filter((t) => t.kind === "HASHTAG").map((t) => tagRef(t)),
        related: related.slice(0, 4).map((r) => ({ id: globalId("Article", r.id), slug: r.slug, path: r.path, title: r.title, status: r.status })),
      };
    }
    return {
      article,
      popular: popular.map((p) => ({ id: globalId("Article", p.id), slug: p.slug, path: p.path, title: p.title, views: p.views })),
      archive: { years: archiveYears(archive) },
    };
  }

  async function frontPage(vars: Row) {
    const first = vars.first ?? 20;
    if (!Number.isInteger(first) || first < 0 || first > 100) throw new BadRequest("first must be between 0 and 100.");
    const latestRows =
      first === 0
        ? Promise.resolve([])
        : vars.after
          ? (() => {
              const [value, id] = decodeCursor(String(vars.after));
              return q(SQL.latestAfter, [value, value, id, first + 1]);
            })()
          : q(SQL.latest, [first + 1]);
    const [latest, popular, rubrics] = await Promise.all([latestRows, q(SQL.popular, [10]), q(SQL.rubrics, ["RUBRIC"])]);
    const kept = latest.slice(0, first);
    const teasers = [...kept, ...popular];
    const articleIds = [...new Set(teasers.map((a) => Number(a.id)))];
    const authorIds = [...new Set(teasers.filter((a) => a.author_id !== null).map((a) => Number(a.author_id)))];
    const rubricIds = rubrics.map((r) => Number(r.id));
    const [authors, tags, counts] = await Promise.all([
      authorIds.length ? q(SQL.authors(authorIds.length), authorIds) : Promise.resolve([]),
      articleIds.length ? q(SQL.tags(articleIds.length), articleIds) : Promise.resolve([]),
      rubricIds.length ? q(SQL.tagCounts(rubricIds.length), rubricIds) : Promise.resolve([]),
    ]);
    const authorById = new Map(authors.map((au) => [Number(au.id), au]));
    const tagsByArticle = groupByParent(tags);
    const countByTag = new Map(counts.map((c) => [Number(c.parent_id), Number(c.n)]));
    const teaser = (a: Row) => {
      const au = a.author_id === null ? undefined : authorById.get(Number(a.author_id));
      return {
        id: globalId("Article", a.id),
        slug: a.slug,
        path: a.path,
        title: a.title,
        lead: a.lead,
        publishedAt: iso(a.published_at),
        views: a.views,
        photoCredit: a.photo_credit,
        author: au ? { id: globalId("Author", au.id), name: au.name, slug: au.slug } : null,
        rubrics: (tagsByArticle.get(Number(a.id)) ?? []).filter((t) => t.kind === "RUBRIC").map((t) => tagRef(t)),
      };
    };
    const edges = kept.map((a) => ({ cursor: cursorOf(a), node: teaser(a) }));
    return {
      latest: { edges, pageInfo: { hasNextPage: latest.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null } },
      popular: popular.map(teaser),
      rubrics: rubrics.map((r) => ({ id: globalId("Tag", r.id), slug: r.slug, name: r.name, articleCount: countByTag.get(Number(r.id)) ?? 0 })),
    };
  }

  const handlers: Record<string, (vars: Row) => Promise<unknown>> = { ArticlePage: articlePage, FrontPage: frontPage };

  return http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        const handler = handlers[request.operationName];
        if (!handler) throw new BadRequest(`The floor answers ${Object.keys(handlers).join(" and ")} only.`);
        const data = await handler(request.variables ?? {});
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ data }));
      } catch (e) {
        res.writeHead(e instanceof BadRequest ? 400 : 500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ errors: [{ message: e instanceof Error ? e.message : String(e) }] }));
      }
    });
  });
}

if (require.main === module) {
  const [url, port] = process.argv.slice(2);
  if (!url || !port) {
    console.error("Usage: node dist/bench/floor.js <mysql://.../database> <port>");
    process.exit(2);
  }
  // The gateway's pool settings (src/db/dataSource.ts), so that both wait on the database alike.
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: 10,
    queueLimit: 100,
    charset: "utf8mb4_unicode_ci",
    timezone: "Z",
    supportBigNumbers: true,
    enableKeepAlive: true,
  });
  const server = createFloor(pool).listen(Number(port), "127.0.0.1");
  process.on("SIGTERM", () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  });
}

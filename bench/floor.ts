import "reflect-metadata";
import http from "node:http";
import mysql from "mysql2/promise";
import { type Article, type Tag, TagKind } from "../entities";
import type { Reader } from "../src/read/reader";
import type { Row } from "../src/read/rows";
import { toGlobalId } from "../src/graphql/globalId";
import { createLoaders } from "../src/read/loaders";
import { RequestBatcher } from "../src/read/loaders/batcher";
import { config } from "../src/config";
import { pageRequest } from "../src/read/paging/pages";
import { loadArchive } from "../src/read/lists/archive";
import { listArticles } from "../src/read/lists/articleList";
import { ArticleOrder } from "../src/read/paging/articleOrder";
import { toPage } from "../src/read/paging/keyset";
import { PopularWindow, popularArticles } from "../src/read/lists/popular";
import { countReadWith, listTags } from "../src/read/lists/tagList";
import { READER } from "../src/read/viewer";
import { authorOfArticle } from "../src/read/loaders/authors";
import { BadRequest as HandBadRequest, createHandFloor } from "./handFloor";

// The GraphQL-overhead floor (bench/handFloor.ts is the hand-written one): what the article page and the front page cost without
// GraphQL (no parsing, validation, execution or resolvers) and without
// TypeORM (mysql2's pool directly). The statements are the gateway's own:
// its services and loaders build them, over a mysql2 Reader, so the floor
// cannot drift from the SQL the gateway sends. What is hand-written is the
// rest: the HTTP handling, the explicit rounds (three independent reads,
// then one read per relation) and the JSON. The benchmark checks that the
// JSON equals the gateway's data and reports the gateway's throughput as a
// share of this server's, measured back to back.
//
// Usage: node dist/bench/floor.js <mysql://.../database> <port>

class BadRequest extends Error {}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const tagRef = (t: Tag) => ({ id: toGlobalId("Tag", t.id), name: t.name, slug: t.slug });
const ofKind = (tags: Tag[], kind: TagKind) => tags.filter((t) => t.kind === kind).map(tagRef);

function archiveNav(years: Awaited<ReturnType<typeof loadArchive>>) {
  return { years: years.map((y) => ({ year: y.year, count: y.count, months: y.months.map((m) => ({ month: m.month, label: m.label, count: m.count })) })) };
}

export function createFloor(pool: mysql.Pool) {
  function requestScope() {
    // The gateway's per-request batching (src/graphql/context.ts), minus TypeORM.
    const batcher = new RequestBatcher();
    const reader: Reader = { read: (sql, params = []) => batcher.track(pool.query(sql, params).then(([rows]) => rows as Row[])), dialect: "mysql" };
    return { reader, loaders: createLoaders(reader, READER, batcher) };
  }

  async function articlePage(vars: Record<string, unknown>) {
    const { reader, loaders } = requestScope();
    const [a, popular, years] = await Promise.all([
      loaders.articleBySlug.load(String(vars.slug)),
      popularArticles(reader, { first: 10, window: PopularWindow.WEEK }),
      loadArchive(reader, { locale: "ru", days: false }),
    ]);
    let article = null;
    if (a) {
      const [author, tags, related] = await Promise.all([
        authorOfArticle(a, loaders.authorById),
        loaders.tagsByArticleId.load(a.id),
        loaders.relatedArticles.load({ articleId: a.id, first: 4 }),
      ]);
      article = {
        id: toGlobalId("Article", a.id),
        slug: a.slug,
        path: a.path,
        title: a.title,
        publishedAt: iso(a.publishedAt),
        status: a.status,
        views: a.views,
        lead: a.lead,
        paragraphs: a.paragraphs,
        photoCredit: a.photoCredit,
        language: a.language,
        author: author ? { id: toGlobalId("Author", author.id), name: author.name, email: author.email, slug: author.slug } : null,
        rubrics: ofKind(tags, TagKind.RUBRIC),
        hashtags: ofKind(tags, TagKind.HASHTAG),
        related: related.map((r) => ({ id: toGlobalId("Article", r.id), slug: r.slug, path: r.path, title: r.title, status: r.status })),
      };
    }
    return {
      article,
      popular: popular.map((p) => ({ id: toGlobalId("Article", p.id), slug: p.slug, path: p.path, title: p.title, views: p.views })),
      archive: archiveNav(years),
    };
  }

  async function frontPage(vars: Record<string, unknown>) {
    const { reader, loaders } = requestScope();
    const order = ArticleOrder.PUBLISHED_AT_DESC;
    let page;
    try {
      page = pageRequest({ first: (vars.first as number | undefined) ?? 20, after: (vars.after as string | undefined) ?? null }, order, config);
    } catch (e) {
      throw new BadRequest(e instanceof Error ? e.message : String(e));
    }
    const [rows, popular, rubrics] = await Promise.all([
      listArticles(reader, null, order, page),
      popularArticles(reader, { first: 10, window: PopularWindow.WEEK }),
      listTags(reader, TagKind.RUBRIC, null, true),
    ]);
    const latest = toPage(rows, order, page);
    const teasers = [...latest.edges.map((e) => e.node), ...popular];
    const [authors, tags] = await Promise.all([
      Promise.all(teasers.map((a) => authorOfArticle(a, loaders.authorById))),
      Promise.all(teasers.map((a) => loaders.tagsByArticleId.load(a.id))),
    ]);
    const teaser = (a: Article, i: number) => {
      const au = authors[i];
      return {
        id: toGlobalId("Article", a.id),
        slug: a.slug,
        path: a.path,
        title: a.title,
        lead: a.lead,
        publishedAt: iso(a.publishedAt),
        views: a.views,
        photoCredit: a.photoCredit,
        author: au ? { id: toGlobalId("Author", au.id), name: au.name, slug: au.slug } : null,
        rubrics: ofKind(tags[i], TagKind.RUBRIC),
      };
    };
    const n = latest.edges.length;
    return {
      latest: { edges: latest.edges.map((e, i) => ({ cursor: e.cursor, node: teaser(e.node, i) })), pageInfo: { hasNextPage: latest.pageInfo.hasNextPage, endCursor: latest.pageInfo.endCursor } },
      popular: popular.map((p, i) => teaser(p, n + i)),
      rubrics: rubrics.map((r, i) => ({ id: toGlobalId("Tag", r.id), slug: r.slug, name: r.name, articleCount: countReadWith(r) })),
    };
  }

  return floorServer({ ArticlePage: articlePage, FrontPage: frontPage });
}

type Handlers = Record<string, (vars: Record<string, unknown>) => Promise<unknown>>;

/** The HTTP side both floors share: a JSON body in, `{ data }` out, 400 for bad input. */
function floorServer(handlers: Handlers): http.Server {
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
        if (!(e instanceof BadRequest || e instanceof HandBadRequest)) console.error(`floor: ${e instanceof Error ? e.message : String(e)}`);
        res.writeHead(e instanceof BadRequest || e instanceof HandBadRequest ? 400 : 500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ errors: [{ message: e instanceof Error ? e.message : String(e) }] }));
      }
    });
  });
}

/** Which floor: the gateway's own statements without GraphQL, or the hand-written queries of bench/handFloor.ts. */
export type FloorKind = "gateway-sql" | "hand-written";

if (require.main === module) {
  const [url, port, kind = "gateway-sql"] = process.argv.slice(2);
  if (!url || !port || (kind !== "gateway-sql" && kind !== "hand-written")) {
    console.error("Usage: node dist/bench/floor.js <mysql://.../database> <port> [gateway-sql|hand-written]");
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
  void (async () => {
    const server = (kind === "hand-written" ? floorServer({ ...(await createHandFloor(pool)) }) : createFloor(pool)).listen(Number(port), "127.0.0.1");
    process.on("SIGTERM", () => {
      server.close(() => void pool.end().then(() => process.exit(0)));
      server.closeAllConnections();
    });
  })();
}

import nodeHttp from "node:http";
import { ArticleStatus } from "../../entities";
import { toDbTime } from "../../src/db/time";
import { createArticle, publishArticle, setArticleHashtags, setArticleRubrics, deleteArticle } from "../../src/write/articleWrites";
import { linkTranslations } from "../../src/write/translationWrites";
import { FEED_SIZE } from "../../src/feeds/feedItems";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { assertValid, assertWellFormed, SITEMAP_INDEX_SCHEMA, urlsetSchemaFile, xmllint, xpathNumber, xpathString } from "../helpers/xmllint";

const SITE_URL = "https://news.example.kz/portal";
const SITE_NAME = "Example & Co «Жаңалықтар»";
// Everything an XML writer must escape, quotes of both kinds, Cyrillic with ё and Kazakh letters.
const TRICKY_TITLE = `Tom & Jerry <b>не</b> "кавычки" 'апостроф' ]]> ёлка — Қазақстан`;

interface Fetched {
  status: number;
  headers: Headers;
  body: string;
  statements: number;
}

const atom = (name: string) => `*[local-name()='${name}']`;

describe.each(databaseKinds())("feeds and sitemaps on %s", (kind) => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  let base: string;
  let urlset: string;
  const hidden: Record<string, string> = {};
  let tricky: { slug: string; path: string; rubric: string; hashtag: string; ruPath: string };

  // A connection per request (agent: false): xmllint runs synchronously between requests, and a kept-alive
  // connection may meanwhile pass the server's keep-alive timeout.
  async function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Fetched> {
    const before = gw.database.db.statements.total;
    const { status, headers: got, body } = await new Promise<{ status: number; headers: Headers; body: string }>((resolve, reject) => {
      const req = nodeHttp.request(base + path, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
    // The request's own statements (the gateway's header), not the scheduler's or another request's.
    const own = got.get("x-sql-statements");
    return { status, headers: got, body, statements: own === null ? gw.database.db.statements.total - before : Number(own) };
  }

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 120, seed: 15 } });
    http = await startHttpGateway(gw, { SITE_URL, SITE_NAME, BENCH_STATEMENT_HEADER: "1" });
    base = http.url.replace(/\/graphql$/, "");
    urlset = urlsetSchemaFile();
    const ds = gw.app.db.dataSource;
    const [rubric] = await ds.query("SELECT id, slug FROM tag WHERE kind = 'RUBRIC' ORDER BY id LIMIT 1");

    const id = await createArticle(ds, { title: TRICKY_TITLE, lead: `Лид & <i>курсив</i> "в кавычках"`, paragraphs: ["Текст."], language: "kk" });
    await setArticleRubrics(ds, id, [Number(rubric.id)]);
    await setArticleHashtags(ds, id, ["Тест & <проверка>"]);
    await publishArticle(ds, id, null);
    const [row] = await ds.query("SELECT slug, path FROM article WHERE id = ?", [id]);
    const [hashtag] = await ds.query("SELECT t.slug FROM tag t JOIN article_tag x ON x.tag_id = t.id WHERE x.article_id = ? AND t.kind = 'HASHTAG'", [id]);
    tricky = { slug: row.slug, path: row.path, rubric: rubric.slug, hashtag: hashtag.slug, ruPath: "" };
    // Its Russian version is published, its English one is a draft: only the first is an alternate.
    const ru = await createArticle(ds, { title: "Русская версия статьи", language: "ru" });
    await publishArticle(ds, ru, null);
    const en = await createArticle(ds, { title: "English draft version", language: "en" });
    await linkTranslations(ds, [id, ru, en]);
    tricky.ruPath = (await ds.query("SELECT path FROM article WHERE id = ?", [ru]))[0].path;
    hidden.draftTranslation = (await ds.query("SELECT slug FROM article WHERE id = ?", [en]))[0].slug;

    // What readers must never be shown, each in the same rubric and published "now" where it has a date.
    const draft = await createArticle(ds, { title: "Черновик не для читателей", language: "kk" });
    await setArticleRubrics(ds, draft, [Number(rubric.id)]);
    const gone = await createArticle(ds, { title: "Удалённая статья", language: "kk" });
    await publishArticle(ds, gone, null);
    await deleteArticle(ds, gone);
    const now = toDbTime(new Date());
    // A scheduled article (a status the list predicate does not admit) and a stub, written as the importer and a scheduler would.
    await ds.query(
      "INSERT INTO article (slug, path, title, title_key, status, published_at, language, views, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'kk', 0, ?, ?)",
      ["zaplanirovannaya", "/2099/01/01/zaplanirovannaya", "Запланированная статья", "запланированная статья", "SCHEDULED", toDbTime(new Date(Date.now() + 86_400_000)), now, now],
    );
    await ds.query(
      "INSERT INTO article (slug, path, title, title_key, status, language, views, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'kk', 0, ?, ?)",
      ["zaglushka", "/stub/zaglushka", "Заглушка", "заглушка", ArticleStatus.STUB, now, now],
    );
    for (const [name, slugRow] of Object.entries({
      draft: await ds.query("SELECT slug FROM article WHERE id = ?", [draft]),
      deleted: await ds.query("SELECT slug FROM article WHERE id = ?", [gone]),
    })) hidden[name] = slugRow[0].slug;
    hidden.scheduled = "zaplanirovannaya";
    hidden.stub = "zaglushka";
    // Rows written without a writer: retire what the gateway may have derived from before.
    await gw.run("{ __typename }");
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  function month(): string {
    const now = new Date();
    return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  }

  function everyPath(): string[] {
    return [
      "/feeds/rss.xml",
      "/feeds/atom.xml",
      "/feeds/rss.xml?lang=kk",
      "/feeds/atom.xml?lang=kk",
      `/feeds/rubric/${tricky.rubric}.xml`,
      `/feeds/rubric/${tricky.rubric}.xml?format=atom&lang=kk`,
      `/feeds/hashtag/${tricky.hashtag}.xml`,
      "/sitemap.xml",
      `/sitemaps/${month()}.xml`,
      "/sitemaps/news.xml",
    ];
  }

  test("RSS 2.0: the structure the specification requires, absolute links, the tricky title round-trips", async () => {
    const r = await get("/feeds/rss.xml");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    assertWellFormed(r.body);
    expect(xpathString(r.body, "/rss/@version")).toBe("2.0");
    for (const required of ["title", "link", "description"]) expect(xpathNumber(r.body, `count(/rss/channel/${required})`)).toBe(1);
    const items = xpathNumber(r.body, "count(/rss/channel/item)");
    expect(items).toBe(FEED_SIZE);
    // Every item has a title or a description (RSS 2.0), and here all of title, link, guid and pubDate.
    for (const part of ["title", "link", "guid", "pubDate"]) expect(xpathNumber(r.body, `count(/rss/channel/item[${part}])`)).toBe(items);
    expect(xpathNumber(r.body, `count(/rss/channel/item[not(starts-with(link, '${SITE_URL}/'))])`)).toBe(0);
    const url = `${SITE_URL}${tricky.path}`;
    expect(xpathString(r.body, `/rss/channel/item[link='${url}']/title`)).toBe(TRICKY_TITLE);
    expect(xpathString(r.body, `/rss/channel/item[link='${url}']/description`)).toBe(`Лид & <i>курсив</i> "в кавычках"`);
    // pubDate is an RFC 822 date.
    expect(xpathString(r.body, `/rss/channel/item[link='${url}']/pubDate`)).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(xpathString(r.body, "/rss/channel/title")).toBe(SITE_NAME);
  });

  test("Atom: RFC 4287's required elements (the checks its RELAX NG schema makes on this shape), and the title round-trips", async () => {
    const r = await get("/feeds/atom.xml?lang=kk");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    assertWellFormed(r.body);
    const feed = `/${atom("feed")}`;
    expect(xpathString(r.body, `namespace-uri(${feed})`)).toBe("http://www.w3.org/2005/Atom");
    for (const one of ["id", "title", "updated"]) expect(xpathNumber(r.body, `count(${feed}/${atom(one)})`)).toBe(1);
    // atom:feed must have an author unless every entry has one.
    expect(xpathNumber(r.body, `count(${feed}/${atom("author")}/${atom("name")})`)).toBe(1);
    expect(xpathString(r.body, `${feed}/${atom("link")}[@rel='self']/@href`)).toBe(`${SITE_URL}/feeds/atom.xml?lang=kk`);
    const entries = xpathNumber(r.body, `count(${feed}/${atom("entry")})`);
    expect(entries).toBeGreaterThan(0);
    for (const one of ["id", "title", "updated"]) expect(xpathNumber(r.body, `count(${feed}/${atom("entry")}[count(${atom(one)}) = 1])`)).toBe(entries);
    // An entry without content must have an alternate link.
    expect(xpathNumber(r.body, `count(${feed}/${atom("entry")}[${atom("link")}[not(@rel) or @rel='alternate']])`)).toBe(entries);
    const dates = nodeStrings(r.body, `${feed}//${atom("updated")}`);
    for (const d of dates) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const url = `${SITE_URL}${tricky.path}`;
    expect(xpathString(r.body, `${feed}/${atom("entry")}[${atom("id")}='${url}']/${atom("title")}`)).toBe(TRICKY_TITLE);
  });

  test("per language: ?lang=kk lists Kazakh articles only; a bad lang or format is 400, an unknown rubric 404", async () => {
    const r = await get("/feeds/rss.xml?lang=kk");
    const links = nodeStrings(r.body, "/rss/channel/item/link");
    expect(links.length).toBeGreaterThan(0);
    const ds = gw.app.db.dataSource;
    const rows: { path: string; language: string }[] = await ds.query("SELECT path, language FROM article");
    const languageOf = new Map(rows.map((x) => [`${SITE_URL}${x.path}`, x.language]));
    for (const link of links) expect([link, languageOf.get(link)]).toEqual([link, "kk"]);
    expect((await get("/feeds/rss.xml?lang=de")).status).toBe(400);
    expect((await get("/feeds/rss.xml?format=json")).status).toBe(400);
    expect((await get("/feeds/rubric/no-such-rubric.xml")).status).toBe(404);
    expect((await get("/feeds/author/no-such-author.xml")).status).toBe(404);
    expect((await get("/sitemaps/2025-13.xml")).status).toBe(404);
    expect((await get("/sitemaps/1999-01.xml")).status).toBe(404);
  });

  test("rubric, hashtag and author feeds name their subject and list only its articles", async () => {
    const rubric = await get(`/feeds/rubric/${tricky.rubric}.xml`);
    assertWellFormed(rubric.body);
    expect(rubric.body).toContain(`${SITE_URL}${tricky.path}`);
    const hashtag = await get(`/feeds/hashtag/${tricky.hashtag}.xml?format=atom`);
    assertWellFormed(hashtag.body);
    expect(xpathNumber(hashtag.body, `count(/${atom("feed")}/${atom("entry")})`)).toBe(1);
    expect(xpathString(hashtag.body, `/${atom("feed")}/${atom("title")}`)).toBe(`${SITE_NAME} — Тест & <проверка>`);
    const [author] = await gw.app.db.dataSource.query(
      "SELECT au.slug, COUNT(*) AS n FROM author au JOIN article a ON a.author_id = au.id WHERE a.status = 'PUBLISHED' AND a.deleted_at IS NULL GROUP BY au.id, au.slug ORDER BY n DESC, au.slug LIMIT 1",
    );
    const byAuthor = await get(`/feeds/author/${author.slug}.xml`);
    assertWellFormed(byAuthor.body);
    expect(xpathNumber(byAuthor.body, "count(/rss/channel/item)")).toBe(Math.min(Number(author.n), FEED_SIZE));
  });

  test("sitemaps validate against the sitemaps.org and Google News schemas, with hreflang alternates and absolute URLs", async () => {
    const index = await get("/sitemap.xml");
    expect(index.status).toBe(200);
    assertValid(index.body, SITEMAP_INDEX_SCHEMA);
    const monthUrl = `${SITE_URL}/sitemaps/${month()}.xml`;
    expect(nodeStrings(index.body, `//${atom("loc")}`)).toContain(monthUrl);

    const monthly = await get(`/sitemaps/${month()}.xml`);
    expect(monthly.status).toBe(200);
    assertValid(monthly.body, urlset);
    expect(nodeStrings(monthly.body, `//${atom("loc")}`)).toContain(`${SITE_URL}${tricky.path}`);
    // Every published version of the story, itself included, and never the draft one.
    const links = `//${atom("url")}[${atom("loc")}='${SITE_URL}${tricky.path}']/*[local-name()='link' and namespace-uri()='http://www.w3.org/1999/xhtml']`;
    expect(xpathNumber(monthly.body, `count(${links})`)).toBe(2);
    expect(xpathString(monthly.body, `${links}[@hreflang='kk']/@href`)).toBe(`${SITE_URL}${tricky.path}`);
    expect(xpathString(monthly.body, `${links}[@hreflang='ru']/@href`)).toBe(`${SITE_URL}${tricky.ruPath}`);
    expect(xpathNumber(monthly.body, `count(${links}[@hreflang='en'])`)).toBe(0);

    const news = await get("/sitemaps/news.xml");
    expect(news.status).toBe(200);
    assertValid(news.body, urlset);
    const url = `${SITE_URL}${tricky.path}`;
    const entry = `//${atom("url")}[${atom("loc")}='${url}']/${atom("news")}`;
    expect(xpathString(news.body, `${entry}/${atom("title")}`)).toBe(TRICKY_TITLE);
    expect(xpathString(news.body, `${entry}/${atom("publication")}/${atom("name")}`)).toBe(SITE_NAME);
    expect(xpathString(news.body, `${entry}/${atom("publication")}/${atom("language")}`)).toBe("kk");
    // Only the last 48 hours (the generated corpus is older): the tricky article and its Russian version.
    expect(xpathNumber(news.body, `count(//${atom("url")})`)).toBe(2);
  });

  test("a draft, a scheduled, a deleted or a stub article never appears in any feed or sitemap", async () => {
    for (const path of everyPath()) {
      const r = await get(path);
      expect([path, r.status]).toEqual([path, 200]);
      for (const [what, slug] of Object.entries(hidden)) expect([path, what, r.body.includes(slug)]).toEqual([path, what, false]);
    }
  });

  test("ETag and Last-Modified: 304 without SQL on a matching ETag, 304 on If-Modified-Since, HEAD without a body; a write changes the ETag", async () => {
    for (const path of everyPath()) {
      const first = await get(path);
      const etag = first.headers.get("etag");
      expect([path, etag]).toEqual([path, expect.stringMatching(/^"[\w-]+"$/)]);
      expect(first.headers.get("cache-control")).toBe("max-age=300, public");
      const again = await get(path, { "if-none-match": etag as string });
      expect([path, again.status, again.body, again.statements]).toEqual([path, 304, "", 0]);
      expect(again.headers.get("etag")).toBe(etag);
      const lastModified = first.headers.get("last-modified");
      if (lastModified && path !== "/sitemap.xml") {
        const since = await get(path, { "if-modified-since": lastModified });
        expect([path, since.status]).toEqual([path, 304]);
      }
      const head = await get(path, {}, "HEAD");
      expect([path, head.status, head.body, head.headers.get("etag")]).toEqual([path, 200, "", etag]);
    }
    const before = await get("/feeds/rss.xml");
    const id = await createArticle(gw.app.db.dataSource, { title: "Свежая новость для ленты" });
    await publishArticle(gw.app.db.dataSource, id, null);
    const after = await get("/feeds/rss.xml", { "if-none-match": before.headers.get("etag") as string });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(after.body).toContain("Свежая новость для ленты");
  });

  test("statements per feed and sitemap do not grow with the number of items", async () => {
    // The whole site (50 items) and a rubric, a hashtag (1 item) and a language: two statements each, one per sitemap.
    const counts: Record<string, number> = {};
    for (const path of everyPath()) counts[path] = (await get(path)).statements;
    expect(xpathNumber((await get("/feeds/rss.xml")).body, "count(//item)")).toBe(FEED_SIZE);
    expect(xpathNumber((await get("/sitemaps/news.xml")).body, "count(//*[local-name()='url'])")).toBeGreaterThan(1);
    expect(xpathNumber((await get(`/feeds/hashtag/${tricky.hashtag}.xml`)).body, "count(//item)")).toBe(1);
    for (const path of everyPath()) {
      const expected = path.startsWith("/feeds/") ? 2 : 1;
      expect([path, counts[path]]).toEqual([path, expected]);
    }
  });

  test("only GET and HEAD", async () => {
    const r = await get("/feeds/rss.xml", {}, "POST");
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET, HEAD");
  });
});

/**
 * The text of every node the expression selects, from one xmllint run (one
 * line per node). For URLs only: xmllint prints text nodes XML-escaped.
 */
function nodeStrings(xml: string, expression: string): string[] {
  const r = xmllint(xml, ["--nonet", "--xpath", `${expression}/text()`]);
  if (r.status !== 0) throw new Error(`xpath ${expression} failed:\n${r.stderr}`);
  return r.stdout.split("\n").filter((line) => line !== "");
}

import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import fs from "node:fs";
import path from "node:path";
import type { DataSource } from "typeorm";
import { formatPage } from "../../src/write/ingest/formatPage";
import { generatePages } from "../../src/write/ingest/generatePages";
import { importPage, importPageTexts, PAGES_PER_TRANSACTION } from "../../src/write/ingest/importPages";
import type { PageRecord } from "../../src/write/ingest/pageRecord";
import { parsePage } from "../../src/write/ingest/parsePage";
import { dialectOf } from "../../src/db/dialect";
import { fromDbTime } from "../../src/db/time";
import { toGlobalId } from "../../src/graphql/globalId";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";

const REFERENCE_FILE = REFERENCE_PAGE_FILE;
const REFERENCE_TEXT = fs.readFileSync(REFERENCE_FILE, "utf8");
const REFERENCE = parsePage(REFERENCE_TEXT, REFERENCE_FILE);

const TABLES = ["author", "tag", "article", "article_tag", "article_related", "collection", "collection_item", "archive_day", "archive_month"];

/** Every row of every table the importer writes, in a stable order. */
async function dump(ds: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const rows: Record<string, unknown>[] = await ds.query(`SELECT * FROM ${t}`);
    out[t] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
  }
  return out;
}

/** The rows an import writes, without the times of the writes: what page-at-a-time and group writes must both give. */
async function written(ds: DataSource): Promise<Record<string, unknown[]>> {
  const q = async (sql: string) => ((await ds.query(sql)) as Record<string, unknown>[]).map((r) => JSON.stringify(Object.values(r)));
  return {
    article: await q("SELECT id, slug, path, title, title_key, lead, body, published_at, status, views, photo_credit, author_id, language FROM article ORDER BY id"),
    author: await q("SELECT id, name, slug, email FROM author ORDER BY id"),
    tag: await q("SELECT id, kind, name, slug FROM tag ORDER BY id"),
    article_tag: await q("SELECT article_id, tag_id, position, listed_at, listed_views FROM article_tag ORDER BY article_id, position"),
    article_related: await q("SELECT article_id, related_id, position FROM article_related ORDER BY article_id, position"),
    collection: await q("SELECT c.slug, c.captured_at, ci.position, ci.article_id FROM collection c JOIN collection_item ci ON ci.collection_id = c.id ORDER BY ci.position"),
    archive_day: await q("SELECT year, month, day, article_count FROM archive_day ORDER BY year, month, day"),
    archive_month: await q("SELECT year, month, article_count FROM archive_month ORDER BY year, month"),
    revisions: await q("SELECT article_id, key_name, content FROM article_revision ORDER BY article_id, id"),
    search: await q(
      dialectOf(ds) === "mysql" ? "SELECT article_id, title, body FROM article_search ORDER BY article_id" : "SELECT rowid, title, body FROM article_search ORDER BY rowid",
    ),
  };
}

/** The graph as readers see it, by titles instead of ids: what must not depend on import order. */
async function graph(ds: DataSource): Promise<unknown> {
  const articles: Record<string, unknown>[] = await ds.query(
    `SELECT a.id, a.title, a.title_key, a.status, a.published_at, a.lead, a.body, a.views, a.photo_credit, au.name AS author, au.email AS email
       FROM article a LEFT JOIN author au ON au.id = a.author_id`,
  );
  const titleOf = new Map(articles.map((a) => [Number(a.id), String(a.title)]));
  const tags: Record<string, unknown>[] = await ds.query("SELECT at.article_id, t.kind, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id ORDER BY at.article_id, at.position");
  const related: Record<string, unknown>[] = await ds.query("SELECT article_id, related_id FROM article_related ORDER BY article_id, position");
  const items: Record<string, unknown>[] = await ds.query(
    "SELECT c.slug, c.captured_at, ci.article_id FROM collection c JOIN collection_item ci ON ci.collection_id = c.id ORDER BY c.slug, ci.position",
  );
  const per = (rows: Record<string, unknown>[], id: number, f: (r: Record<string, unknown>) => string) =>
    rows.filter((r) => Number(r.article_id) === id).map(f);
  return {
    articles: articles
      .map(({ id, ...a }) => ({
        ...a,
        title: String(a.title),
        published_at: fromDbTime(a.published_at)?.toISOString() ?? null,
        tags: per(tags, Number(id), (t) => `${t.kind}:${t.name}:${t.slug}`),
        related: per(related, Number(id), (r) => titleOf.get(Number(r.related_id)) ?? "?"),
      }))
      .sort((x, y) => (`${x.title}|${x.published_at}` < `${y.title}|${y.published_at}` ? -1 : 1)),
    lists: items.map((i) => `${i.slug}:${titleOf.get(Number(i.article_id))}`),
  };
}

function page(over: Partial<PageRecord> & { title: string }): { name: string; text: string } {
  const record: PageRecord = {
    publishedOn: "2025-09-20",
    rubrics: ["Общество"],
    views: 10,
    authorName: "Асель Омарова",
    authorEmail: "asel@example.kz",
    lead: `Лид: ${over.title}`,
    photoCredit: null,
    paragraphs: [`Текст статьи «${over.title}».`, "Второй абзац."],
    hashtags: ["Казахстан"],
    popular: [],
    readAlso: [],
    ...over,
  };
  return { name: `${over.title.slice(0, 20)}.txt`, text: formatPage(record) };
}

const ARTICLE_PAGE = operation("article-page.graphql");
const SITE_LISTS = operation("site-lists.graphql");

type ArticleData = {
  article: {
    id: string;
    slug: string;
    path: string;
    title: string;
    publishedAt: string;
    status: string;
    views: number;
    lead: string;
    paragraphs: string[];
    photoCredit: string | null;
    author: { name: string; email: string | null } | null;
    rubrics: { name: string; slug: string }[];
    hashtags: { name: string; slug: string }[];
    related: { id: string; slug: string; path: string; title: string; status: string }[];
  } | null;
};
type ListsData = { collection: { slug: string; capturedAt: string; articles: { id: string; title: string; status: string }[] } | null };

describe.each(databaseKinds())("importing pages on %s", (kind) => {
  let gw: TestGateway;
  let ds: DataSource;
  beforeEach(async () => {
    gw = await createTestGateway(kind, { corpus: false });
    ds = gw.database.db.dataSource;
  });
  afterEach(() => gw?.close());

  test("the reference page comes back whole through the contract operations", async () => {
    const report = await importPageTexts(ds, [{ name: REFERENCE_FILE, text: REFERENCE_TEXT }]);
    expect(report.results[0].error).toBeUndefined();
    expect(report.summary).toMatchObject({ pages: 1, imported: 1, failed: 0, ambiguousTitles: 0 });
    const id = report.results[0].articleId as number;
    const [{ slug }] = await ds.query("SELECT slug FROM article WHERE id = ?", [id]);

    const a = await gw.run<ArticleData>(ARTICLE_PAGE, { slug });
    expect(a.errors).toBeUndefined();
    const article = a.data?.article;
    expect(article).toBeTruthy();
    if (!article) return;
    expect(article.title).toBe("Аида Балаева встретилась с министром культуры Франции");
    expect(article.publishedAt.slice(0, 10)).toBe("2025-09-25");
    expect(article.path).toBe(`/2025/09/25/${slug}`);
    expect(article.status).toBe("PUBLISHED");
    expect(article.rubrics.map((r) => r.name)).toEqual(["Культура", "Кино", "Музыка", "ООН"]);
    expect(article.views).toBe(0);
    expect(article.author).toMatchObject({ name: "Айман Аманжолова", email: "zhana2006@mail.ru" });
    expect(article.lead).toBe("Стороны обсудили текущее состояние и перспективы двустороннего культурного сотрудничества, передает корреспондент Kazpravda.kz");
    expect(article.photoCredit).toBe("gov.kz");
    expect(article.paragraphs).toEqual(REFERENCE.paragraphs);
    expect(article.paragraphs).toHaveLength(6);
    expect(article.paragraphs[0]).toMatch(/^25 сентября 2025 года министр культуры/);
    expect(article.paragraphs[5]).toMatch(/вызвало живой отклик среди зрителей\.$/);
    expect(article.hashtags.map((h) => h.name)).toEqual(["Казахстан", "Франция", "министр", "Аида Балаева"]);
    expect(article.hashtags[3].slug).toBe("aida-balaeva");

    const lists = await gw.run<ListsData>(SITE_LISTS);
    expect(lists.errors).toBeUndefined();
    const popular = lists.data?.collection;
    expect(popular?.capturedAt.slice(0, 10)).toBe("2025-09-25");
    expect(popular?.articles.map((p) => p.title)).toEqual(REFERENCE.popular);
    expect(popular?.articles).toHaveLength(60);
    expect(popular?.articles[0].title).toBe("Гвардеец завоевал «бронзу» на Кубке мира по боевому самбо");

    expect(article.related.map((r) => r.title)).toEqual([
      "Париж отметил 100-летие Нургисы Тлендиева праздничным конце…",
      "Театр «Астана Балет» участвует во Всемирном фестивале в Кор…",
      "В селе Саумалколь Айыртауского района Северо-Казахстанской области проходит выставка «На стыке истории и труда»",
      "Наследие Великой степи: «Астана Балет» выступит на фестивал…",
    ]);
    expect(article.related.every((r) => r.status === "STUB")).toBe(true);
    const saumalkol = popular?.articles.find((p) => p.title.startsWith("В селе Саумалколь"));
    expect(article.related[2].id).toBe(saumalkol?.id);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article");
    // The page, its 60 popular titles and the 3 read-also titles that are not among them.
    expect(Number(n)).toBe(1 + 60 + 3);
  });

  test("a stub is filled in place when its own page arrives: same global ID, edges kept", async () => {
    await importPageTexts(ds, [{ name: REFERENCE_FILE, text: REFERENCE_TEXT }]);
    const stubOf = async (prefix: string) => {
      const rows: { id: unknown; status: string }[] = await ds.query("SELECT id, status FROM article WHERE title LIKE ?", [`${prefix}%`]);
      expect(rows).toHaveLength(1);
      return { id: Number(rows[0].id), status: rows[0].status };
    };
    const paris = await stubOf("Париж отметил");
    const saumalkol = await stubOf("В селе Саумалколь");
    expect([paris.status, saumalkol.status]).toEqual(["STUB", "STUB"]);

    const report = await importPageTexts(ds, [
      page({ title: "Париж отметил 100-летие Нургисы Тлендиева праздничным концертом", publishedOn: "2025-09-24" }),
      page({ title: "В селе Саумалколь Айыртауского района Северо-Казахстанской области проходит выставка «На стыке истории и труда»", publishedOn: "2025-09-23", views: 77 }),
    ]);
    expect(report.summary).toMatchObject({ imported: 2, stubsFilled: 2, stubsCreated: 0, failed: 0 });
    expect(report.results.map((r) => r.articleId)).toEqual([paris.id, saumalkol.id]);

    const [{ slug }] = await ds.query("SELECT slug FROM article WHERE title LIKE 'Аида Балаева%'");
    const a = await gw.run<ArticleData>(ARTICLE_PAGE, { slug });
    const related = a.data?.article?.related ?? [];
    expect(related.map((r) => r.title)).toEqual([
      "Париж отметил 100-летие Нургисы Тлендиева праздничным концертом",
      "Театр «Астана Балет» участвует во Всемирном фестивале в Кор…",
      "В селе Саумалколь Айыртауского района Северо-Казахстанской области проходит выставка «На стыке истории и труда»",
      "Наследие Великой степи: «Астана Балет» выступит на фестивал…",
    ]);
    expect(related.map((r) => r.status)).toEqual(["PUBLISHED", "STUB", "PUBLISHED", "STUB"]);
    expect(related[0].id).toBe(toGlobalId("Article", paris.id));
    expect(related[2].id).toBe(toGlobalId("Article", saumalkol.id));
    expect(related[0].path).toMatch(/^\/2025\/09\/24\//);
    const lists = await gw.run<ListsData>(SITE_LISTS);
    const listed = lists.data?.collection?.articles.find((p) => p.id === toGlobalId("Article", saumalkol.id));
    expect(listed?.status).toBe("PUBLISHED");
    const filled = await gw.run<ArticleData>(ARTICLE_PAGE, { slug: related[2].slug });
    expect(filled.data?.article).toMatchObject({ views: 77, status: "PUBLISHED", lead: expect.stringContaining("Саумалколь") });
  });

  test("importing the same pages again changes nothing; a changed page is updated", async () => {
    const pages = [
      { name: REFERENCE_FILE, text: REFERENCE_TEXT },
      page({ title: "Париж отметил 100-летие Нургисы Тлендиева праздничным концертом", publishedOn: "2025-09-24", readAlso: ["Аида Балаева встретилась с министром культуры Франции"] }),
    ];
    await importPageTexts(ds, pages);
    const before = await dump(ds);
    const again = await importPageTexts(ds, pages);
    expect(again.summary).toMatchObject({ pages: 2, unchanged: 2, imported: 0, updated: 0, stubsCreated: 0, stubsFilled: 0 });
    expect(await dump(ds)).toEqual(before);

    const changed = REFERENCE_TEXT.replace("\n0\n", "\n15\n").replace("#министр", "#министр #ЮНЕСКО");
    const update = await importPageTexts(ds, [{ name: "changed.txt", text: changed }]);
    expect(update.results[0].status).toBe("updated");
    const after = await dump(ds);
    expect(after.article).not.toEqual(before.article);
    const [{ views }] = await ds.query("SELECT views FROM article WHERE title LIKE 'Аида Балаева%'");
    expect(Number(views)).toBe(15);
    // A page crawled earlier never lowers a count the gateway already has.
    const lower = await importPageTexts(ds, [{ name: REFERENCE_FILE, text: REFERENCE_TEXT }]);
    expect(lower.results[0].status).toBe("updated");
    const [{ views: kept }] = await ds.query("SELECT views FROM article WHERE title LIKE 'Аида Балаева%'");
    expect(Number(kept)).toBe(15);
  });

  test("pages give the same graph in any order", async () => {
    const pages = [
      { name: REFERENCE_FILE, text: REFERENCE_TEXT },
      page({ title: "Париж отметил 100-летие Нургисы Тлендиева праздничным концертом", publishedOn: "2025-09-24", popular: ["Сюрприз для солдат"], readAlso: ["Аида Балаева встретилась с министром…", "Театр «Астана Балет» участвует во Всемирном…"] }),
      page({ title: "Театр «Астана Балет» участвует во Всемирном фестивале в Корее", publishedOn: "2025-09-26", rubrics: ["Культура", "Театр"], popular: ["Попался в сеть", "Сюрприз для солдат"] }),
      page({ title: "Сюрприз для солдат", publishedOn: "2025-09-21", readAlso: ["Париж отметил 100-летие…"] }),
    ];
    await importPageTexts(ds, pages);
    const forward = await graph(ds);
    await gw.close();
    gw = await createTestGateway(kind, { corpus: false });
    ds = gw.database.db.dataSource;
    const report = await importPageTexts(ds, [...pages].reverse());
    expect(report.summary.failed).toBe(0);
    expect(await graph(ds)).toEqual(forward);
  });

  test("generated pages that name each other give the same graph forward, backward and shuffled", async () => {
    const pages = generatePages({ pages: 80, seed: 11, popular: 20 }).map((p) => ({ name: p.name, text: p.text }));
    const shuffled = [...pages].sort((a, b) => (a.name.slice(6) < b.name.slice(6) ? -1 : 1));
    const graphs: unknown[] = [];
    for (const order of [pages, [...pages].reverse(), shuffled]) {
      await gw.close();
      gw = await createTestGateway(kind, { corpus: false });
      ds = gw.database.db.dataSource;
      const report = await importPageTexts(ds, order);
      expect(report.summary).toMatchObject({ pages: 80, imported: 80, failed: 0 });
      expect(report.summary.stubsFilled).toBeGreaterThan(0);
      graphs.push(await graph(ds));
    }
    expect(graphs[1]).toEqual(graphs[0]);
    expect(graphs[2]).toEqual(graphs[0]);
  });

  test("a group written set-wise gives the rows and the report of the same pages written one at a time", async () => {
    const generated = generatePages({ pages: 120, seed: 5, popular: 20 }).map((p) => ({ name: p.name, text: p.text }));
    // A second run over part of them: updates, unchanged pages and new pages in the same groups.
    const changed = generated.slice(40, 50).map((p) => ({ name: `changed-${p.name}`, text: p.text.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 5}\n`) }));
    // Titles that share a slug, on one day and on several, inside a group and across two.
    const sameSlug = [
      page({ title: "Выставка открылась в Таразе", publishedOn: "2025-09-20", popular: ["Выставка открылась в Таразе!!", "Выставка открылась в Таразе?"] }),
      page({ title: "Выставка открылась в Таразе", publishedOn: "2025-09-21", readAlso: ["Выставка открылась в Таразе…"] }),
      page({ title: "Выставка открылась в Таразе!", publishedOn: "2025-09-22" }),
    ];
    const runs = [
      [...generated.slice(0, 80), ...sameSlug.slice(0, 2)],
      [...generated.slice(30, 40), ...changed, sameSlug[2], page({ title: "Выставка открылась в Таразе?", publishedOn: "2025-09-19" }), ...generated.slice(80)],
    ];
    const oneAtATime: unknown[] = [];
    for (const run of runs) {
      const results = [];
      for (const p of run) results.push(await importPage(ds, p));
      oneAtATime.push(results);
    }
    const expected = await written(ds);
    // Each run in one transaction; and a few pages per transaction, each group then read for and resolved ahead, inside the transaction before it.
    for (const perTransaction of [PAGES_PER_TRANSACTION, 7]) {
      await gw.close();
      gw = await createTestGateway(kind, { corpus: false });
      ds = gw.database.db.dataSource;
      const grouped: unknown[] = [];
      for (const run of runs) grouped.push((await importPageTexts(ds, run, undefined, null, perTransaction)).results);
      expect(grouped).toEqual(oneAtATime);
      expect(await written(ds)).toEqual(expected);
    }
    expect((oneAtATime[1] as { status: string }[]).map((r) => r.status)).toEqual(expect.arrayContaining(["unchanged", "updated", "imported"]));
  });

  test("a page that fails leaves nothing of itself, and the others still import", async () => {
    const good = page({ title: "Новую школу построят в Атырау", popular: ["Проезд сделали бесплатным"] });
    // Parses, but the title is too long for the article table: the error comes after the lookups, inside the transaction.
    const tooLong = page({ title: `Очень длинный заголовок ${"слово ".repeat(200)}`, popular: ["Статья, которой больше нигде нет"], rubrics: ["Новая рубрика"] });
    const broken = { name: "broken.txt", text: REFERENCE_TEXT.replace("\n0\n", "\nмного\n") };
    const report = await importPageTexts(ds, [tooLong, broken, good]);
    expect(report.results.map((r) => r.status)).toEqual(["failed", "failed", "imported"]);
    expect(report.results[0].error?.message).toMatch(/:1: expected a title of at most 1000 characters/);
    expect(report.results[1].error).toMatchObject({ file: "broken.txt", line: 4 });
    expect(report.results[1].error?.message).toMatch(/^broken\.txt:4: expected a view count/);
    expect(report.summary).toMatchObject({ pages: 3, failed: 2, imported: 1 });
    const titles = (await ds.query("SELECT title FROM article ORDER BY title")).map((r: { title: string }) => r.title);
    expect(titles).toEqual(["Новую школу построят в Атырау", "Проезд сделали бесплатным"]);
    expect((await ds.query("SELECT name FROM tag WHERE name = 'Новая рубрика'")).length).toBe(0);
  });

  test("a database error mid-page rolls the whole page back", async () => {
    // A stub path taken by hand makes the page's own insert collide after its stubs and tags were written.
    const good = page({ title: "Выставка открылась в Таразе", popular: ["Концерт состоялся в Таразе"], rubrics: ["Культура"], hashtags: ["выставка"] });
    await ds.query(
      "INSERT INTO article (slug, path, title, title_key, status, created_at, updated_at) VALUES ('other', '/2025/09/20/vystavka-otkrylas-v-taraze', 'Другая', 'другая', 'DRAFT', '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
    );
    const before = await dump(ds);
    const report = await importPageTexts(ds, [good]);
    expect(report.results[0].status).toBe("failed");
    expect(report.results[0].error?.message).toMatch(/^Выставка открылась в\.txt: the page could not be written \(database error [A-Z_]*(UNIQUE|DUP_ENTRY)[A-Z_]*\)\.$/);
    expect(await dump(ds)).toEqual(before);
  });

  test("pages sharing a transaction: a database error rolls back only its own page, the pages around it commit", async () => {
    const before = page({ title: "Фестиваль прошёл в Шымкенте", popular: ["Сюрприз для солдат"], hashtags: ["фестиваль"] });
    const colliding = page({ title: "Выставка открылась в Таразе", popular: ["Концерт состоялся в Таразе"], rubrics: ["Культура"], hashtags: ["выставка"] });
    const after = page({ title: "Новую школу построят в Атырау", readAlso: ["Фестиваль прошёл в Шымкенте"] });
    // The colliding page's own path is taken, so its insert fails after its stubs and tags were written.
    await ds.query(
      "INSERT INTO article (slug, path, title, title_key, status, created_at, updated_at) VALUES ('other', '/2025/09/20/vystavka-otkrylas-v-taraze', 'Другая', 'другая', 'DRAFT', '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
    );
    const report = await importPageTexts(ds, [before, colliding, after]);
    expect(report.results.map((r) => r.status)).toEqual(["imported", "failed", "imported"]);
    expect(report.results[1].error?.message).toMatch(/the page could not be written \(database error [A-Z_]*(UNIQUE|DUP_ENTRY)[A-Z_]*\)\.$/);
    const titles = (await ds.query("SELECT title FROM article ORDER BY title")).map((r: { title: string }) => r.title);
    expect(titles).toEqual(["Другая", "Новую школу построят в Атырау", "Сюрприз для солдат", "Фестиваль прошёл в Шымкенте"]);
    expect((await ds.query("SELECT name FROM tag WHERE name = 'выставка'")).length).toBe(0);
    // What the committed pages changed is kept current: the archive counts them, search finds them.
    const [{ n }] = await ds.query("SELECT SUM(article_count) AS n FROM archive_day");
    expect(Number(n)).toBe(2);
    const [{ slug }] = await ds.query("SELECT slug FROM article WHERE title = 'Новую школу построят в Атырау'");
    const a = await gw.run<ArticleData>(ARTICLE_PAGE, { slug });
    expect(a.data?.article?.related[0]?.title).toBe("Фестиваль прошёл в Шымкенте");
  });

  test("a cut-off title that matches two articles stays on its stub and is reported", async () => {
    const first = await importPageTexts(ds, [
      page({ title: "Новую школу построят в Атырау", readAlso: ["Новую школу построят…"] }),
    ]);
    expect(first.summary.stubsCreated).toBe(0);
    let [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article_related");
    expect(Number(n)).toBe(0);
    const report = await importPageTexts(ds, [
      page({ title: "Новую школу построят в Актобе", publishedOn: "2025-09-22" }),
      page({ title: "Выставка открылась в Таразе", readAlso: ["Новую школу построят…", "Новую школу построят в Атырау"] }),
    ]);
    expect(report.results[1].ambiguousTitles).toEqual(["Новую школу построят…"]);
    expect(report.summary.ambiguousTitles).toBe(1);
    const [{ slug }] = await ds.query("SELECT slug FROM article WHERE title = 'Выставка открылась в Таразе'");
    const a = await gw.run<ArticleData>(ARTICLE_PAGE, { slug });
    // The editors' edges come first; the gateway may top the list up with articles sharing tags.
    expect(a.data?.article?.related.slice(0, 2).map((r) => [r.title, r.status])).toEqual([
      ["Новую школу построят…", "STUB"],
      ["Новую школу построят в Атырау", "PUBLISHED"],
    ]);
    [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article WHERE status = 'STUB'");
    expect(Number(n)).toBe(1);
  });

  test("a cut-off stub that two later pages complete stays a stub and is reported", async () => {
    await importPageTexts(ds, [page({ title: "Выставка открылась в Таразе", readAlso: ["Новую школу построят…"] })]);
    const report = await importPageTexts(ds, [
      page({ title: "Новая рубрика", popular: ["Новую школу построят в Атырау", "Новую школу построят в Актобе"] }),
    ]);
    expect(report.results[0].ambiguousTitles).toEqual(["Новую школу построят…"]);
    expect(report.results[0].stubsFilled).toBe(0);
    const stubs = (await ds.query("SELECT title FROM article WHERE status = 'STUB' ORDER BY title")).map((r: { title: string }) => r.title);
    expect(stubs).toEqual(["Новую школу построят в Актобе", "Новую школу построят в Атырау", "Новую школу построят…"]);
  });
});

import fs from "node:fs";
import type { DataSource } from "typeorm";
import { ArticleStatus } from "../../entities";
import { dialectOf } from "../../src/db/dialect";
import { toDbTime } from "../../src/db/time";
import { toGlobalId } from "../../src/graphql/globalId";
import { importPageTexts } from "../../src/write/ingest/importPages";
import { insertedId } from "../../src/write/ingest/rows";
import { normalizeText } from "../../src/text/normalize";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { drainSearchPostings } from "../../src/write/derived/searchPostings";
import { foldTitle } from "../../src/text/fold";
import { databaseKinds } from "../helpers/db";
import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import { createTestGateway, operation, type RunResult, type TestGateway } from "../helpers/gateway";

const SEARCH = operation("search.graphql");
// Noise: a generated corpus shares much of the reference page's vocabulary (министр культуры, ЮНЕСКО, Балаева).
const CORPUS = { articles: 300, seed: 11 };
const ABSENT_WORD = "Шварценеггер";

type SearchData = {
  search: {
    totalCount: number;
    edges: { cursor: string; snippet: string; node: { id: string; title: string; publishedAt: string | null } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

/** Written as the importer and the editing mutations write: the row, then articlesChanged in the same transaction. */
async function writeArticle(ds: DataSource, a: { title: string; body: string; status?: ArticleStatus; publishedAt?: Date }): Promise<number> {
  const publishedAt = a.publishedAt ?? new Date(Date.UTC(2025, 5, 1, 9));
  const slug = `search-test-${foldTitle(a.title).replace(/[^a-z0-9а-я]+/g, "-")}-${Math.random().toString(36).slice(2, 8)}`;
  const now = toDbTime(new Date());
  return ds.transaction(async (m) => {
    const id = insertedId(
      await m.query(
        "INSERT INTO article (slug, path, title, title_key, lead, body, published_at, status, views, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'ru', ?, ?)",
        [slug, `/${slug}`, a.title, foldTitle(a.title), null, a.body, toDbTime(publishedAt), a.status ?? ArticleStatus.PUBLISHED, now, now],
      ),
    );
    await articlesChanged(m, { ids: [id], days: [publishedAt] });
    return id;
  });
}

async function editArticle(ds: DataSource, id: number, title: string, body: string): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query("UPDATE article SET title = ?, title_key = ?, body = ? WHERE id = ?", [title, foldTitle(title), body, id]);
    await articlesChanged(m, { ids: [id], days: [] });
  });
}

/** Article ids whose index row holds `phrase`: proves a row is indexed, whatever readers are shown. */
async function indexedIds(ds: DataSource, phrase: string): Promise<number[]> {
  const tokens = normalizeText(phrase);
  const rows: { id: unknown }[] =
    dialectOf(ds) === "mysql"
      ? await ds.query("SELECT article_id AS id FROM article_search WHERE LOCATE(?, CONCAT(' ', title, ' ', body, ' ')) > 0", [` ${tokens} `])
      : await ds.query("SELECT rowid AS id FROM article_search WHERE article_search MATCH ?", [`"${tokens}"`]);
  return rows.map((r) => Number(r.id));
}

function errorCodes(result: RunResult<unknown>): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}

describe.each(databaseKinds())("search on %s", (kind) => {
  let gw: TestGateway;
  let ds: DataSource;
  let referenceId: string;

  const search = (query: string, first = 20, after?: string) => gw.run<SearchData>(SEARCH, { query, first, ...(after ? { after } : {}) });

  /** Every hit of a query, page by page through the cursors; checks that the pages add up to totalCount. */
  async function allHits(query: string): Promise<SearchData["search"]["edges"]> {
    const edges: SearchData["search"]["edges"] = [];
    let after: string | undefined;
    let total = -1;
    for (;;) {
      const page = await search(query, 40, after);
      expect(page.errors).toBeUndefined();
      const s = (page.data as SearchData).search;
      total = s.totalCount;
      edges.push(...s.edges);
      if (!s.pageInfo.hasNextPage) break;
      after = s.pageInfo.endCursor as string;
    }
    expect(edges).toHaveLength(total);
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(total);
    return edges;
  }

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: CORPUS });
    ds = gw.database.db.dataSource;
    const report = await importPageTexts(ds, [{ name: REFERENCE_PAGE_FILE, text: fs.readFileSync(REFERENCE_PAGE_FILE, "utf8") }]);
    expect(report.summary).toMatchObject({ imported: 1, failed: 0 });
    referenceId = toGlobalId("Article", report.results[0].articleId as number);
  });
  afterAll(() => gw?.close());

  test.each(["министр культуры", "Министра", "Тлендиев", "ЮНЕСКО", "сотрудничество", "Аида Балаева"])(
    "%s finds the reference article",
    async (query) => {
      const hits = await allHits(query);
      expect(hits.map((e) => e.node.id)).toContain(referenceId);
    },
  );

  test("the generated corpus is noise that matches too, so finding the article means something", async () => {
    const hits = await allHits("министр");
    expect(hits.length).toBeGreaterThan(10);
  });

  test("a word in no article finds nothing", async () => {
    const result = await search(ABSENT_WORD);
    expect(result.errors).toBeUndefined();
    expect(result.data?.search).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  test("a snippet marks the matched words in the body, or in the title when only the title matches", async () => {
    const body = (await allHits("Тлендиев")).find((e) => e.node.id === referenceId);
    expect(body?.snippet).toContain("<mark>Тлендиева</mark>");
    const titleId = await writeArticle(ds, { title: "Фестиваль Каракумбай в Таразе", body: "Текст без названия праздника." });
    const title = await search("Каракумбай");
    expect(title.data?.search.edges.map((e) => [e.node.id, e.snippet])).toEqual([
      [toGlobalId("Article", titleId), "Фестиваль <mark>Каракумбай</mark> в Таразе"],
    ]);
  });

  test("title matches rank above body-only matches, even fresher ones", async () => {
    const older = await writeArticle(ds, { title: "Вечер памяти Тлендиева", body: "Звучали кюи композитора.", publishedAt: new Date(Date.UTC(2019, 0, 5)) });
    const hits = await allHits("Тлендиев");
    expect(hits[0].node.id).toBe(toGlobalId("Article", older));
    expect(hits.map((e) => e.node.id)).toContain(referenceId);

    // Over a query with many hits of both kinds: every title match comes before every body-only match.
    const ministers = await allHits("министр культуры");
    const titleHits = ministers.map((e) => /министр/i.test(e.node.title));
    expect(titleHits).toContain(true);
    expect(titleHits).toContain(false);
    expect(titleHits).toEqual([...titleHits].sort((a, b) => Number(b) - Number(a)));
  });

  test("drafts, stubs and deleted articles are indexed but never found", async () => {
    const draft = await writeArticle(ds, { title: "Черновик о Жетысуйском алатау", body: "Жетысуйский текст.", status: ArticleStatus.DRAFT });
    expect(await indexedIds(ds, "Жетысуйском")).toEqual([draft]);
    expect((await search("Жетысуйский")).data?.search.totalCount).toBe(0);

    // The reference page's lists made stubs of titles no page has imported yet.
    const [stub] = await ds.query("SELECT id FROM article WHERE status = 'STUB' AND title LIKE 'Пешеходы против самокатов%'");
    expect(await indexedIds(ds, "самокатов")).toContain(Number(stub.id));
    const stubHits = await allHits("Пешеходы против самокатов");
    expect(stubHits.map((e) => e.node.id)).not.toContain(toGlobalId("Article", Number(stub.id)));

    const gone = await writeArticle(ds, { title: "Удалённая заметка о Кокшетау-Сити", body: "Текст." });
    expect((await search("Кокшетау-Сити")).data?.search.totalCount).toBe(1);
    const postingsOf = async (id: number) => Number((await ds.query("SELECT COUNT(*) AS n FROM search_posting WHERE article_id = ?", [id]))[0].n);
    if (kind === "mysql") {
      await drainSearchPostings(ds);
      expect(await postingsOf(gone)).toBeGreaterThan(0);
    }
    await ds.transaction(async (m) => {
      await m.query("UPDATE article SET deleted_at = ? WHERE id = ?", [toDbTime(new Date()), gone]);
      await articlesChanged(m, { ids: [gone], days: [] });
    });
    expect((await search("Кокшетау-Сити")).data?.search.totalCount).toBe(0);
    expect(await indexedIds(ds, "Кокшетау-Сити")).toEqual([]);
    if (kind === "mysql") {
      // The kept postings list listed articles only: the draft never had any, the deleted article loses its own.
      await drainSearchPostings(ds);
      expect([await postingsOf(draft), await postingsOf(gone)]).toEqual([0, 0]);
    }
  });

  test("an edited article is found by its new words and no longer by its old ones", async () => {
    const id = await writeArticle(ds, { title: "Ярмарка в Балхаше", body: "На ярмарке продавали ёлочные игрушки и мёд." });
    const globalId = toGlobalId("Article", id);
    expect((await search("ёлочные игрушки")).data?.search.edges.map((e) => e.node.id)).toContain(globalId);
    await editArticle(ds, id, "Фестиваль в Приозёрске", "На фестивале выступали домбристы.");
    expect((await search("домбристы")).data?.search.edges.map((e) => e.node.id)).toEqual([globalId]);
    expect((await search("Приозерск")).data?.search.edges.map((e) => e.node.id)).toEqual([globalId]);
    expect((await search("ёлочные игрушки")).data?.search.edges.map((e) => e.node.id)).not.toContain(globalId);
    expect((await search("Балхаше")).data?.search.edges.map((e) => e.node.id)).not.toContain(globalId);
  });

  test("phrases and prefixes", async () => {
    expect((await allHits('"министром культуры Франции"')).map((e) => e.node.id)).toContain(referenceId);
    const reversed = await allHits('"Франции культуры министром"');
    expect(reversed.map((e) => e.node.id)).not.toContain(referenceId);
    expect((await allHits("Тленд*")).map((e) => e.node.id)).toContain(referenceId);
    expect((await allHits("культурно-гуманитарных")).map((e) => e.node.id)).toContain(referenceId);
  });

  // Operators of FTS5 and of MariaDB's boolean mode, SQL, and sizes: each is text to search or BAD_USER_INPUT.
  const HOSTILE = [
    '"', '""', '"министр', "министр\"", "*", "**", "минист*", "м*", "*министр", "+", "+министр", "-министр", "--министр",
    "@", "@министр", "министр@культуры", "(", ")", "(министр)", "министр)(культуры", "()", "' OR 1=1 --", "'; DROP TABLE article; --",
    "министр OR культуры", "NEAR(министр культуры)", "title:министр", "{title}:министр", "^министр", "~министр", "<министр>",
    "министр*культуры", "\\", "%", "_", "\u0000", "министр\u0000", "   ", "", "министр ".repeat(40), "я".repeat(201), "x".repeat(100_000),
  ];

  test.each(HOSTILE.map((q) => [JSON.stringify(q.length > 60 ? `${q.slice(0, 20)}…(${q.length})` : q), q]))(
    "hostile input %s gives results or BAD_USER_INPUT, never an SQL error",
    async (_label, query) => {
      const result = await search(query);
      if (result.errors) {
        expect(errorCodes(result)).toEqual(["BAD_USER_INPUT"]);
      } else {
        expect(result.data?.search.totalCount).toBeGreaterThanOrEqual(0);
      }
    },
  );

  test("operators around a word are punctuation: the word is searched as it is", async () => {
    const plain = (await search("министр")).data?.search.totalCount;
    expect(plain).toBeGreaterThan(0);
    for (const query of ["+министр", "-министр", "@министр", "(министр)", "~министр", "<министр>", "министр)(", '"министр', "министр*"]) {
      const result = await search(query);
      expect([query, result.errors, result.data?.search.totalCount]).toEqual([query, undefined, plain]);
    }
  });

  test("injection attempts match words, not rows", async () => {
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article WHERE status = 'PUBLISHED' AND deleted_at IS NULL");
    for (const query of ["' OR 1=1 --", "'; DROP TABLE article; --", '" OR "" = "']) {
      const result = await search(query, 100);
      expect(errorCodes(result).filter((c) => c !== "BAD_USER_INPUT")).toEqual([]);
      expect(result.data?.search.totalCount ?? 0).toBeLessThan(Number(n));
    }
    const [{ n: after }] = await ds.query("SELECT COUNT(*) AS n FROM article WHERE status = 'PUBLISHED' AND deleted_at IS NULL");
    expect(Number(after)).toBe(Number(n));
  });

  test("empty, too long and prefix-too-short queries, and malformed cursors, are BAD_USER_INPUT", async () => {
    for (const query of ["", "   ", "!?", "я".repeat(201), "м*"]) {
      expect([query, errorCodes(await search(query))]).toEqual([query, ["BAD_USER_INPUT"]]);
    }
    for (const after of ["nope", "c2VhcmNoOi0x", Buffer.from("search:abc").toString("base64url"), "%%%"]) {
      expect([after, errorCodes(await search("министр", 5, after))]).toEqual([after, ["BAD_USER_INPUT"]]);
    }
    expect(errorCodes(await search("министр", -1))).toEqual(["BAD_USER_INPUT"]);
  });

  test("a page past the end is empty but still knows the total", async () => {
    const first = await search("министр", 5);
    const total = first.data?.search.totalCount as number;
    const farCursor = Buffer.from(`search:${total + 10}`).toString("base64url");
    const past = await search("министр", 5, farCursor);
    expect(past.errors).toBeUndefined();
    expect(past.data?.search).toMatchObject({ totalCount: total, edges: [], pageInfo: { hasNextPage: false } });
    // The search statement alone: with no edges there are no rubrics to load.
    expect(past.statements).toBe(1);
  });

  test("one statement for the page whatever its size, plus the batched rubrics", async () => {
    // Queries no other test sends, so no response cache can answer them.
    const small = await search("министру", 5);
    const large = await search("министра", 50);
    expect(large.data?.search.edges).toHaveLength(50);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBe(2);
  });
});

import type { DataSource } from "typeorm";
import { ArticleStatus, TagKind } from "../../entities";
import { toDbTime } from "../../src/db/time";
import { fromGlobalId, toGlobalId } from "../../src/graphql/globalId";
import { RECENT_WINDOW } from "../../src/read/search/recentWindow";
import { SEARCH_CANDIDATE_CAP } from "../../src/read/search/searchArticles";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { drainSearchPostings } from "../../src/write/derived/searchPostings";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type RunResult, type TestGateway } from "../helpers/gateway";

const SEARCH = `query S($query: String!, $first: Int, $after: String, $orderBy: SearchOrder, $filter: SearchFilter) {
  search(query: $query, first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    totalCount
    totalCountIsExact
    edges { cursor node { id title publishedAt rubrics { slug } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Connection = {
  totalCount: number;
  totalCountIsExact: boolean;
  edges: { cursor: string; node: { id: string; title: string; publishedAt: string; rubrics: { slug: string }[] } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

/** More articles hold this word than a search ranks. */
const WORD = "Зеленоборск";
const MANY = SEARCH_CANDIDATE_CAP + 60;
const FILLER = "Краснополье";
const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

interface Written {
  id: number;
  publishedAt: Date;
  rubric: string;
}

/** `count` published articles holding `title`, one an hour from `from`, in one transaction as a bulk writer would. */
async function writeMany(ds: DataSource, count: number, from: number, rubrics: { id: number; slug: string }[], title = WORD): Promise<Written[]> {
  const now = toDbTime(new Date());
  return ds.transaction(async (m) => {
    const written: Written[] = [];
    for (let i = 0; i < count; i += 200) {
      const batch = Array.from({ length: Math.min(200, count - i) }, (_, k) => i + k);
      const slugs = batch.map((n) => `search-paging-${from}-${n}`);
      await m.query(
        `INSERT INTO article (slug, path, title, title_key, lead, body, published_at, status, views, language, created_at, updated_at) VALUES ${batch
          .map(() => "(?, ?, ?, ?, NULL, ?, ?, 'PUBLISHED', 0, 'ru', ?, ?)")
          .join(", ")}`,
        batch.flatMap((n, k) => [slugs[k], `/${slugs[k]}`, `${title} ${n}`, `${title.toLowerCase()} ${n}`, `Новости города ${title}.`, toDbTime(new Date(from + n * HOUR)), now, now]),
      );
      const rows: { id: unknown; slug: string }[] = await m.query(`SELECT id, slug FROM article WHERE slug IN (${slugs.map(() => "?").join(", ")})`, slugs);
      const idOf = new Map(rows.map((r) => [r.slug, Number(r.id)]));
      const tagged = batch.map((n, k) => ({ id: idOf.get(slugs[k]) as number, publishedAt: new Date(from + n * HOUR), rubric: rubrics[n % rubrics.length] }));
      await m.query(
        `INSERT INTO article_tag (article_id, tag_id, position) VALUES ${tagged.map(() => "(?, ?, 0)").join(", ")}`,
        tagged.flatMap((t) => [t.id, t.rubric.id]),
      );
      written.push(...tagged.map((t) => ({ id: t.id, publishedAt: t.publishedAt, rubric: t.rubric.slug })));
    }
    await articlesChanged(m, { ids: written.map((w) => w.id), days: written.map((w) => w.publishedAt) });
    return written;
  });
}

function errorCodes(result: RunResult<unknown>): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}

const idOf = (e: Connection["edges"][number]) => fromGlobalId(e.node.id).id;

describe.each(databaseKinds())("search paging and filters on %s", (kind) => {
  let gw: TestGateway;
  let ds: DataSource;
  let written: Written[];
  let rubrics: { id: number; slug: string }[];

  async function search(vars: Record<string, unknown>): Promise<Connection> {
    const result = await gw.run<{ search: Connection }>(SEARCH, { query: WORD, ...vars });
    expect(result.errors).toBeUndefined();
    return (result.data as { search: Connection }).search;
  }

  /** Every reachable edge, page by page through the cursors. */
  async function allEdges(vars: Record<string, unknown>, first: number): Promise<Connection["edges"]> {
    const edges: Connection["edges"] = [];
    let after: string | undefined;
    for (;;) {
      const page = await search({ ...vars, first, ...(after ? { after } : {}) });
      edges.push(...page.edges);
      if (!page.pageInfo.hasNextPage) return edges;
      after = page.pageInfo.endCursor as string;
    }
  }

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 40, seed: 5 } });
    ds = gw.database.db.dataSource;
    const tags: { id: unknown; slug: string }[] = await ds.query("SELECT id, slug FROM tag WHERE kind = ? ORDER BY id LIMIT 3", [TagKind.RUBRIC]);
    rubrics = tags.map((t) => ({ id: Number(t.id), slug: t.slug }));
    written = await writeMany(ds, MANY, START, rubrics);
    // Newer articles without WORD fill the window of newest articles that MariaDB reads before its kept postings,
    // so that WORD is rare there and the searches below go to the postings; FILLER is common there.
    await writeMany(ds, RECENT_WINDOW, START + 3000 * HOUR, rubrics, FILLER);
    // MariaDB finds WORD through its kept postings, which the serving process's worker writes after the commit.
    await drainSearchPostings(ds);
  }, 180_000);
  afterAll(() => gw?.close());

  test("a word in more articles than the cap: totalCount stops at the cap and says so, and paging reaches exactly the cap", async () => {
    const first = await search({ first: 5 });
    expect([first.totalCount, first.totalCountIsExact, first.pageInfo.hasNextPage]).toEqual([SEARCH_CANDIDATE_CAP, false, true]);
    const edges = await allEdges({}, 100);
    expect(edges).toHaveLength(SEARCH_CANDIDATE_CAP);
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(SEARCH_CANDIDATE_CAP);
    const mine = new Set(written.map((w) => w.id));
    expect(edges.every((e) => mine.has(idOf(e)))).toBe(true);
  });

  test("NEWEST gives the newest matches of all of them, newest first", async () => {
    const newest = [...written].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).slice(0, 30);
    const page = await search({ first: 30, orderBy: "NEWEST" });
    expect(page.edges.map(idOf)).toEqual(newest.map((w) => w.id));
    expect([page.totalCount, page.totalCountIsExact]).toEqual([SEARCH_CANDIDATE_CAP, false]);
  });

  test("the filter narrows by rubric and [from, to) before the cap, and a narrow search counts exactly", async () => {
    const from = new Date(START + 100 * HOUR);
    const to = new Date(START + 400 * HOUR);
    const rubric = rubrics[1].slug;
    const expected = written
      .filter((w) => w.rubric === rubric && w.publishedAt >= from && w.publishedAt < to)
      .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    expect(expected.length).toBeGreaterThan(50);
    const filter = { rubric, from: from.toISOString(), to: to.toISOString() };
    const edges = await allEdges({ orderBy: "NEWEST", filter }, 40);
    expect(edges.map(idOf)).toEqual(expected.map((w) => w.id));
    expect(edges.every((e) => e.node.rubrics.some((r) => r.slug === rubric))).toBe(true);
    const page = await search({ first: 3, filter });
    expect([page.totalCount, page.totalCountIsExact]).toEqual([expected.length, true]);
    // The cap applies after the filter: a rubric alone still holds more than the cap ... or all of its matches.
    const byRubric = await search({ first: 1, filter: { rubric } });
    const inRubric = written.filter((w) => w.rubric === rubric).length;
    expect([byRubric.totalCount, byRubric.totalCountIsExact]).toEqual([Math.min(inRubric, SEARCH_CANDIDATE_CAP), inRubric <= SEARCH_CANDIDATE_CAP]);
    expect((await search({ first: 1, filter: { rubric: "no-such-rubric" } })).totalCount).toBe(0);
  });

  test.each(["RELEVANCE", "NEWEST"])("%s: pages after the first continue the first, even when articles are published and withdrawn in between", async (orderBy) => {
    const before = await allEdges({ orderBy }, 100);
    const page1 = await search({ orderBy, first: 10 });
    expect(page1.edges.map((e) => e.node.id)).toEqual(before.slice(0, 10).map((e) => e.node.id));

    // A new article that ranks first in both orders, and one already seen withdrawn.
    const [fresh] = await writeMany(ds, 1, START + 5000 * HOUR, rubrics, `${WORD} ${WORD}`);
    const seen = idOf(page1.edges[3]);
    await ds.transaction(async (m) => {
      await m.query("UPDATE article SET status = ? WHERE id = ?", [ArticleStatus.DRAFT, seen]);
      await articlesChanged(m, { ids: [seen], days: [] });
    });
    try {
      const first = await search({ orderBy, first: 10 });
      expect(first.edges[0].node.id).toBe(toGlobalId("Article", fresh.id));
      const page2 = await search({ orderBy, first: 10, after: page1.pageInfo.endCursor });
      expect(page2.edges.map((e) => e.node.id)).toEqual(before.slice(10, 20).map((e) => e.node.id));
      // The last edge of page 1 withdrawn too: the page still continues after the edges before it.
      const last = idOf(page1.edges[9]);
      await ds.transaction(async (m) => {
        await m.query("UPDATE article SET status = ? WHERE id = ?", [ArticleStatus.DRAFT, last]);
        await articlesChanged(m, { ids: [last], days: [] });
      });
      const again = await search({ orderBy, first: 10, after: page1.pageInfo.endCursor });
      expect(again.edges.map((e) => e.node.id)).toEqual(before.slice(10, 20).map((e) => e.node.id));
      await ds.transaction(async (m) => {
        await m.query("UPDATE article SET status = ? WHERE id IN (?, ?)", [ArticleStatus.PUBLISHED, seen, last]);
        await m.query("DELETE FROM article WHERE id = ?", [fresh.id]);
        await articlesChanged(m, { ids: [seen, last, fresh.id], days: [fresh.publishedAt] });
      });
    } finally {
      written = written.filter((w) => w.id !== fresh.id);
    }
    expect((await search({ orderBy, first: 10 })).edges.map((e) => e.node.id)).toEqual(before.slice(0, 10).map((e) => e.node.id));
  });

  test("a word common among the newest articles: NEWEST gives the newest of them, and the count is capped", async () => {
    const page = await search({ query: FILLER, first: 5, orderBy: "NEWEST" });
    const newest = Array.from({ length: 5 }, (_, i) => `${FILLER} ${RECENT_WINDOW - 1 - i}`);
    expect(page.edges.map((e) => e.node.title)).toEqual(newest);
    expect([page.totalCount, page.totalCountIsExact]).toEqual([SEARCH_CANDIDATE_CAP, false]);
    const relevance = await allEdges({ query: FILLER }, 100);
    expect(new Set(relevance.map((e) => e.node.id)).size).toBe(SEARCH_CANDIDATE_CAP);
  });

  test("bad cursors, a cursor of the other order and an empty date range are BAD_USER_INPUT", async () => {
    const relevance = await search({ first: 2 });
    const other = await gw.run(SEARCH, { query: WORD, first: 2, orderBy: "NEWEST", after: relevance.pageInfo.endCursor });
    expect(errorCodes(other)).toEqual(["BAD_USER_INPUT"]);
    expect(other.errors?.[0].message).toMatch(/another orderBy/);
    const forged = Buffer.from(JSON.stringify(["search", "RELEVANCE", 0, "x", "2024-01-01 00:00:00.000", 1, []])).toString("base64url");
    expect(errorCodes(await gw.run(SEARCH, { query: WORD, after: forged }))).toEqual(["BAD_USER_INPUT"]);
    const empty = await gw.run(SEARCH, { query: WORD, filter: { from: "2024-02-01T00:00:00Z", to: "2024-02-01T00:00:00Z" } });
    expect(errorCodes(empty)).toEqual(["BAD_USER_INPUT"]);
    expect(empty.errors?.[0].message).toMatch(/filter\.to must be later than filter\.from/);
  });

  test("one statement for a filtered page whatever its size", async () => {
    // Article 7 of the batch is in the second rubric.
    const filter = { rubric: rubrics[1].slug, from: new Date(START).toISOString() };
    const small = await gw.run(SEARCH, { query: `${WORD} 7`, first: 5, filter });
    expect((small.data as { search: Connection }).search.edges.length).toBeGreaterThan(0);
    const large = await gw.run(SEARCH, { query: WORD, first: 50, orderBy: "NEWEST", filter });
    expect(small.errors).toBeUndefined();
    expect((large.data as { search: Connection }).search.edges).toHaveLength(50);
    // The search itself, then the page's rubrics in one batch.
    expect([small.statements, large.statements]).toEqual([2, 2]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { toDbTime, utcDay } from "../../src/db/time";
import { encodeCursor } from "../../src/read/paging/pages";
import { refreshPopularRanking } from "../../src/write/derived/popularRanking";
import { corpusOptions, generateCorpus } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

/*
 * The plans MariaDB (production) chooses for the contract's lists, counts
 * and popular windows: every list reads a range of an index that starts
 * with its filter and stops after its page, at the first page and deep in
 * the list, never sorting a whole rubric, author or archive; counts read the
 * kept table; a popular window reads the kept ranking. ANALYZE runs each
 * statement the gateway sent (with its parameters) and reports the rows
 * each table really gave, so the checks do not rest on estimates. The
 * corpus is seeded and analysed (writeCorpus runs ANALYZE TABLE) with a
 * fixed seed, so the statistics and the plans are the same on every run.
 */

const ARTICLES = 6000;
const FIRST = 20;
const operationText = (name: string) => fs.readFileSync(path.join(__dirname, "../../schema/operations", `${name}.graphql`), "utf8");

interface PlanRow {
  id: number;
  table: string | null;
  type: string | null;
  key: string | null;
  r_rows: number | null;
  Extra: string | null;
}

interface Statement {
  sql: string;
  params: unknown[];
}

const mysqlOnly = databaseKinds().includes("mysql") ? describe : describe.skip;

mysqlOnly(`list plans over ${ARTICLES} articles on mysql`, () => {
  let gw: TestGateway;
  let rubric: { id: number; slug: string };
  let hashtag: { id: number; slug: string };
  let author: { id: number; slug: string };

  beforeAll(async () => {
    gw = await createTestGateway("mysql", { corpus: false });
    await writeCorpus(gw.app.db.dataSource, generateCorpus(corpusOptions({ articles: ARTICLES, seed: 3 })));
    const ds = gw.app.db.dataSource;
    const biggest = async (kind: string) =>
      (
        await ds.query(
          "SELECT t.id, t.slug FROM tag t JOIN article_count c ON c.dimension = 'tag' AND c.key_id = t.id WHERE t.kind = ? ORDER BY c.article_count DESC, t.id LIMIT 1",
          [kind],
        )
      ).map((r: Record<string, unknown>) => ({ id: Number(r.id), slug: String(r.slug) }))[0];
    rubric = await biggest("RUBRIC");
    hashtag = await biggest("HASHTAG");
    [author] = (await ds.query("SELECT au.id, au.slug FROM author au JOIN article_count c ON c.dimension = 'author' AND c.key_id = au.id ORDER BY c.article_count DESC, au.id LIMIT 1")).map(
      (r: Record<string, unknown>) => ({ id: Number(r.id), slug: String(r.slug) }),
    );
  }, 600_000);
  afterAll(() => gw?.close(), 120_000);

  /** Runs an operation and returns the statements it sent, with their parameters. */
  async function statementsOf(query: string, variables: Record<string, unknown>): Promise<Statement[]> {
    const seen: Statement[] = [];
    gw.app.db.statements.onStatement = (sql, params) => seen.push({ sql, params: params ?? [] });
    try {
      const r = await gw.run(query, variables);
      expect(r.errors).toBeUndefined();
    } finally {
      gw.app.db.statements.onStatement = null;
    }
    return seen;
  }

  async function analyze(s: Statement): Promise<PlanRow[]> {
    const rows: Record<string, unknown>[] = await gw.app.db.dataSource.query(`ANALYZE ${s.sql}`, s.params);
    return rows.map((r) => ({
      id: Number(r.id),
      table: (r.table as string) ?? null,
      type: (r.type as string) ?? null,
      key: (r.key as string) ?? null,
      r_rows: r.r_rows === null || r.r_rows === undefined ? null : Number(r.r_rows),
      Extra: (r.Extra as string) ?? null,
    }));
  }

  const describePlan = (plan: PlanRow[]) => plan.map((p) => `${p.table} ${p.type} ${p.key} r_rows=${p.r_rows} ${p.Extra ?? ""}`).join("\n");

  /**
   * The one statement of an operation that matches `pattern`; its plan must
   * read `table` by one of `keys`, at most a page's rows (first + 1 asked,
   * and the one more the engine reads to see the range go on), without a sort.
   */
  async function expectIndexRange(statements: Statement[], pattern: RegExp, table: string, keys: string[], maxRows = FIRST + 2): Promise<void> {
    const matching = statements.filter((s) => pattern.test(s.sql));
    expect(matching).toHaveLength(1);
    const plan = await analyze(matching[0]);
    const reads = plan.filter((p) => p.table === table);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect({ key: keys.includes(read.key ?? "") ? "expected" : read.key, plan: describePlan(plan) }).toEqual({ key: "expected", plan: describePlan(plan) });
      expect(read.r_rows ?? 0).toBeLessThanOrEqual(maxRows);
    }
    expect(describePlan(plan)).not.toMatch(/filesort/i);
  }

  /**
   * A cursor in the middle of a list: the page after it starts deep in the
   * index. The range starts at the cursor's value, so the articles that tie
   * with it on that value and come before it by id are read and passed over
   * too (many articles share a view count): `ties` says how many.
   */
  async function middleCursor(sql: string, params: readonly unknown[], order: "PUBLISHED_AT_DESC" | "VIEWS_DESC"): Promise<{ after: string; ties: number }> {
    const rows: Record<string, unknown>[] = await gw.app.db.dataSource.query(sql, [...params]);
    const row = rows[Math.floor(rows.length / 2)];
    const valueOf = (r: Record<string, unknown>) => (order === "VIEWS_DESC" ? Number(r.views) : toDbTime(new Date(r.published_at as string)));
    const ties = rows.filter((r) => valueOf(r) === valueOf(row) && Number(r.id) > Number(row.id)).length;
    return { after: encodeCursor({ order, value: valueOf(row), id: Number(row.id) }), ties };
  }

  test("a rubric's and a hashtag's pages read the tag's own index, first and deep, by date and by views", async () => {
    const inTag = (tagId: number) => [
      "SELECT a.id, a.published_at, a.views FROM article a JOIN article_tag at ON at.article_id = a.id WHERE at.tag_id = ? ORDER BY a.published_at DESC, a.id DESC",
      [tagId],
    ] as const;
    const tagList = /FROM article_tag at JOIN article a ON a\.id = at\.article_id LEFT JOIN author au ON au\.id = a\.author_id\s+WHERE at\.tag_id = \?/;
    for (const [tag, kind] of [[rubric, "RUBRIC"], [hashtag, "HASHTAG"]] as const) {
      for (const { after, ties } of [{ after: null, ties: 0 }, await middleCursor(...inTag(tag.id), "PUBLISHED_AT_DESC")]) {
        const statements = await statementsOf(operationText("rubric-page"), { slug: tag.slug, kind, first: FIRST, after });
        await expectIndexRange(statements, tagList, "at", ["article_tag_listing"], FIRST + 2 + ties);
      }
      for (const { after, ties } of [{ after: null, ties: 0 }, await middleCursor(...inTag(tag.id), "VIEWS_DESC")]) {
        const statements = await statementsOf(
          `query($slug: String!, $kind: TagKind!, $after: String) { tag(slug: $slug, kind: $kind) { articles(first: ${FIRST}, after: $after, orderBy: VIEWS_DESC) { edges { node { id } } } } }`,
          { slug: tag.slug, kind, after },
        );
        await expectIndexRange(statements, tagList, "at", ["article_tag_by_views"], FIRST + 2 + ties);
      }
    }
  }, 120_000);

  test("articles(filter: { rubric }) reads the same index, not the archive by date", async () => {
    const deep = await middleCursor(
      "SELECT a.id, a.published_at FROM article a JOIN article_tag at ON at.article_id = a.id WHERE at.tag_id = ? ORDER BY a.published_at DESC, a.id DESC",
      [rubric.id],
      "PUBLISHED_AT_DESC",
    );
    for (const { after, ties } of [{ after: null, ties: 0 }, deep]) {
      const statements = await statementsOf(`query($f: ArticleFilter, $after: String) { articles(first: ${FIRST}, after: $after, filter: $f) { edges { node { id } } } }`, {
        f: { rubric: rubric.slug },
        after,
      });
      await expectIndexRange(statements, /FROM article_tag at JOIN article a/, "at", ["article_tag_listing"], FIRST + 2 + ties);
    }
  }, 120_000);

  test("an author's page reads the author's index, first and deep, by date and by views", async () => {
    const ofAuthor = ["SELECT id, published_at, views FROM article WHERE author_id = ? ORDER BY published_at DESC, id DESC", [author.id]] as const;
    const authorList = /FROM article a LEFT JOIN author au ON au\.id = a\.author_id\s+WHERE a\.author_id = \?/;
    for (const { after, ties } of [{ after: null, ties: 0 }, await middleCursor(...ofAuthor, "PUBLISHED_AT_DESC")]) {
      const statements = await statementsOf(operationText("author-page"), { slug: author.slug, first: FIRST, after });
      await expectIndexRange(statements, authorList, "a", ["article_author_published"], FIRST + 2 + ties);
    }
    for (const { after, ties } of [{ after: null, ties: 0 }, await middleCursor(...ofAuthor, "VIEWS_DESC")]) {
      const statements = await statementsOf(
        `query($slug: String!, $after: String) { author(slug: $slug) { articles(first: ${FIRST}, after: $after, orderBy: VIEWS_DESC) { edges { node { id } } } } }`,
        { slug: author.slug, after },
      );
      await expectIndexRange(statements, authorList, "a", ["article_author_views"], FIRST + 2 + ties);
    }
  }, 120_000);

  test("the archive page and the front page read by date from their index; counts read the kept tables", async () => {
    const [month] = await gw.app.db.dataSource.query("SELECT year, month, SUM(article_count) AS n FROM archive_day GROUP BY year, month ORDER BY SUM(article_count) DESC, year, month LIMIT 1");
    const start = new Date(Date.UTC(Number(month.year), Number(month.month) - 1, 1));
    const end = new Date(Date.UTC(Number(month.year), Number(month.month), 1));
    const deep = await middleCursor(
      "SELECT id, published_at FROM article WHERE published_at >= ? AND published_at < ? ORDER BY published_at DESC, id DESC",
      [toDbTime(start), toDbTime(end)],
      "PUBLISHED_AT_DESC",
    );
    const byDate = /FROM article a(?: FORCE INDEX \(\w+\))? LEFT JOIN author au ON au\.id = a\.author_id WHERE a\.deleted_at IS NULL AND a\.status = 'PUBLISHED' AND a\.published_at >= \?/;
    for (const { after, ties } of [{ after: null, ties: 0 }, deep]) {
      const statements = await statementsOf(operationText("archive-page"), { year: Number(month.year), month: Number(month.month), first: FIRST, after });
      await expectIndexRange(statements, byDate, "a", ["article_status_published", "article_listed_newest"], FIRST + 2 + ties);
      // totalCount of a month: the kept month count, not the articles; the navigation reads the months, the selected month its days.
      expect(statements.filter((s) => /COUNT\(/.test(s.sql))).toEqual([]);
      expect(statements.some((s) => /FROM archive_month d WHERE d\.year = \? AND d\.month = \?/.test(s.sql))).toBe(true);
      expect(statements.some((s) => /FROM archive_month WHERE article_count > 0 ORDER BY/.test(s.sql))).toBe(true);
      expect(statements.some((s) => /FROM archive_day WHERE article_count > 0 AND year = \? AND month = \?/.test(s.sql))).toBe(true);
    }

    // The front page: the newest articles by date, the rubrics' kept counts, the week's kept ranking.
    await gw.app.db.dataSource.transaction((m) => refreshPopularRanking(m, [], utcDay(new Date())));
    const day = utcDay(new Date());
    const statements = await statementsOf(operationText("front-page"), { first: FIRST });
    await expectIndexRange(statements, /FROM article a LEFT JOIN author au ON au\.id = a\.author_id WHERE a\.deleted_at IS NULL AND a\.status = 'PUBLISHED' ORDER BY/, "a", ["article_status_published", "article_listed_newest"]);
    const counts = statements.filter((s) => /article_count c/.test(s.sql));
    expect(counts).toHaveLength(1);
    for (const p of await analyze(counts[0])) if (p.table === "c") expect(p.key).toBe("PRIMARY");
    expect(statements.filter((s) => /COUNT\(/.test(s.sql))).toEqual([]);
    const popular = statements.filter((s) => /popular_rank/.test(s.sql));
    expect(popular).toHaveLength(1);
    const plan = await analyze(popular[0]);
    if (utcDay(new Date()) === day) {
      // Ranked for today: the kept rows are read, the per-day rows are not.
      expect(plan.filter((p) => p.table === "r").map((p) => p.key)).toEqual(["PRIMARY"]);
      expect(plan.filter((p) => p.table === "v" && (p.r_rows ?? 0) > 0)).toEqual([]);
      expect(describePlan(plan)).toMatch(/Impossible WHERE/);
    }
  }, 120_000);
});

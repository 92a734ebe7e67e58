import { articlesChanged } from "../../src/write/derived/articleChanges";
import { fromDbTime } from "../../src/db/time";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const LIST = `query($filter: ArticleFilter, $orderBy: ArticleOrder) {
  articles(first: 100, filter: $filter, orderBy: $orderBy) { totalCount edges { node { slug } } }
}`;

interface Known {
  slug: string;
  publishedAt: Date;
  views: number;
  id: number;
  author: string;
  tags: Set<string>;
}

type ListData = { articles: { totalCount: number; edges: { node: { slug: string } }[] } };

describe.each(databaseKinds())("articles(filter, orderBy) on %s", (kind) => {
  let gw: TestGateway;
  /** Every listed article, as the database holds it, newest first. */
  let known: Known[];
  let hidden: Set<string>;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 150, seed: 9, from: new Date(Date.UTC(2024, 0, 20)), to: new Date(Date.UTC(2024, 2, 10)) } });
    const ds = gw.app.db.dataSource;
    // Hidden articles must never match any filter.
    const hide = await ds.query("SELECT id, slug, published_at FROM article ORDER BY id LIMIT 4");
    // Hidden as a writer hides them: in a transaction that keeps what is derived from the articles (articlesChanged).
    await ds.transaction(async (m) => {
      await m.query("UPDATE article SET status = 'DRAFT' WHERE id IN (?, ?)", [hide[0].id, hide[1].id]);
      await m.query("UPDATE article SET deleted_at = updated_at WHERE id IN (?, ?)", [hide[2].id, hide[3].id]);
      await articlesChanged(m, { ids: hide.map((r: { id: unknown }) => Number(r.id)), days: hide.map((r: { published_at: unknown }) => fromDbTime(r.published_at)) });
    });
    hidden = new Set(hide.map((r: { slug: string }) => r.slug));
    const rows = await ds.query(
      `SELECT a.id, a.slug, a.published_at, a.views, au.slug AS author FROM article a JOIN author au ON au.id = a.author_id
       WHERE a.status = 'PUBLISHED' AND a.deleted_at IS NULL`,
    );
    const tags = await ds.query("SELECT x.article_id, t.kind, t.slug FROM article_tag x JOIN tag t ON t.id = x.tag_id");
    const tagsOf = new Map<number, Set<string>>();
    for (const t of tags) {
      const set = tagsOf.get(Number(t.article_id)) ?? new Set<string>();
      set.add(`${t.kind}:${t.slug}`);
      tagsOf.set(Number(t.article_id), set);
    }
    known = rows
      .map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        slug: String(r.slug),
        publishedAt: fromDbTime(r.published_at) as Date,
        views: Number(r.views),
        author: String(r.author),
        tags: tagsOf.get(Number(r.id)) ?? new Set<string>(),
      }))
      .sort((a: Known, b: Known) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.id - a.id);
  });
  afterAll(() => gw?.close());

  async function list(filter: Record<string, unknown>, orderBy = "PUBLISHED_AT_DESC"): Promise<{ totalCount: number; slugs: string[] }> {
    const r = await gw.run<ListData>(LIST, { filter, orderBy });
    expect(r.errors).toBeUndefined();
    return { totalCount: r.data!.articles.totalCount, slugs: r.data!.articles.edges.map((e) => e.node.slug) };
  }

  /** Checks the API's answer against the articles that satisfy `keep`, and that the filter really narrows. */
  async function expectNarrowed(filter: Record<string, unknown>, keep: (a: Known) => boolean): Promise<void> {
    const expected = known.filter(keep);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(known.length);
    const got = await list(filter);
    expect(got.totalCount).toBe(expected.length);
    expect(got.slugs).toEqual(expected.slice(0, 100).map((a) => a.slug));
    for (const slug of got.slugs) expect(hidden.has(slug)).toBe(false);
  }

  const ymd = (a: Known) => [a.publishedAt.getUTCFullYear(), a.publishedAt.getUTCMonth() + 1, a.publishedAt.getUTCDate()];

  test("year, month and day narrow to that calendar period (UTC)", async () => {
    const [y, m, d] = ymd(known[40]);
    await expectNarrowed({ year: 2024, month: 2 }, (a) => ymd(a)[0] === 2024 && ymd(a)[1] === 2);
    await expectNarrowed({ year: y, month: m, day: d }, (a) => ymd(a).join() === [y, m, d].join());
    const none = await list({ year: 2023 });
    expect(none).toEqual({ totalCount: 0, slugs: [] });
  });

  test("from is inclusive and to exclusive", async () => {
    const from = known[70].publishedAt;
    const to = known[20].publishedAt;
    await expectNarrowed({ from: from.toISOString(), to: to.toISOString() }, (a) => a.publishedAt >= from && a.publishedAt < to);
  });

  test("rubric, hashtag, author and several tags (all must match) narrow", async () => {
    const counts = new Map<string, number>();
    for (const a of known) for (const t of a.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const rubric = byFrequency.find(([t]) => t.startsWith("RUBRIC:"))![0];
    const hashtag = byFrequency.find(([t]) => t.startsWith("HASHTAG:"))![0];
    await expectNarrowed({ rubric: rubric.split(":")[1] }, (a) => a.tags.has(rubric));
    await expectNarrowed({ hashtag: hashtag.split(":")[1] }, (a) => a.tags.has(hashtag));
    await expectNarrowed({ author: known[0].author }, (a) => a.author === known[0].author);
    // Two tags that some articles have together and others have alone.
    const pair = known.find((a) => a.tags.has(rubric) && a.tags.size > 1 && [...a.tags].some((t) => t !== rubric && known.some((b) => b.tags.has(t) && !b.tags.has(rubric))))!;
    const other = [...pair.tags].find((t) => t !== rubric && known.some((b) => b.tags.has(t) && !b.tags.has(rubric)))!;
    const tags = [rubric, other].map((t) => ({ kind: t.split(":")[0], slug: t.split(":")[1] }));
    await expectNarrowed({ tags }, (a) => a.tags.has(rubric) && a.tags.has(other));
    expect(known.filter((a) => a.tags.has(other)).length).toBeGreaterThan(known.filter((a) => a.tags.has(rubric) && a.tags.has(other)).length);
    await expectNarrowed({ rubric: rubric.split(":")[1], year: 2024, month: 2 }, (a) => a.tags.has(rubric) && ymd(a)[1] === 2);
  });

  test("orderBy sorts by publication time either way, or by views; ties by id", async () => {
    const filter = { year: 2024, month: 2 };
    const feb = known.filter((a) => ymd(a)[1] === 2);
    expect((await list(filter, "PUBLISHED_AT_ASC")).slugs).toEqual(
      [...feb].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id).map((a) => a.slug),
    );
    expect((await list(filter, "VIEWS_DESC")).slugs).toEqual([...feb].sort((a, b) => b.views - a.views || b.id - a.id).map((a) => a.slug));
  });

  test.each([
    [{ year: 2024, day: 3 }, "day needs a month."],
    [{ year: 2024, month: 13 }, "month must be between 1 and 12, got 13."],
    [{ year: 2024, month: 0 }, "month must be between 1 and 12, got 0."],
    [{ year: 2025, month: 2, day: 29 }, "day must be between 1 and 28 in 2025-02, got 29."],
    [{ year: 2024, month: 2, day: 31 }, "day must be between 1 and 29 in 2024-02, got 31."],
    [{ month: 2 }, "month and day need a year."],
    [{ day: 2 }, "month and day need a year."],
    [{ year: 99 }, "year must be between 1000 and 9999, got 99."],
  ])("%j is BAD_USER_INPUT", async (filter, message) => {
    const r = await gw.run(LIST, { filter });
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT" } });
  });

  test("29 February of a leap year is a valid day", async () => {
    const r = await gw.run<ListData>(LIST, { filter: { year: 2024, month: 2, day: 29 } });
    expect(r.errors).toBeUndefined();
  });
});

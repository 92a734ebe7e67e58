import { utcDay } from "../../src/db/time";
import { toGlobalId } from "../../src/graphql/globalId";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const POPULAR = `query($first: Int!, $window: PopularWindow!, $rubric: String) { popular(first: $first, window: $window, rubric: $rubric) { id } }`;

const daysAgo = (n: number) => utcDay(new Date(Date.now() - n * 86_400_000));

describe.each(databaseKinds())("popular on %s", (kind) => {
  let gw: TestGateway;
  /** Published article ids, newest first. */
  let newest: number[];
  const gid = (id: number) => toGlobalId("Article", id);

  async function popular(first: number, window: string, rubric?: string): Promise<number[]> {
    const r = await gw.run<{ popular: { id: string }[] }>(POPULAR, { first, window, rubric });
    expect(r.errors).toBeUndefined();
    // One statement per call, whichever sources it draws from.
    expect(r.statements).toBe(1);
    return r.data!.popular.map((a) => Number(Buffer.from(a.id, "base64").toString("utf8").split(":")[1]));
  }

  async function views(rows: [number, string, number][]): Promise<void> {
    for (const [id, day, n] of rows) await gw.app.db.dataSource.query("INSERT INTO article_view_day (article_id, day, views) VALUES (?, ?, ?)", [id, day, n]);
  }

  async function siteList(ids: number[]): Promise<void> {
    await gw.app.db.dataSource.query("DELETE FROM collection_item");
    for (const [i, id] of ids.entries()) await gw.app.db.dataSource.query("INSERT INTO collection_item (collection_id, position, article_id) VALUES (1, ?, ?)", [i, id]);
  }

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 30, seed: 11 } });
    const rows = await gw.app.db.dataSource.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC, id DESC");
    newest = rows.map((r: { id: unknown }) => Number(r.id));
  });
  afterAll(() => gw?.close());

  beforeEach(async () => {
    // Every test states the views and the site list it ranks.
    await gw.app.db.dataSource.query("DELETE FROM article_view_day");
    // The tests write view days directly, past the counter that keeps the rankings: none is kept, so each window is summed.
    await gw.app.db.dataSource.query("DELETE FROM popular_span");
    await gw.app.db.dataSource.query("UPDATE article SET views = 0, status = 'PUBLISHED', deleted_at = NULL");
    await siteList([]);
  });

  test("each window counts only its own days, most-viewed first", async () => {
    const [a, b, c, d] = newest.slice(10, 14);
    await views([
      [a, daysAgo(0), 5],
      [b, daysAgo(0), 2],
      [b, daysAgo(6), 10], // in the week, not in the day
      [c, daysAgo(7), 50], // just outside the week
      [c, daysAgo(29), 1], // in the month
      [d, daysAgo(30), 99], // outside the month
    ]);
    expect((await popular(2, "DAY"))).toEqual([a, b]);
    expect((await popular(2, "WEEK"))).toEqual([b, a]);
    expect((await popular(3, "MONTH"))).toEqual([c, b, a]);
  });

  test("ALL_TIME ranks by the article's total views", async () => {
    const [a, b, c] = newest.slice(3, 6);
    await gw.app.db.dataSource.query("UPDATE article SET views = CASE id WHEN ? THEN 7 WHEN ? THEN 300 WHEN ? THEN 40 ELSE 0 END", [a, b, c]);
    expect(await popular(3, "ALL_TIME")).toEqual([b, c, a]);
  });

  test("an empty window falls back to the site's popular list in its order, then to the newest articles, repeating none", async () => {
    const listed = [newest[20], newest[2], newest[15]];
    await siteList(listed);
    expect(await popular(6, "DAY")).toEqual([...listed, newest[0], newest[1], newest[3]]);
  });

  test("a window with a few views is topped up from the site list and then the newest, without duplicates", async () => {
    const viewed = newest[25];
    await views([[viewed, daysAgo(1), 3]]);
    await siteList([newest[25], newest[9], newest[0]]);
    expect(await popular(5, "WEEK")).toEqual([viewed, newest[9], newest[0], newest[1], newest[2]]);
  });

  test("unpublished and deleted articles never appear, whichever source names them", async () => {
    const [draft, deleted, shown] = newest.slice(0, 3);
    await views([[draft, daysAgo(0), 100], [deleted, daysAgo(0), 90], [shown, daysAgo(0), 1]]);
    await siteList([draft, deleted]);
    await gw.app.db.dataSource.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [draft]);
    await gw.app.db.dataSource.query("UPDATE article SET deleted_at = updated_at WHERE id = ?", [deleted]);
    const ids = await popular(4, "DAY");
    expect(ids).toEqual([shown, newest[3], newest[4], newest[5]]);
  });

  test("rubric narrows every source", async () => {
    const [{ slug }] = await gw.app.db.dataSource.query(
      "SELECT t.slug FROM tag t JOIN article_tag x ON x.tag_id = t.id WHERE t.kind = 'RUBRIC' GROUP BY t.id, t.slug ORDER BY COUNT(*) DESC, t.slug LIMIT 1",
    );
    const inRubric = new Set<number>(
      (await gw.app.db.dataSource.query("SELECT x.article_id FROM article_tag x JOIN tag t ON t.id = x.tag_id WHERE t.kind = 'RUBRIC' AND t.slug = ?", [slug])).map(
        (r: { article_id: unknown }) => Number(r.article_id),
      ),
    );
    const outside = newest.find((id) => !inRubric.has(id))!;
    const inside = newest.filter((id) => inRubric.has(id));
    expect(inside.length).toBeGreaterThanOrEqual(4);
    await views([[outside, daysAgo(0), 50], [inside[2], daysAgo(0), 5]]);
    await siteList([outside, inside[1]]);
    const ids = await popular(4, "DAY", slug);
    expect(ids).toEqual([inside[2], inside[1], inside[0], inside[3]]);
    expect(ids.every((id) => inRubric.has(id))).toBe(true);
  });

  test("first is checked: 0 is an empty list, outside 0..100 is BAD_USER_INPUT", async () => {
    expect(await gw.run(POPULAR, { first: 0, window: "WEEK" })).toMatchObject({ data: { popular: [] }, statements: 0 });
    for (const first of [-1, 101]) {
      const r = await gw.run(POPULAR, { first, window: "WEEK" });
      expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0].message).toBe(`first must be between 0 and 100, got ${first}.`);
    }
  });

  test("a view recorded and flushed moves an article up", async () => {
    const target = newest[17];
    await views([[newest[4], daysAgo(0), 2]]);
    for (let i = 0; i < 3; i++) {
      const r = await gw.run(`mutation($id: ID!) { recordView(articleId: $id) }`, { id: gid(target) });
      expect(r.errors).toBeUndefined();
    }
    await gw.app.views.flush();
    expect(await popular(2, "DAY")).toEqual([target, newest[4]]);
  });
});

import { toDbTime } from "../../src/db/time";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { refreshQueuedNeighbours } from "../../src/write/derived/keptNeighbours";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

// A hand-made site whose neighbour scores are known. A tag weighs
// 1 / ln(1 + its listed articles published within 30 days of the article):
//   rubric r1 (8 listed: 0.455), hashtag h1 (p and a listed; x is a draft, y deleted: 0.910),
//   hashtag h2 (3: 0.721), hashtag h3 (2: 0.910).
// p has r1, h1, h2 and editorial edges e2, e1 (and one to itself, which is never shown):
//   b shares r1 + h2 (1.176), a shares h1 (0.910), g shares h2 (0.721),
//   c, d, f3, f2, f1 share r1 (0.455 each; newest first), e1 shares r1 but is already editorial,
//   x (a draft) and y (deleted) share h1 and are never shown.
// q has only h3, shared with g. old shares r1 with p but was published
// months earlier, outside the window, and is never p's neighbour.
const ARTICLES: { slug: string; day: number; tags: string[]; status?: string; deleted?: boolean }[] = [
  { slug: "p", day: 20, tags: ["r1", "h1", "h2"] },
  { slug: "q", day: 21, tags: ["h3"] },
  { slug: "e1", day: 2, tags: ["r1"] },
  { slug: "e2", day: 3, tags: [] },
  { slug: "a", day: 4, tags: ["h1"] },
  { slug: "b", day: 5, tags: ["r1", "h2"] },
  { slug: "g", day: 6, tags: ["h2", "h3"] },
  { slug: "c", day: 19, tags: ["r1"] },
  { slug: "d", day: 18, tags: ["r1"] },
  { slug: "f1", day: 10, tags: ["r1"] },
  { slug: "f2", day: 11, tags: ["r1"] },
  { slug: "f3", day: 12, tags: ["r1"] },
  { slug: "x", day: 25, tags: ["h1"], status: "DRAFT" },
  { slug: "y", day: 26, tags: ["h1"], deleted: true },
  { slug: "old", day: -120, tags: ["r1", "h1", "h2"] },
];
const TAGS = [
  { slug: "r1", kind: "RUBRIC" },
  { slug: "h1", kind: "HASHTAG" },
  { slug: "h2", kind: "HASHTAG" },
  { slug: "h3", kind: "HASHTAG" },
];
const EDGES: [string, string][] = [
  ["p", "e2"],
  ["p", "e1"],
  ["p", "p"],
];

async function build(gw: TestGateway): Promise<void> {
  const ds = gw.app.db.dataSource;
  const id = (slug: string) => ARTICLES.findIndex((a) => a.slug === slug) + 1;
  await ds.query("INSERT INTO author (id, name, slug) VALUES (1, 'Автор', 'author')");
  for (const [i, t] of TAGS.entries()) await ds.query("INSERT INTO tag (id, kind, name, slug) VALUES (?, ?, ?, ?)", [i + 1, t.kind, t.slug, t.slug]);
  for (const [i, a] of ARTICLES.entries()) {
    const at = toDbTime(new Date(Date.UTC(2025, 4, a.day, 9)));
    await ds.query(
      `INSERT INTO article (id, slug, path, title, title_key, published_at, status, views, language, author_id, created_at, updated_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'ru', 1, ?, ?, ?)`,
      [i + 1, a.slug, `/news/${a.slug}`, a.slug, a.slug, at, a.status ?? "PUBLISHED", at, at, a.deleted ? at : null],
    );
    for (const [pos, tag] of a.tags.entries()) {
      await ds.query("INSERT INTO article_tag (article_id, tag_id, position) VALUES (?, ?, ?)", [i + 1, TAGS.findIndex((t) => t.slug === tag) + 1, pos]);
    }
  }
  for (const [pos, [from, to]] of EDGES.entries()) await ds.query("INSERT INTO article_related (article_id, related_id, position) VALUES (?, ?, ?)", [id(from), id(to), pos]);
  // As every writer does once its rows are in: derived tables follow the articles.
  await ds.transaction((m) => articlesChanged(m, { ids: ARTICLES.map((_, i) => i + 1), days: [] }));
  // The neighbours are ranked in the background after a write (the serving
  // process's NeighbourWorker); the test gateway runs no worker, so the test
  // works the queue off itself before reading.
  expect(await refreshQueuedNeighbours(ds)).toBeGreaterThan(0);
}

type Related = { related: { slug: string }[] };

describe.each(databaseKinds())("related on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: false });
    await build(gw);
  });
  afterAll(() => gw?.close());

  async function related(slug: string, first: number): Promise<string[]> {
    const r = await gw.run<{ article: Related }>(`query($slug: String!, $first: Int!) { article(slug: $slug) { related(first: $first) { slug } } }`, { slug, first });
    expect(r.errors).toBeUndefined();
    return r.data!.article.related.map((a) => a.slug);
  }

  test("editorial edges come first, in their order, and are enough when first is small", async () => {
    expect(await related("p", 1)).toEqual(["e2"]);
    expect(await related("p", 2)).toEqual(["e2", "e1"]);
  });

  test("then neighbours: most shared, rarer tags weighing more, fresher first on ties; never itself, a duplicate, a draft or a deleted article", async () => {
    expect(await related("p", 100)).toEqual(["e2", "e1", "b", "a", "g", "c", "d", "f3", "f2", "f1"]);
  });

  test("an article without editorial edges gets neighbours only", async () => {
    expect(await related("q", 5)).toEqual(["g"]);
    expect(await related("e2", 5)).toEqual([]);
  });

  test("first: 0 is an empty list; outside 0..100 is BAD_USER_INPUT", async () => {
    expect(await related("p", 0)).toEqual([]);
    const r = await gw.run(`{ article(slug: "p") { related(first: 101) { slug } } }`);
    expect(r.errors?.[0]).toMatchObject({ message: "first must be between 0 and 100, got 101.", extensions: { code: "BAD_USER_INPUT" } });
  });

  test("a whole page of articles, with different firsts, costs one statement for related", async () => {
    const page = `query($n: Int!) { articles(first: $n) { edges { node { slug two: related(first: 2) { slug } four: related(first: 4) { slug } } } } }`;
    const withoutRelated = `query($n: Int!) { articles(first: $n) { edges { node { slug } } } }`;
    type Page = { articles: { edges: { node: { slug: string; two: { slug: string }[]; four: { slug: string }[] } }[] } };
    const small = await gw.run<Page>(page, { n: 2 });
    const large = await gw.run<Page>(page, { n: 13 });
    const base = await gw.run(withoutRelated, { n: 13 });
    expect(large.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
    expect(large.statements - base.statements).toBe(1);
    const bySlug = new Map(large.data!.articles.edges.map((e) => [e.node.slug, e.node]));
    expect(bySlug.size).toBe(13);
    expect(bySlug.get("p")!.two.map((a) => a.slug)).toEqual(["e2", "e1"]);
    expect(bySlug.get("p")!.four.map((a) => a.slug)).toEqual(["e2", "e1", "b", "a"]);
    for (const node of bySlug.values()) {
      const slugs = node.four.map((a) => a.slug);
      expect(slugs).not.toContain(node.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
      expect(slugs).not.toContain("x");
      expect(slugs).not.toContain("y");
      expect(node.two.map((a) => a.slug)).toEqual(slugs.slice(0, 2));
    }
  });
});

import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import type { Viewer } from "../../src/read/viewer";

const EDITOR: Viewer = { role: "editor", keyName: "test-editor" };

type Errors = readonly { message: string; extensions?: Record<string, unknown> }[] | undefined;

function codeOf(errors: Errors): unknown {
  expect(errors).toHaveLength(1);
  return errors?.[0].extensions?.code;
}

const EVERY_LIST = `query Lists($slug: String!, $rubric: String!, $authorId: ID!, $year: Int!) {
  article(slug: $slug) { id title status path rubrics { slug } hashtags { name } related(first: 5) { id } }
  articles(first: 3) { totalCount edges { node { id title } } }
  tag(kind: RUBRIC, slug: $rubric) { articleCount articles(first: 100) { edges { node { id title } } } }
  author(id: $authorId) { articleCount articles(first: 100) { edges { node { id title } } } }
  archive(year: $year) { years { year count months { month days { day count } } } }
}`;

interface ListsData {
  article: { id: string; title: string; status: string; path: string; rubrics: { slug: string }[]; hashtags: { name: string }[]; related: { id: string }[] } | null;
  articles: { totalCount: number; edges: { node: { id: string; title: string } }[] };
  tag: { articleCount: number; articles: { edges: { node: { id: string; title: string } }[] } };
  author: { articleCount: number; articles: { edges: { node: { id: string; title: string } }[] } };
  archive: { years: { year: number; count: number; months: { month: number; days: { day: number; count: number }[] }[] }[] };
}

describe.each(databaseKinds())("editors' mutations on %s", (kind) => {
  let gw: TestGateway;
  let rubric: { id: string; slug: string };
  let someArticle: string;
  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 40, seed: 5 } });
    const r = await gw.run<{ rubrics: { id: string; slug: string }[]; articles: { edges: { node: { id: string } }[] } }>(
      `{ rubrics { id slug } articles(first: 1) { edges { node { id } } } }`,
    );
    rubric = r.data!.rubrics[0];
    someArticle = r.data!.articles.edges[0].node.id;
  });
  afterAll(() => gw?.close());

  async function articleRows(): Promise<number> {
    const [{ n }] = await gw.database.db.dataSource.query("SELECT COUNT(*) AS n FROM article");
    return Number(n);
  }

  test("invalid input is refused as BAD_USER_INPUT naming fields and rules, without the value, and writes nothing", async () => {
    const before = await articleRows();
    const r = await gw.run(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
      { input: { title: "", slug: "Not A Slug", language: "xx", paragraphs: ["one\n\ntwo"] } },
      { viewer: EDITOR },
    );
    expect(codeOf(r.errors)).toBe("BAD_USER_INPUT");
    const fields = (r.errors?.[0].extensions?.fields as { field: string; rules: string[] }[]).map((f) => [f.field, f.rules]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ["title", expect.arrayContaining(["isLength"])],
        ["slug", expect.arrayContaining(["matches"])],
        ["language", ["isIn"]],
        ["paragraphs", ["notContains"]],
      ]),
    );
    expect(JSON.stringify(r.errors)).not.toContain("Not A Slug");
    expect(JSON.stringify(r.errors)).not.toContain("xx");
    expect(r.statements).toBe(0);
    expect(await articleRows()).toBe(before);
  });

  test("input that passes the rules but not the data (unknown author, taken slug) is BAD_USER_INPUT and writes nothing", async () => {
    const before = await articleRows();
    const { data } = await gw.run<{ article: { slug: string; title: string } }>(`query($id: ID!) { article(id: $id) { slug title } }`, { id: someArticle });
    const taken = await gw.run(`mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, { input: { title: "Дубликат", slug: data!.article.slug } }, { viewer: EDITOR });
    expect(codeOf(taken.errors)).toBe("BAD_USER_INPUT");
    expect(taken.errors?.[0].extensions?.argument).toBe("slug");
    const noAuthor = await gw.run(
      `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`,
      { id: someArticle, input: { title: "Другой заголовок", authorId: Buffer.from("Author:99999").toString("base64") } },
      { viewer: EDITOR },
    );
    expect(codeOf(noAuthor.errors)).toBe("BAD_USER_INPUT");
    const after = await gw.run<{ article: { title: string } }>(`query($id: ID!) { article(id: $id) { title } }`, { id: someArticle });
    expect(after.data!.article.title).toBe(data!.article.title);
    expect(await articleRows()).toBe(before);
  });

  test("a draft is written, published, edited, unpublished and deleted; every read after each step shows it", async () => {
    const author = await gw.run<{ createAuthor: { id: string; slug: string } }>(
      `mutation { createAuthor(input: { name: "Айгуль Сатпаева", email: "a.satpaeva@example.kz" }) { id slug } }`,
      undefined,
      { viewer: EDITOR },
    );
    expect(author.errors).toBeUndefined();
    const authorId = author.data!.createAuthor.id;

    const created = await gw.run<{ createArticle: { id: string; slug: string; status: string } }>(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug status } }`,
      { input: { title: "Новый мост через Есиль открыли в Астане", lead: "Мост соединил два района.", paragraphs: ["Первый абзац.", "Второй абзац."], authorId } },
      { viewer: EDITOR },
    );
    expect(created.errors).toBeUndefined();
    const { id, slug, status } = created.data!.createArticle;
    expect(status).toBe("DRAFT");
    expect(slug).toMatch(/^novyy-most-cherez-esil/);

    const vars = { slug, rubric: rubric.slug, authorId, year: 2026 };
    const readerSees = async () => {
      const r = await gw.run<ListsData>(EVERY_LIST, vars);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const ids = (list: { edges: { node: { id: string } }[] }) => list.edges.map((e) => e.node.id);

    let seen = await readerSees();
    expect(seen.article).toBeNull();
    expect(ids(seen.author.articles)).toEqual([]);

    for (const [mutation, args] of [
      ["setArticleRubrics(articleId: $id, rubricIds: $list)", [rubric.id]],
      ["setArticleHashtags(articleId: $id, hashtags: $list)", ["Мосты через Есиль", "Левый берег Астаны"]],
      ["setRelatedArticles(articleId: $id, relatedIds: $list)", [someArticle]],
    ] as const) {
      const type = mutation.startsWith("setArticleHashtags") ? "[String!]!" : "[ID!]!";
      const r = await gw.run(`mutation($id: ID!, $list: ${type}) { ${mutation} { id } }`, { id, list: args }, { viewer: EDITOR });
      expect(r.errors).toBeUndefined();
    }

    // Newer than every article of the corpus (which ends in 2025), and in the past: published at once.
    const published = await gw.run<{ publishArticle: { status: string; path: string } }>(
      `mutation($id: ID!) { publishArticle(id: $id, publishedAt: "2026-01-15T10:00:00Z") { status path } }`,
      { id },
      { viewer: EDITOR },
    );
    expect(published.errors).toBeUndefined();
    expect(published.data!.publishArticle).toEqual({ status: "PUBLISHED", path: `/2026/01/15/${slug}` });

    seen = await readerSees();
    expect(seen.article).toMatchObject({ id, status: "PUBLISHED", rubrics: [{ slug: rubric.slug }], hashtags: [{ name: "Мосты через Есиль" }, { name: "Левый берег Астаны" }] });
    // The editors' edges come first; related articles computed from shared tags may follow.
    expect(seen.article?.related[0]).toEqual({ id: someArticle });
    expect(ids(seen.articles)[0]).toBe(id);
    expect(ids(seen.tag.articles)).toContain(id);
    expect(ids(seen.author.articles)).toEqual([id]);
    expect(seen.author.articleCount).toBe(1);
    expect(seen.archive.years).toEqual([{ year: 2026, count: 1, months: [{ month: 1, days: [{ day: 15, count: 1 }] }] }]);
    const total = seen.articles.totalCount;
    const rubricCount = seen.tag.articleCount;

    const edited = await gw.run(
      `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Мост через Есиль открыт", lead: null }) { title lead } }`,
      { id },
      { viewer: EDITOR },
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data).toEqual({ updateArticle: { title: "Мост через Есиль открыт", lead: null } });
    seen = await readerSees();
    const titled = (list: { edges: { node: { id: string; title: string } }[] }) => list.edges.find((e) => e.node.id === id)?.node.title;
    expect(seen.article?.title).toBe("Мост через Есиль открыт");
    expect(titled(seen.articles)).toBe("Мост через Есиль открыт");
    expect(titled(seen.tag.articles)).toBe("Мост через Есиль открыт");
    expect(titled(seen.author.articles)).toBe("Мост через Есиль открыт");

    const unpublished = await gw.run(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id }, { viewer: EDITOR });
    expect(unpublished.data).toEqual({ unpublishArticle: { status: "DRAFT" } });
    seen = await readerSees();
    expect(seen.article).toBeNull();
    expect(ids(seen.articles)).not.toContain(id);
    expect(seen.articles.totalCount).toBe(total - 1);
    expect(ids(seen.tag.articles)).not.toContain(id);
    expect(seen.tag.articleCount).toBe(rubricCount - 1);
    expect(seen.author).toMatchObject({ articleCount: 0, articles: { edges: [] } });
    expect(seen.archive.years).toEqual([]);
    const editorView = await gw.run<{ article: { status: string } }>(`query($slug: String!) { article(slug: $slug) { status } }`, { slug }, { viewer: EDITOR });
    expect(editorView.data!.article.status).toBe("DRAFT");

    const deleted = await gw.run(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id }, { viewer: EDITOR });
    expect(deleted.data).toEqual({ deleteArticle: id });
    const gone = await gw.run(`query($slug: String!, $id: ID!) { article(slug: $slug) { id } node(id: $id) { id } }`, { slug, id }, { viewer: EDITOR });
    expect(gone.data).toEqual({ article: null, node: null });
  });

  test("a write clears the request's loaders: the second of two edits in one operation reads back its own value", async () => {
    // The first edit leaves the article in the request's articleById cache; without clearing it the second would show the first title.
    const r = await gw.run<{ a: { title: string }; b: { title: string } }>(
      `mutation($id: ID!) {
        a: updateArticle(id: $id, input: { title: "Первая правка" }) { title }
        b: updateArticle(id: $id, input: { title: "Вторая правка" }) { title }
      }`,
      { id: someArticle },
      { viewer: EDITOR },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ a: { title: "Первая правка" }, b: { title: "Вторая правка" } });
  });
});

import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const PAGE = `query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: ArticleOrder = PUBLISHED_AT_DESC) {
  articles(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id slug } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type PageData = {
  articles: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; slug: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};

function errorOf(result: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }) {
  expect(result.errors).toHaveLength(1);
  const [e] = result.errors ?? [];
  return { code: e.extensions?.code, message: e.message };
}

describe.each(databaseKinds())("lookups and paging on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 60, seed: 3 } });
  });
  afterAll(() => gw?.close());

  test("an unknown slug, path or author is null, not an error", async () => {
    const r = await gw.run(`{ article(slug: "no-such-article") { id } byPath: article(path: "/2020/01/01/none") { id } author(slug: "nobody") { id } tag(slug: "none") { id } collection(slug: "none") { slug } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ article: null, byPath: null, author: null, tag: null, collection: null });
  });

  test("article by id, slug, path and node(id) agree", async () => {
    const first = await gw.run<PageData>(PAGE, { first: 1 });
    const { id, slug } = first.data!.articles.edges[0].node;
    const r = await gw.run<{ a: { id: string; path: string }; n: { id: string; slug: string } }>(
      `query($id: ID!, $slug: String!) { a: article(slug: $slug) { id path } n: node(id: $id) { id ... on Article { slug } } }`,
      { id, slug },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.a.id).toBe(id);
    expect(r.data!.n).toEqual({ id, slug });
    const byPath = await gw.run<{ article: { id: string } }>(`query($p: String!) { article(path: $p) { id } }`, { p: r.data!.a.path });
    expect(byPath.data!.article.id).toBe(id);
  });

  test("list items read without their bodies still give their paragraphs, one batched statement for the page", async () => {
    const teasers = await gw.run<{ articles: { edges: { node: { slug: string } }[] } }>(`{ articles(first: 5) { edges { node { slug } } } }`);
    const withText = await gw.run<{ articles: { edges: { node: { slug: string; paragraphs: string[] } }[] } }>(
      `{ articles(first: 5) { edges { node { slug paragraphs } } } }`,
    );
    expect(withText.errors).toBeUndefined();
    // The bodies of the whole page come in one more statement, not one per article.
    expect(withText.statements).toBe(teasers.statements + 1);
    for (const { node } of withText.data!.articles.edges) {
      const one = await gw.run<{ article: { paragraphs: string[] } }>(`query($slug: String!) { article(slug: $slug) { paragraphs } }`, { slug: node.slug });
      expect(node.paragraphs).toEqual(one.data!.article.paragraphs);
    }
    expect(withText.data!.articles.edges.some((e) => e.node.paragraphs.length > 0)).toBe(true);
  });

  test("paging forward and backward visits every article once, in order", async () => {
    const all = await gw.run<PageData>(PAGE, { first: 100 });
    const slugs = all.data!.articles.edges.map((e) => e.node.slug);
    expect(slugs).toHaveLength(60);
    expect(all.data!.articles.totalCount).toBe(60);
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: PageData | null } = await gw.run<PageData>(PAGE, { first: 7, after });
      forward.push(...page.data!.articles.edges.map((e) => e.node.slug));
      if (!page.data!.articles.pageInfo.hasNextPage) break;
      after = page.data!.articles.pageInfo.endCursor;
    }
    expect(forward).toEqual(slugs);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: { data?: PageData | null } = await gw.run<PageData>(PAGE, { last: 9, before });
      backward.unshift(...page.data!.articles.edges.map((e) => e.node.slug));
      if (!page.data!.articles.pageInfo.hasPreviousPage) break;
      before = page.data!.articles.pageInfo.startCursor;
    }
    expect(backward).toEqual(slugs);
  });

  test("first: 0 is legal: no edges, totalCount still answered", async () => {
    const r = await gw.run<PageData>(PAGE, { first: 0 });
    expect(r.errors).toBeUndefined();
    expect(r.data!.articles.edges).toEqual([]);
    expect(r.data!.articles.totalCount).toBe(60);
  });

  test.each([
    [{ first: -1 }, "first must be between 0 and 100, got -1."],
    [{ first: 101 }, "first must be between 0 and 100, got 101."],
    [{ first: 1, last: 1 }, "Pass first or last, not both."],
    [{ first: 1, after: "garbage!" }, "after is not a valid cursor; pass an endCursor or startCursor from this connection."],
  ])("%j is refused with BAD_USER_INPUT", async (variables, message) => {
    const r = await gw.run(PAGE, variables);
    expect(errorOf(r)).toEqual({ code: "BAD_USER_INPUT", message });
  });

  test("a cursor made for another ordering is refused", async () => {
    const page = await gw.run<PageData>(PAGE, { first: 2 });
    const r = await gw.run(PAGE, { first: 2, after: page.data!.articles.pageInfo.endCursor, orderBy: "VIEWS_DESC" });
    expect(errorOf(r).code).toBe("BAD_USER_INPUT");
  });

  test("malformed and foreign global IDs are refused with a sentence", async () => {
    const malformed = await gw.run(`{ article(id: "%%%") { id } }`);
    expect(errorOf(malformed)).toEqual({ code: "BAD_USER_INPUT", message: 'id "%%%" is not a valid node ID.' });
    const unknownType = await gw.run(`query($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from("User:1").toString("base64") });
    expect(errorOf(unknownType).code).toBe("BAD_USER_INPUT");
    const tagId = Buffer.from("Tag:1").toString("base64");
    const foreign = await gw.run(`query($id: ID!) { article(id: $id) { id } }`, { id: tagId });
    expect(errorOf(foreign)).toEqual({ code: "BAD_USER_INPUT", message: "id names a Tag, but an Article ID was expected." });
    const view = await gw.run(`mutation($id: ID!) { recordView(articleId: $id) }`, { id: tagId });
    expect(errorOf(view)).toEqual({ code: "BAD_USER_INPUT", message: "articleId names a Tag, but an Article ID was expected." });
  });

  test("nested page arguments are checked too", async () => {
    const r = await gw.run(`{ rubrics { articles(first: 101) { totalCount } } }`);
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const related = await gw.run(`{ articles(first: 1) { edges { node { related(first: -1) { id } } } } }`);
    expect(related.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

import { loadConfig } from "../../src/config";
import { createContext } from "../../src/graphql/context";
import { toGlobalId } from "../../src/graphql/globalId";
import { createGateway, type Gateway } from "../../src/server/gateway";
import { createTestGateway, operation, silentLogger, type TestGateway } from "../helpers/gateway";

// What a CDN or browser is told to keep each front-end operation for: the
// smallest hint of anything the response includes. Content: 300 s; view
// counts and popular lists: 60 s; search: 120 s; mutations: never.
const EXPECTED: [file: string, cacheControl: string][] = [
  ["archive-page.graphql", "max-age=300, public"],
  ["site-lists.graphql", "max-age=300, public"],
  ["search.graphql", "max-age=120, public"],
  ["article-page.graphql", "max-age=60, public"],
  ["front-page.graphql", "max-age=60, public"],
  ["rubric-page.graphql", "max-age=60, public"],
  ["author-page.graphql", "max-age=60, public"],
  ["record-view.graphql", "no-store"],
];

describe("Cache-Control of HTTP responses", () => {
  let tg: TestGateway;
  let gateway: Gateway;
  let url: string;
  let vars: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    tg = await createTestGateway("sqlite", { corpus: { articles: 60, seed: 8, from: new Date(Date.UTC(2025, 0, 1)), to: new Date(Date.UTC(2025, 2, 31)) } });
    gateway = await createGateway(tg.app, loadConfig({ NODE_ENV: "test" }), silentLogger);
    url = (await gateway.listen(0, "127.0.0.1")).url;
    const ds = tg.app.db.dataSource;
    const [article] = await ds.query("SELECT a.id, a.slug, au.slug AS author FROM article a JOIN author au ON au.id = a.author_id WHERE a.status = 'PUBLISHED' ORDER BY a.id LIMIT 1");
    const [rubric] = await ds.query("SELECT t.slug FROM tag t JOIN article_tag x ON x.tag_id = t.id WHERE t.kind = 'RUBRIC' ORDER BY t.id LIMIT 1");
    vars = {
      "archive-page.graphql": { year: 2025, month: 2 },
      "site-lists.graphql": {},
      "search.graphql": { query: "министр" },
      "article-page.graphql": { slug: article.slug },
      "front-page.graphql": {},
      "rubric-page.graphql": { slug: rubric.slug },
      "author-page.graphql": { slug: article.author },
      "record-view.graphql": { articleId: toGlobalId("Article", Number(article.id)) },
    };
  });
  afterAll(async () => {
    await gateway?.close();
    await tg?.close();
  });

  async function post(query: string, variables: Record<string, unknown> = {}): Promise<{ cacheControl: string | null; body: { data?: unknown; errors?: unknown[] } }> {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    expect(res.status).toBe(200);
    return { cacheControl: res.headers.get("cache-control"), body: (await res.json()) as { data?: unknown; errors?: unknown[] } };
  }

  test.each(EXPECTED)("%s answers with %s", async (file, cacheControl) => {
    const res = await post(operation(file).loc!.source.body, vars[file]);
    expect(res.body.errors).toBeUndefined();
    expect(res.cacheControl).toBe(cacheControl);
  });

  test.each([
    ["{ articles(first: 2) { totalCount edges { cursor node { title rubrics { name } author { name } related(first: 1) { title } } } pageInfo { hasNextPage } } }", "max-age=300, public"],
    ["{ rubrics { name articleCount articles(first: 1) { edges { node { title } } } } }", "max-age=300, public"],
    ["{ archive { years { year months { label days { day count } } } } }", "max-age=300, public"],
    ["{ articles(first: 1) { edges { node { title views } } } }", "max-age=60, public"],
    ["{ popular(first: 3, window: DAY) { title } }", "max-age=60, public"],
  ])("%s answers with %s", async (query, cacheControl) => {
    const res = await post(query);
    expect(res.body.errors).toBeUndefined();
    expect(res.cacheControl).toBe(cacheControl);
  });

  test("a mutation is not cacheable, even one that returns an Article", async () => {
    const id = vars["record-view.graphql"].articleId;
    const view = await post("mutation($id: ID!) { recordView(articleId: $id) }", { id });
    expect(view.body.errors).toBeUndefined();
    expect(view.cacheControl).toBe("no-store");
    // The same article read by a query is cacheable, so only the mutation rule keeps this one out.
    expect((await post(`query($id: ID!) { node(id: $id) { id ... on Article { title } } }`, { id })).cacheControl).toBe("max-age=300, public");
    const published = await tg.apollo.executeOperation(
      { query: "mutation($id: ID!) { publishArticle(id: $id) { id title } }", variables: { id } },
      { contextValue: createContext(tg.app, { viewer: { role: "editor" } }) },
    );
    expect(published.body.kind === "single" && published.body.singleResult.errors).toBeUndefined();
    expect(published.http.headers.get("cache-control")).toBe("no-store");
  });

  test("an answer with an error is not cacheable", async () => {
    const res = await post("{ popular(first: 101) { title } }");
    expect(res.cacheControl).toBe("no-store");
  });
});

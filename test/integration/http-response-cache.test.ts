import { loadConfig } from "../../src/config";
import { createContext } from "../../src/graphql/context";
import { toGlobalId } from "../../src/graphql/globalId";
import { createGateway, type Gateway } from "../../src/server/gateway";
import { createTestGateway, operation, silentLogger, type TestGateway } from "../helpers/gateway";

// Identical anonymous requests are answered with the bytes Apollo sent the
// first time, for as long as its Cache-Control allows, without Apollo, a
// resolver or SQL; anything that could change the answer is a miss.

describe("HTTP response cache", () => {
  let tg: TestGateway;
  let gateway: Gateway;
  let url: string;
  let slug: string;
  let articleId: string;
  const front = operation("front-page.graphql").loc!.source.body;

  beforeAll(async () => {
    tg = await createTestGateway("sqlite", { corpus: { articles: 40, seed: 5 } });
    gateway = await createGateway(tg.app, loadConfig({ NODE_ENV: "test" }), silentLogger);
    url = (await gateway.listen(0, "127.0.0.1")).url;
    const [article] = await tg.app.db.dataSource.query("SELECT id, slug FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC LIMIT 1");
    slug = article.slug;
    articleId = toGlobalId("Article", Number(article.id));
  });
  afterAll(async () => {
    await gateway?.close();
    await tg?.close();
  });

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const before = tg.database.db.statements.total;
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, statements: tg.database.db.statements.total - before };
  }

  test("a repeated request gets the same bytes and headers with an Age, and no SQL", async () => {
    const body = { query: front, variables: { first: 3 } };
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(first.statements).toBeGreaterThan(0);
    const second = await post(body);
    expect(second.statements).toBe(0);
    expect(second.text).toBe(first.text);
    expect(second.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    expect(Number(second.headers.get("age"))).toBeGreaterThanOrEqual(0);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
  });

  test("other variables, another accepted media type or credentials are not the same request", async () => {
    const body = { query: front, variables: { first: 4 } };
    await post(body);
    expect((await post({ query: front, variables: { first: 2 } })).statements).toBeGreaterThan(0);
    const graphqlResponse = await post(body, { accept: "application/graphql-response+json" });
    expect(graphqlResponse.headers.get("content-type")).toMatch(/application\/graphql-response\+json/);
    // A key that does not exist is refused, never answered from the cache.
    const withKey = await post(body, { authorization: "Bearer not-a-key" });
    expect(withKey.status).toBe(401);
  });

  test("an editor's write retires cached answers", async () => {
    const body = { query: operation("article-page.graphql").loc!.source.body, variables: { slug } };
    const before = await post(body);
    expect((await post(body)).statements).toBe(0);
    const r = await tg.apollo.executeOperation(
      { query: `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Новый заголовок" }) { title } }`, variables: { id: articleId } },
      { contextValue: createContext(tg.app, { viewer: { role: "editor" } }) },
    );
    expect(r.body.kind === "single" && r.body.singleResult.errors).toBeUndefined();
    // The version bump follows the commit.
    await new Promise((done) => setTimeout(done, 50));
    const after = await post(body);
    expect(after.statements).toBeGreaterThan(0);
    expect(after.text).not.toBe(before.text);
    expect(JSON.parse(after.text).data.article.title).toBe("Новый заголовок");
  });

  test("answers Apollo marks uncacheable are never kept: errors and mutations", async () => {
    const bad = { query: front, variables: { first: 101 } };
    await post(bad);
    expect((await post(bad)).headers.get("age")).toBeNull();
    const view = { query: operation("record-view.graphql").loc!.source.body, variables: { articleId } };
    const first = await post(view);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const second = await post(view);
    expect(second.headers.get("age")).toBeNull();
    expect(JSON.parse(second.text).errors).toBeUndefined();
  });

  test("a GET without the CSRF preflight header is refused even when the same GET was cached", async () => {
    const search = `?query=${encodeURIComponent("{ rubrics { name } }")}`;
    const preflight = { "apollo-require-preflight": "true" };
    const ok = await fetch(url + search, { headers: preflight });
    expect(ok.status).toBe(200);
    const again = await fetch(url + search, { headers: preflight });
    expect(again.headers.get("age")).not.toBeNull();
    const simple = await fetch(url + search);
    expect(simple.status).toBe(400);
  });
});

test("RESPONSE_CACHE=false keeps no HTTP answers either", async () => {
  const tg = await createTestGateway("sqlite", { corpus: { articles: 10, seed: 6 } });
  const gateway = await createGateway(tg.app, loadConfig({ NODE_ENV: "test", RESPONSE_CACHE: "false" }), silentLogger);
  try {
    const { url } = await gateway.listen(0, "127.0.0.1");
    const body = JSON.stringify({ query: "{ rubrics { name } }" });
    for (let i = 0; i < 2; i++) {
      const before = tg.database.db.statements.total;
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(res.headers.get("age")).toBeNull();
      await res.text();
      expect(tg.database.db.statements.total - before).toBeGreaterThan(0);
    }
  } finally {
    await gateway.close();
    await tg.close();
  }
});

import { createApiKey } from "../../src/write/keys/apiKeys";
import type { App } from "../../src/graphql/context";
import { openDatabase } from "../../src/db/dataSource";
import { toGlobalId } from "../../src/graphql/globalId";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { ViewCounter } from "../../src/write/views/viewCounter";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { RedisProbe, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";

// The gateway's one response cache (src/cache/httpResponseCache.ts), over
// HTTP as readers reach it: in memory and in Redis shared by instances, on
// both databases. Every committed write retires what was cached before it.

// A reader's article page and the list that shows the same article.
const PAGE = `query Page($slug: String!) {
  article(slug: $slug) { id title lead author { name } rubrics { name } }
  articles(first: 5) { edges { node { id title } } }
}`;

interface PageData {
  article: { id: string; title: string } | null;
  articles: { edges: { node: { id: string; title: string } }[] };
}

/** What an editor's write does: change the row and call articlesChanged inside the same transaction. */
async function retitle(gw: TestGateway, id: number, title: string): Promise<void> {
  await gw.app.db.dataSource.transaction(async (m) => {
    await m.query("UPDATE article SET title = ? WHERE id = ?", [title, id]);
    await articlesChanged(m, { ids: [id], days: [] });
  });
}

describe.each(databaseKinds())("response cache on %s", (kind) => {
  describe.each(["memory", "redis"] as const)("in %s", (store) => {
    let gw: TestGateway;
    let http: HttpTestGateway;
    let probe: RedisProbe | undefined;
    let env: NodeJS.ProcessEnv;
    let article: { id: number; slug: string };

    beforeEach(async () => {
      const prefix = testRedisPrefix();
      env = store === "redis" ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix } : {};
      probe = store === "redis" ? new RedisProbe(prefix) : undefined;
      gw = await createTestGateway(kind, { corpus: { articles: 30, seed: 11 }, env });
      http = await startHttpGateway(gw, env);
      const [row] = await gw.app.db.dataSource.query(
        "SELECT id, slug FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC, id DESC LIMIT 1",
      );
      article = { id: Number(row.id), slug: row.slug };
    });
    afterEach(async () => {
      await http?.close();
      await gw?.close();
      await probe?.cleanUp();
    });

    /** Runs the page as an anonymous reader; the answer is stored after it is sent, so wait for it. */
    async function page(headers: Record<string, string> = {}) {
      const res = await http.post({ query: PAGE, variables: { slug: article.slug } }, headers);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      if (probe && headers.authorization === undefined) expect((await probe.waitForKey("http:*")).length).toBeGreaterThan(0);
      return { ...res, data: res.body.data as unknown as PageData };
    }

    test("a repeated reader query is answered from the cache without SQL", async () => {
      const first = await page();
      expect(first.statements).toBeGreaterThan(0);
      const second = await page();
      expect(second.statements).toBe(0);
      expect(second.data).toEqual(first.data);
    });

    if (store === "redis") {
      test("a miss is stored once: one cached answer, under the gateway's one cache", async () => {
        await page();
        await page();
        expect(await probe!.keys("http:*")).toHaveLength(1);
        // Every key the store holds is a cached answer or the content version; nothing is kept twice.
        const others = (await probe!.keys()).filter((k) => !k.includes("::http:") && !k.endsWith("content-version"));
        expect(others).toEqual([]);
      });
    }

    test("an editor's committed write makes the next read fresh: the article and the list that shows it", async () => {
      await page();
      expect((await page()).statements).toBe(0);
      await retitle(gw, article.id, "Заголовок после правки");
      const after = await page();
      expect(after.statements).toBeGreaterThan(0);
      expect(after.data.article?.title).toBe("Заголовок после правки");
      expect(after.data.articles.edges.map((e) => e.node.title)).toContain("Заголовок после правки");
    });

    test("a rolled-back write leaves the cache alone", async () => {
      await page();
      await expect(
        gw.app.db.dataSource.transaction(async (m) => {
          await m.query("UPDATE article SET title = ? WHERE id = ?", ["Не сохранится", article.id]);
          await articlesChanged(m, { ids: [article.id], days: [] });
          throw new Error("editor gave up");
        }),
      ).rejects.toThrow("editor gave up");
      expect((await page()).statements).toBe(0);
    });

    test("counting views does not flush the cache", async () => {
      await page();
      const view = await http.post({ query: operation("record-view.graphql").loc!.source.body, variables: { articleId: toGlobalId("Article", article.id) } });
      expect(view.body.data?.recordView).toBe(true);
      await gw.app.views.flush();
      const [row] = await gw.app.db.dataSource.query("SELECT views FROM article WHERE id = ?", [article.id]);
      expect(Number(row.views)).toBeGreaterThan(0);
      expect((await page()).statements).toBe(0);
    });

    test("editors' requests neither read nor fill the shared cache", async () => {
      const { key } = await createApiKey(gw.app.db.dataSource, { name: `editor-${store}`, role: "editor", rateLimit: 1000 });
      const editor = { authorization: `Bearer ${key}` };
      await page();
      expect((await page(editor)).statements).toBeGreaterThan(0);
      expect((await page(editor)).statements).toBeGreaterThan(0);
      if (probe) expect(await probe.keys("http:*")).toHaveLength(1);
    });

    if (store === "redis") {
      test("a second instance sharing Redis serves the first one's cached answer, and sees the first one's writes", async () => {
        // A second gateway process in all but name: its own connections to the same database, its own cache client.
        const db = await openDatabase(kind === "sqlite" ? { sqlitePath: gw.database.location } : { url: gw.database.location });
        const app: App = { db, config: gw.app.config, views: new ViewCounter(db.dataSource, { intervalMs: null }) };
        const other = await startHttpGateway({ app }, env);
        try {
          const first = await page();
          const fromOther = await other.post({ query: PAGE, variables: { slug: article.slug } });
          expect(fromOther.body.errors).toBeUndefined();
          expect(fromOther.statements).toBe(0);
          expect(fromOther.body.data).toEqual(first.body.data);

          await retitle(gw, article.id, "Правка с первого сервера");
          const fresh = await other.post({ query: PAGE, variables: { slug: article.slug } });
          expect(fresh.statements).toBeGreaterThan(0);
          expect((fresh.body.data as unknown as PageData).article?.title).toBe("Правка с первого сервера");
        } finally {
          await other.close();
          await db.dataSource.destroy();
        }
      });
    }
  });
});

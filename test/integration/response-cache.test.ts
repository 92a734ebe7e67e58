import { HeaderMap } from "@apollo/server";
import { createApollo } from "../../src/apollo";
import { loadConfig } from "../../src/config";
import { type App, createContext } from "../../src/context";
import { type Database, openDatabase } from "../../src/db/dataSource";
import { toGlobalId } from "../../src/globalId";
import { getSchema } from "../../src/schema";
import { articlesChanged } from "../../src/services/articleChanges";
import { ViewCounter } from "../../src/services/viewCounter";
import { type Viewer } from "../../src/viewer";
import { defaultCacheHints } from "../helpers/cacheHints";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, silentLogger, type TestGateway } from "../helpers/gateway";
import { RedisProbe, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";

// A reader's article page and the list that shows the same article.
const PAGE = `query Page($slug: String!) {
  article(slug: $slug) { id title lead author { name } rubrics { name } }
  articles(first: 5) { edges { node { id title } } }
}`;

interface PageData {
  article: { id: string; title: string } | null;
  articles: { edges: { node: { id: string; title: string } }[] };
}

/** A second gateway process in all but name: its own DataSource on the same database, its own Apollo and cache client. */
async function secondInstance(gw: TestGateway, env: NodeJS.ProcessEnv) {
  const db: Database = await openDatabase(gw.kind === "sqlite" ? { sqlitePath: gw.database.location } : { url: gw.database.location });
  const app: App = { db, views: new ViewCounter(db.dataSource, { intervalMs: null }) };
  const apollo = createApollo(loadConfig({ NODE_ENV: "test", ...env }), silentLogger);
  await apollo.start();
  return {
    db,
    async run(slug: string) {
      const before = db.statements.total;
      const res = await apollo.executeOperation({ query: PAGE, variables: { slug } }, { contextValue: createContext(app) });
      if (res.body.kind !== "single") throw new Error("expected a single result");
      return {
        data: res.body.singleResult.data as unknown as PageData,
        errors: res.body.singleResult.errors,
        statements: db.statements.total - before,
      };
    },
    async close() {
      await apollo.stop();
      await db.dataSource.destroy();
    },
  };
}

/** What an editor's write does: change the row and call articlesChanged inside the same transaction. */
async function retitle(gw: TestGateway, id: number, title: string): Promise<void> {
  await gw.app.db.dataSource.transaction(async (m) => {
    await m.query("UPDATE article SET title = ? WHERE id = ?", [title, id]);
    await articlesChanged(m, { ids: [id], days: [] });
  });
}

async function firstListed(gw: TestGateway): Promise<{ id: number; slug: string }> {
  const res = await gw.run<PageData & { articles: { edges: { node: { id: string; slug: string } }[] } }>(
    `{ articles(first: 1) { edges { node { id slug } } } }`,
  );
  const node = res.data!.articles.edges[0].node;
  const [row] = await gw.app.db.dataSource.query("SELECT id FROM article WHERE slug = ?", [node.slug]);
  return { id: Number(row.id), slug: node.slug };
}

beforeAll(() => defaultCacheHints(getSchema()));

describe.each(databaseKinds())("response cache on %s", (kind) => {
  describe.each(["memory", "redis"] as const)("in %s", (store) => {
    let gw: TestGateway;
    let probe: RedisProbe | undefined;
    let env: NodeJS.ProcessEnv;
    let article: { id: number; slug: string };

    beforeEach(async () => {
      const prefix = testRedisPrefix();
      env = store === "redis" ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix } : {};
      probe = store === "redis" ? new RedisProbe(prefix) : undefined;
      gw = await createTestGateway(kind, { corpus: { articles: 30, seed: 11 }, env });
      article = await firstListed(gw);
    });
    afterEach(async () => {
      await gw?.close();
      await probe?.cleanUp();
    });

    /** Runs the page; with Redis, waits until the background cache write has landed. */
    async function page(opts: { viewer?: Viewer } = {}) {
      const res = await gw.run<PageData>(PAGE, { slug: article.slug }, opts);
      expect(res.errors).toBeUndefined();
      if (probe) expect((await probe.waitForKey("fqc:*")).length).toBeGreaterThan(0);
      return res;
    }

    test("a repeated reader query is answered from the cache without SQL", async () => {
      const first = await page();
      expect(first.statements).toBeGreaterThan(0);
      const second = await page();
      expect(second.statements).toBe(0);
      expect(second.data).toEqual(first.data);
    });

    test("an editor's committed write makes the next read fresh: the article and the list that shows it", async () => {
      await page();
      expect((await page()).statements).toBe(0);
      await retitle(gw, article.id, "Заголовок после правки");
      const after = await page();
      expect(after.statements).toBeGreaterThan(0);
      expect(after.data?.article?.title).toBe("Заголовок после правки");
      expect(after.data?.articles.edges.map((e) => e.node.title)).toContain("Заголовок после правки");
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
      const view = await gw.run<{ recordView: boolean }>(operation("record-view.graphql"), {
        articleId: toGlobalId("Article", article.id),
      });
      expect(view.data?.recordView).toBe(true);
      await gw.app.views.flush();
      const [row] = await gw.app.db.dataSource.query("SELECT views FROM article WHERE id = ?", [article.id]);
      expect(Number(row.views)).toBeGreaterThan(0);
      expect((await page()).statements).toBe(0);
    });

    test("editors' requests neither read nor fill the shared cache", async () => {
      const editor: Viewer = { role: "editor", keyName: "test" };
      await page();
      expect((await gw.run(PAGE, { slug: article.slug }, { viewer: editor })).statements).toBeGreaterThan(0);
      expect((await gw.run(PAGE, { slug: article.slug }, { viewer: editor })).statements).toBeGreaterThan(0);
    });

    test("a request with an Authorization header bypasses the cache", async () => {
      await page();
      const headers = new HeaderMap([
        ["authorization", "Bearer whatever"],
        ["content-type", "application/json"],
      ]);
      const before = gw.app.db.statements.total;
      await gw.apollo.executeOperation(
        { query: PAGE, variables: { slug: article.slug }, http: { method: "POST", headers, search: "", body: {} } },
        { contextValue: createContext(gw.app) },
      );
      expect(gw.app.db.statements.total - before).toBeGreaterThan(0);
    });

    if (store === "redis") {
      test("a second instance sharing Redis serves the first one's cached response, and sees the first one's writes", async () => {
        const other = await secondInstance(gw, env);
        try {
          const first = await page();
          const fromOther = await other.run(article.slug);
          expect(fromOther.errors).toBeUndefined();
          expect(fromOther.statements).toBe(0);
          expect(fromOther.data).toEqual(first.data);

          await retitle(gw, article.id, "Правка с первого сервера");
          const fresh = await other.run(article.slug);
          expect(fresh.statements).toBeGreaterThan(0);
          expect(fresh.data.article?.title).toBe("Правка с первого сервера");
        } finally {
          await other.close();
        }
      });
    }
  });
});

import { loadConfig } from "../../src/config";
import type { App } from "../../src/graphql/context";
import { type Database, migrate, openDatabase } from "../../src/db/dataSource";
import { toGlobalId } from "../../src/graphql/globalId";
import { DEMO_CORPUS, generateCorpus } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { createGateway, type Gateway } from "../../src/server/gateway";
import { ViewCounter } from "../../src/write/views/viewCounter";
import { silentLogger } from "../helpers/gateway";
import { type MariaDbInstance, startMariaDbInstance } from "../helpers/mariadbInstance";

jest.setTimeout(180_000);

// Every request misses any cache (a slug of its own) so that each one needs the database.
const QUERY = "query Q($slug: String!) { article(slug: $slug) { id title } articles(first: 3) { totalCount edges { node { title } } } }";
const WORKERS = 20;
/**
 * The gateway below waits up to a minute to open a connection and gives a
 * request a minute: a request that waited for a connection that could not
 * come would take that long (and the client gives up at 30 s). Refused
 * connections fail in milliseconds; a request slower than this during the
 * outage counts as hanging. The distance between the two is what lets the
 * test tell them apart on a loaded, shared machine, where even a refused
 * request has been seen to take over 4 s.
 */
const FAIL_FAST_MS = 20_000;
const CONNECT_TIMEOUT_MS = 60_000;

interface Sample {
  startedAt: number;
  ms: number;
  status: number;
  codes: string[];
  hasData: boolean;
}

async function ask(url: string, slug: string): Promise<Sample> {
  const startedAt = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: QUERY, variables: { slug } }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { data?: { articles?: unknown } | null; errors?: { extensions?: { code?: string } }[] };
    return {
      startedAt,
      ms: Date.now() - startedAt,
      status: res.status,
      codes: (body.errors ?? []).map((e) => String(e.extensions?.code)),
      hasData: Boolean(body.data?.articles),
    };
  } catch (e) {
    return { startedAt, ms: Date.now() - startedAt, status: 0, codes: [String(e)], hasData: false };
  }
}

// Shared by every load() of the file: a slug asked before is served from the
// response cache (rightly so, even during an outage), and this test is about
// requests that need the database.
let n = 0;

/** Keeps WORKERS requests in flight until stopped; returns every answer. */
function load(url: string): { answered(since: number, status?: number): number; stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const workers = Array.from({ length: WORKERS }, async () => {
    while (running) samples.push(await ask(url, `no-such-article-${n++}`));
  });
  return {
    answered: (since, status) => samples.filter((s) => s.startedAt > since && (status === undefined || s.status === status)).length,
    async stop() {
      running = false;
      await Promise.all(workers);
      return samples;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyStatus(url: string): Promise<number> {
  return (await fetch(url.replace(/\/graphql$/, "/readyz"), { signal: AbortSignal.timeout(10_000) })).status;
}

describe("MariaDB outage under load", () => {
  let mariadb: MariaDbInstance;
  let db: Database;
  let app: App;
  let gateway: Gateway;
  let url: string;
  let articleId: number;

  beforeAll(async () => {
    mariadb = await startMariaDbInstance();
    await mariadb.query("CREATE DATABASE newsgraph CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    db = await openDatabase({ url: mariadb.url("newsgraph"), connectTimeoutMs: CONNECT_TIMEOUT_MS });
    await migrate(db);
    await writeCorpus(db.dataSource, generateCorpus({ ...DEMO_CORPUS, articles: 30, seed: 7 }));
    // The timer is started only once the database is back, so the test decides when the retried flush runs.
    const config = loadConfig({ NODE_ENV: "test", RATE_LIMIT: "0", REQUEST_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) });
    app = { db, config, views: new ViewCounter(db.dataSource, { intervalMs: 200 }) };
    gateway = await createGateway(app, config, silentLogger);
    url = (await gateway.listen(0, "127.0.0.1")).url;
    const [row] = await db.dataSource.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
    articleId = Number(row.id);
  });

  afterAll(async () => {
    await gateway?.close();
    await app?.views.stop().catch(() => undefined);
    if (db?.dataSource.isInitialized) await db.dataSource.destroy();
    await mariadb?.destroy();
  });

  test.each(["SIGKILL", "SIGTERM"] as const)(
    "stopped with %s: requests fail fast with UNAVAILABLE and 503, buffered views survive, the gateway recovers without a restart",
    async (signal) => {
      const [{ views: viewsBefore }] = await mariadb.query<{ views: number }>("SELECT views FROM newsgraph.article WHERE id = ?", [
        articleId,
      ]);
      for (let i = 0; i < 25; i++) {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            query: "mutation V($id: ID!) { recordView(articleId: $id) }",
            variables: { id: toGlobalId("Article", articleId) },
          }),
        });
        expect(((await res.json()) as { data?: { recordView?: boolean } }).data?.recordView).toBe(true);
      }
      expect(app.views.pendingViews).toBe(25);

      const traffic = load(url);
      await sleep(1000);
      await mariadb.stop(signal);
      const downAt = Date.now();
      await sleep(3000);
      // Enough answers during the outage to judge it, however slowly a loaded machine gives them.
      const judged = Date.now() + 60_000;
      while (traffic.answered(downAt) <= 2 * WORKERS && Date.now() < judged) await sleep(200);

      expect(await readyStatus(url)).toBe(503);
      await expect(app.views.flush()).rejects.toThrow();
      expect(app.views.pendingViews).toBe(25);

      const upAt = Date.now();
      await mariadb.start();
      app.views.start();
      try {
        await recoverAndCheck(traffic, downAt, upAt);
      } finally {
        await app.views.stop().catch(() => undefined);
      }
      const [{ views: viewsAfter }] = await mariadb.query<{ views: number }>("SELECT views FROM newsgraph.article WHERE id = ?", [
        articleId,
      ]);
      expect(Number(viewsAfter) - Number(viewsBefore)).toBe(25);
    },
  );

  async function recoverAndCheck(traffic: ReturnType<typeof load>, downAt: number, upAt: number): Promise<void> {
    const recovered = Date.now() + 20_000;
    while ((await ask(url, "after-restart")).status !== 200 && Date.now() < recovered) await sleep(100);
    await sleep(1000);
    const judged = Date.now() + 60_000;
    while (traffic.answered(upAt, 200) <= 2 * WORKERS && Date.now() < judged) await sleep(200);
    const samples = await traffic.stop();

    // Before, during and after: every answer is data or a clean UNAVAILABLE, never a masked internal error or a hang.
    const bad = samples.filter(
      (s) => !(s.status === 200 && s.codes.length === 0 && s.hasData) && !(s.status === 503 && s.codes.every((c) => c === "UNAVAILABLE")),
    );
    expect(bad).toEqual([]);
    const duringOutage = samples.filter((s) => s.startedAt > downAt && s.startedAt + s.ms < upAt);
    expect(duringOutage.length).toBeGreaterThan(WORKERS);
    expect(duringOutage.filter((s) => s.status !== 503)).toEqual([]);
    expect(Math.max(...duringOutage.map((s) => s.ms))).toBeLessThan(FAIL_FAST_MS);
    const afterRecovery = samples.filter((s) => s.startedAt > upAt && s.status === 200);
    expect(afterRecovery.length).toBeGreaterThan(WORKERS);

    expect(await readyStatus(url)).toBe(200);
    // The timer's retried flush writes the views kept through the outage.
    const landed = Date.now() + 10_000;
    while (app.views.pendingViews > 0 && Date.now() < landed) await sleep(100);
    expect(app.views.pendingViews).toBe(0);
  }
});

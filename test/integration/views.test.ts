import { closeApp } from "../../src/server/app";
import { openDatabase } from "../../src/db/dataSource";
import { utcDay } from "../../src/db/time";
import { toGlobalId } from "../../src/graphql/globalId";
import { ViewCounter } from "../../src/write/views/viewCounter";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";

const RECORD_VIEW = operation("record-view.graphql");
const CALLS = 10_000;
// Within the MySQL pool's bounded wait queue (10 connections + 100 waiting), which refuses more by design.
const CONCURRENCY = 100;

async function totals(gw: TestGateway, ids: number[]): Promise<{ views: Map<number, number>; today: Map<number, number> }> {
  const ds = gw.app.db.dataSource;
  const list = ids.join(", ");
  const views = await ds.query(`SELECT id, views FROM article WHERE id IN (${list})`);
  const today = await ds.query(`SELECT article_id, views FROM article_view_day WHERE day = ? AND article_id IN (${list})`, [utcDay(new Date())]);
  return {
    views: new Map(views.map((r: { id: unknown; views: unknown }) => [Number(r.id), Number(r.views)])),
    today: new Map(today.map((r: { article_id: unknown; views: unknown }) => [Number(r.article_id), Number(r.views)])),
  };
}

/** Sends `calls` recordView mutations, `CONCURRENCY` at a time, spread over the articles; returns how many each got. */
async function recordViews(gw: TestGateway, ids: number[], calls: number): Promise<Map<number, number>> {
  const sent = new Map<number, number>();
  for (let start = 0; start < calls; start += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, calls - start) }, (_, i) => ids[(start + i) % ids.length]);
    const results = await Promise.all(batch.map((id) => gw.run<{ recordView: boolean }>(RECORD_VIEW, { articleId: toGlobalId("Article", id) })));
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      expect(r.data?.recordView).toBe(true);
    }
    for (const id of batch) sent.set(id, (sent.get(id) ?? 0) + 1);
  }
  return sent;
}

function added(before: Map<number, number>, after: Map<number, number>, ids: number[]): Map<number, number> {
  return new Map(ids.map((id) => [id, (after.get(id) ?? 0) - (before.get(id) ?? 0)]));
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe.each(databaseKinds())("buffered view counting on %s", (kind) => {
  let gw: TestGateway;
  let ids: number[];

  beforeEach(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 40, seed: 5 } });
    const rows = await gw.app.db.dataSource.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 17");
    ids = rows.map((r: { id: unknown }) => Number(r.id));
  });
  afterEach(() => gw?.close());

  test("10,000 concurrent recordView calls add exactly 10,000, flushed in statements that do not grow with the calls", async () => {
    const before = await totals(gw, ids);
    const sent = await recordViews(gw, ids, CALLS);
    // The mutation answered before anything was written.
    expect(gw.app.views.pendingViews).toBe(CALLS);
    expect(sum(added(before.views, (await totals(gw, ids)).views, ids))).toBe(0);

    const beforeFlush = gw.app.db.statements.total;
    await gw.app.views.flush();
    const bigFlush = gw.app.db.statements.total - beforeFlush;

    const after = await totals(gw, ids);
    expect(added(before.views, after.views, ids)).toEqual(sent);
    expect(added(before.today, after.today, ids)).toEqual(sent);
    expect(sum(added(before.views, after.views, ids))).toBe(CALLS);
    expect(gw.app.views.pendingViews).toBe(0);

    // Ten views over the same articles cost the same statements as ten thousand did.
    await recordViews(gw, ids, 10);
    const beforeSmall = gw.app.db.statements.total;
    await gw.app.views.flush();
    expect(gw.app.db.statements.total - beforeSmall).toBe(bigFlush);
    // BEGIN, the day upsert, the article update and its copy on article_tag
    // (listed_views), the kept popular rankings (read which day they were
    // ranked for, take in the flushed articles, cut back:
    // src/write/derived/popularRanking.ts), COMMIT.
    expect(bigFlush).toBeLessThanOrEqual(8);

    // Nothing buffered: a flush sends no statement at all.
    const beforeEmpty = gw.app.db.statements.total;
    await gw.app.views.flush();
    expect(gw.app.db.statements.total).toBe(beforeEmpty);
  });

  test("a graceful shutdown right after a burst loses no view", async () => {
    const before = await totals(gw, ids);
    const sent = await recordViews(gw, ids, CALLS);
    await closeApp(gw.app);
    expect(gw.app.db.dataSource.isInitialized).toBe(false);

    const reopened = await openDatabase(kind === "mysql" ? { url: gw.database.location } : { sqlitePath: gw.database.location });
    try {
      const rows = await reopened.dataSource.query(`SELECT id, views FROM article WHERE id IN (${ids.join(", ")})`);
      const after = new Map<number, number>(rows.map((r: { id: unknown; views: unknown }) => [Number(r.id), Number(r.views)]));
      expect(added(before.views, after, ids)).toEqual(sent);
      const [{ n }] = await reopened.dataSource.query("SELECT SUM(views) AS n FROM article_view_day WHERE day = ?", [utcDay(new Date())]);
      expect(Number(n) - sum(before.today)).toBe(CALLS);
    } finally {
      await reopened.dataSource.destroy();
    }
  });

  test("a flush that fails half-way keeps its views and writes them once, with the next flush", async () => {
    const ds = gw.app.db.dataSource;
    const before = await totals(gw, ids);
    const sent = await recordViews(gw, ids, 300);
    // A real failure after the day rows are written: the article update is refused.
    await ds.query(
      kind === "mysql"
        ? "CREATE TRIGGER views_refused BEFORE UPDATE ON article FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'database unavailable'"
        : "CREATE TRIGGER views_refused BEFORE UPDATE ON article BEGIN SELECT RAISE(ABORT, 'database unavailable'); END",
    );
    await expect(gw.app.views.flush()).rejects.toThrow(/database unavailable/);
    await expect(gw.app.views.flush()).rejects.toThrow(/database unavailable/);
    expect(gw.app.views.pendingViews).toBe(300);
    const during = await totals(gw, ids);
    expect(sum(added(before.views, during.views, ids))).toBe(0);
    expect(sum(added(before.today, during.today, ids))).toBe(0);

    // Views counted while the database was failing join the same retry.
    const more = await recordViews(gw, ids, 7);
    await ds.query("DROP TRIGGER views_refused");
    await gw.app.views.flush();
    const after = await totals(gw, ids);
    const expected = new Map(ids.map((id) => [id, (sent.get(id) ?? 0) + (more.get(id) ?? 0)]));
    expect(added(before.views, after.views, ids)).toEqual(expected);
    expect(added(before.today, after.today, ids)).toEqual(expected);
  });

  test("the timer flushes every interval without being asked", async () => {
    const counter = new ViewCounter(gw.app.db.dataSource, { intervalMs: 50 });
    const before = await totals(gw, ids);
    counter.start();
    try {
      for (let i = 0; i < 25; i++) counter.record(ids[0]);
      const deadline = Date.now() + 5000;
      while (counter.pendingViews > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(counter.pendingViews).toBe(0);
      await counter.flush();
      const after = await totals(gw, ids);
      expect(after.views.get(ids[0])! - before.views.get(ids[0])!).toBe(25);
    } finally {
      await counter.stop();
    }
  });

  test("views of an unknown or unpublished article are not counted", async () => {
    const [draft] = await gw.app.db.dataSource.query("SELECT id FROM article WHERE id = ?", [ids[1]]);
    await gw.app.db.dataSource.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [draft.id]);
    const r = await gw.run<{ recordView: boolean }>(RECORD_VIEW, { articleId: toGlobalId("Article", Number(draft.id)) });
    expect(r.data?.recordView).toBe(false);
    const missing = await gw.run<{ recordView: boolean }>(RECORD_VIEW, { articleId: toGlobalId("Article", 99_999_999) });
    expect(missing.data?.recordView).toBe(false);
    expect(gw.app.views.pendingViews).toBe(0);
  });

  test("views of an article removed before the flush are dropped instead of blocking later flushes", async () => {
    const ds = gw.app.db.dataSource;
    gw.app.views.record(ids[2]);
    gw.app.views.record(ids[3]);
    await ds.query("DELETE FROM article WHERE id = ?", [ids[2]]);
    const [{ views: before }] = await ds.query("SELECT views FROM article WHERE id = ?", [ids[3]]);
    await gw.app.views.flush();
    expect(gw.app.views.pendingViews).toBe(0);
    const [{ views: after }] = await ds.query("SELECT views FROM article WHERE id = ?", [ids[3]]);
    expect(Number(after) - Number(before)).toBe(1);
  });
});

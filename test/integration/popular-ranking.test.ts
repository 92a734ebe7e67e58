import { createReader } from "../../src/read/reader";
import { utcDay } from "../../src/db/time";
import { PopularWindow, popularArticles } from "../../src/read/lists/popular";
import { refreshPopularRanking } from "../../src/write/derived/popularRanking";
import { ViewCounter } from "../../src/write/views/viewCounter";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const DAY_MS = 86_400_000;
const D = new Date(Date.UTC(2024, 4, 10, 12));
const at = (daysAfterD: number) => new Date(D.getTime() + daysAfterD * DAY_MS);
const WINDOWS = [PopularWindow.DAY, PopularWindow.WEEK, PopularWindow.MONTH];

describe.each(databaseKinds())("kept popular rankings on %s", (kind) => {
  let gw: TestGateway;
  /** Published article ids, newest first. */
  let newest: number[];
  let clock: Date;
  let counter: ViewCounter;

  const ids = async (window: PopularWindow, first: number, now = clock) =>
    (await popularArticles(createReader(gw.app.db.dataSource), { first, window, now })).map((a) => a.id);

  /** The same read with the kept ranking out of the way, so that it sums the per-day rows. */
  async function summedIds(window: PopularWindow, first: number, now = clock): Promise<number[]> {
    const ds = gw.app.db.dataSource;
    const spans = await ds.query("SELECT span, as_of FROM popular_span");
    await ds.query("DELETE FROM popular_span");
    try {
      return await ids(window, first, now);
    } finally {
      for (const s of spans) await ds.query("INSERT INTO popular_span (span, as_of) VALUES (?, ?)", [s.span, s.as_of]);
    }
  }

  async function spans(): Promise<Record<string, string>> {
    const rows = await gw.app.db.dataSource.query("SELECT span, as_of FROM popular_span");
    return Object.fromEntries(rows.map((r: { span: string; as_of: string }) => [r.span, r.as_of]));
  }

  const record = (id: number, when: Date, n: number) => {
    for (let i = 0; i < n; i++) counter.record(id, when);
  };

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 40, seed: 5 } });
    newest = (await gw.app.db.dataSource.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC, id DESC")).map((r: { id: unknown }) =>
      Number(r.id),
    );
  });
  afterAll(() => gw?.close());

  beforeEach(async () => {
    const ds = gw.app.db.dataSource;
    for (const table of ["article_view_day", "popular_rank", "popular_span", "collection_item"]) await ds.query(`DELETE FROM ${table}`);
    await ds.query("UPDATE article SET views = 0, status = 'PUBLISHED', deleted_at = NULL");
    clock = D;
    counter = new ViewCounter(ds, { intervalMs: null, now: () => clock });
  });

  test("flushes keep each window's ranking equal to the sums of its days, and readers read it", async () => {
    // Views over six weeks before D, flushed on D: the first flush of the day ranks every window.
    for (let i = 0; i < 30; i++) record(newest[i], at(-((i * 7) % 45)), 1 + ((i * 13) % 17));
    await counter.flush();
    expect(await spans()).toEqual({ DAY: utcDay(D), WEEK: utcDay(D), MONTH: utcDay(D) });
    // More views on D, in two flushes: the ranking takes in the articles written.
    record(newest[29], D, 40);
    record(newest[3], D, 2);
    await counter.flush();
    record(newest[35], D, 25);
    record(newest[29], at(-8), 100); // outside the day and the week, inside the month
    await counter.flush();
    for (const window of WINDOWS) {
      const kept = await ids(window, 12);
      expect(kept).toEqual(await summedIds(window, 12));
    }
    expect((await ids(PopularWindow.DAY, 2)).slice(0, 2)).toEqual([newest[29], newest[35]]);
    expect((await ids(PopularWindow.MONTH, 1))[0]).toBe(newest[29]);

    // The read takes the kept rows: a changed kept row changes the answer (and the summed read does not see it).
    await gw.app.db.dataSource.query("UPDATE popular_rank SET views = 100000 WHERE span = 'WEEK' AND article_id = ?", [newest[3]]);
    expect((await ids(PopularWindow.WEEK, 1))[0]).toBe(newest[3]);
    expect((await summedIds(PopularWindow.WEEK, 1))[0]).not.toBe(newest[3]);
  });

  test("the ranking holds at most its size and stays the exact top as views arrive in pieces", async () => {
    const ds = gw.app.db.dataSource;
    const day = utcDay(D);
    const size = 3;
    const top = async (window: string, since: string) =>
      (
        await ds.query(
          `SELECT article_id, SUM(views) AS n FROM article_view_day WHERE day >= ? AND day <= ? GROUP BY article_id ORDER BY SUM(views) DESC, article_id DESC LIMIT ${size}`,
          [since, day],
        )
      ).map((r: Record<string, unknown>) => [window, Number(r.article_id), Number(r.n)]);
    const kept = async (window: string) =>
      (await ds.query("SELECT span, article_id, views FROM popular_rank WHERE span = ? ORDER BY views DESC, article_id DESC", [window])).map(
        (r: Record<string, unknown>) => [String(r.span), Number(r.article_id), Number(r.views)],
      );
    // Rounds of views: an article cut in one round climbs back in a later one.
    const rounds: [number, number][][] = [
      [[newest[0], 5], [newest[1], 4], [newest[2], 3], [newest[3], 2]],
      [[newest[4], 10], [newest[5], 1]],
      [[newest[3], 9], [newest[6], 4]],
      [[newest[5], 20], [newest[0], 1]],
    ];
    for (const round of rounds) {
      for (const [id, n] of round) {
        await ds.query(
          kind === "mysql"
            ? "INSERT INTO article_view_day (article_id, day, views) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE views = views + VALUES(views)"
            : "INSERT INTO article_view_day (article_id, day, views) VALUES (?, ?, ?) ON CONFLICT (article_id, day) DO UPDATE SET views = views + excluded.views",
          [id, day, n],
        );
      }
      await ds.transaction((m) => refreshPopularRanking(m, round.map(([id]) => id), day, size));
      for (const window of ["DAY", "WEEK", "MONTH"]) {
        const rows = await kept(window);
        expect(rows.length).toBeLessThanOrEqual(size);
        expect(rows).toEqual(await top(window, day));
      }
    }
    expect((await kept("DAY")).map((r: unknown[]) => r[1])).toEqual([newest[5], newest[3], newest[4]]);
  });

  test("days passing without views: a stale ranking is never read, and the next flush ranks the new day", async () => {
    const [a, b, c] = [newest[7], newest[8], newest[9]];
    record(a, at(-6), 10); // in the week of D, out of it from D+1
    record(c, at(-1), 5);
    record(b, D, 3);
    await counter.flush();
    expect((await ids(PopularWindow.WEEK, 3))).toEqual([a, c, b]);
    expect((await ids(PopularWindow.DAY, 1))).toEqual([b]);

    // D+1, no views yet, nothing flushed: the windows have moved all the same.
    clock = at(1);
    expect(await spans()).toEqual({ DAY: utcDay(D), WEEK: utcDay(D), MONTH: utcDay(D) });
    expect((await ids(PopularWindow.WEEK, 2))).toEqual([c, b]);
    expect((await ids(PopularWindow.DAY, 1))).not.toEqual([b]);
    expect((await ids(PopularWindow.DAY, 3))).toEqual(await summedIds(PopularWindow.DAY, 3));

    // The counter's next (timed) flush, with nothing buffered, ranks D+1.
    await counter.flush();
    expect(await spans()).toEqual({ DAY: utcDay(at(1)), WEEK: utcDay(at(1)), MONTH: utcDay(at(1)) });
    const week = await gw.app.db.dataSource.query("SELECT article_id, views FROM popular_rank WHERE span = 'WEEK' ORDER BY views DESC");
    expect(week.map((r: Record<string, unknown>) => [Number(r.article_id), Number(r.views)])).toEqual([[c, 5], [b, 3]]);
    expect(await gw.app.db.dataSource.query("SELECT article_id FROM popular_rank WHERE span = 'DAY'")).toEqual([]);
    expect((await ids(PopularWindow.WEEK, 2))).toEqual([c, b]);
    expect((await ids(PopularWindow.MONTH, 3))).toEqual([a, c, b]);

    // A counter whose clock lags (another instance, still on D) keeps the later day and adds its views.
    const lagging = new ViewCounter(gw.app.db.dataSource, { intervalMs: null, now: () => D });
    lagging.record(b, at(1));
    lagging.record(b, at(1));
    lagging.record(b, at(1));
    await lagging.flush();
    expect(await spans()).toEqual({ DAY: utcDay(at(1)), WEEK: utcDay(at(1)), MONTH: utcDay(at(1)) });
    expect((await ids(PopularWindow.WEEK, 2))).toEqual([b, c]);
    expect((await ids(PopularWindow.DAY, 1))).toEqual([b]);

    // A month on, everything has left every window.
    clock = at(40);
    await counter.flush();
    for (const window of WINDOWS) expect(await gw.app.db.dataSource.query("SELECT article_id FROM popular_rank WHERE span = ?", [window])).toEqual([]);
    expect((await ids(PopularWindow.MONTH, 3))).toEqual([newest[0], newest[1], newest[2]]);
  });

  test("an article unpublished or deleted after it was ranked is not shown; the next one takes its place", async () => {
    const [a, b, c] = [newest[12], newest[13], newest[14]];
    record(a, D, 9);
    record(b, D, 5);
    record(c, D, 2);
    await counter.flush();
    expect(await ids(PopularWindow.DAY, 2)).toEqual([a, b]);
    await gw.app.db.dataSource.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [a]);
    expect(await ids(PopularWindow.DAY, 2)).toEqual([b, c]);
    await gw.app.db.dataSource.query("UPDATE article SET deleted_at = updated_at WHERE id = ?", [b]);
    expect(await ids(PopularWindow.DAY, 2)).toEqual([c, newest[0]]);
    // Still in the kept ranking: publishing it again shows it at its place at once.
    await gw.app.db.dataSource.query("UPDATE article SET status = 'PUBLISHED' WHERE id = ?", [a]);
    expect(await ids(PopularWindow.DAY, 2)).toEqual([a, c]);
  });
});

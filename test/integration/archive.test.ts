import type { EntityManager } from "typeorm";
import { fromDbTime, toDbTime, utcDay } from "../../src/db/time";
import { archiveGroupBySql } from "../../src/write/derived/archiveDays";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { generateCorpus, corpusOptions } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const TREE = `query($year: Int, $month: Int, $locale: String = "ru") {
  archive(year: $year, month: $month, locale: $locale) { years { year count months { month label count days { day count } } } }
}`;

type Tree = { archive: { years: { year: number; count: number; months: { month: number; label: string; count: number; days: { day: number; count: number }[] }[] }[] } };

type DayRow = [number, number, number, number];

async function summary(gw: TestGateway): Promise<DayRow[]> {
  const rows = await gw.app.db.dataSource.query("SELECT year, month, day, article_count FROM archive_day WHERE article_count > 0");
  return sortRows(rows);
}

async function groupBy(gw: TestGateway): Promise<DayRow[]> {
  return sortRows(await gw.app.db.dataSource.query(archiveGroupBySql(gw.app.db.dataSource.manager)));
}

/** archive_month as [year, month, count], and the same sums made from the per-day rows given (which must equal it). */
async function months(gw: TestGateway): Promise<[number, number, number][]> {
  const rows: Record<string, unknown>[] = await gw.app.db.dataSource.query("SELECT year, month, article_count FROM archive_month WHERE article_count > 0");
  return rows.map((r) => [Number(r.year), Number(r.month), Number(r.article_count)] as [number, number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function monthsOf(days: DayRow[]): [number, number, number][] {
  const sums = new Map<string, [number, number, number]>();
  for (const [y, m, , n] of days) {
    const sum = sums.get(`${y}-${m}`) ?? [y, m, 0];
    sum[2] += n;
    sums.set(`${y}-${m}`, sum);
  }
  return [...sums.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** The tree without its days, as a query that does not ask for them gets it. */
function withoutDays(tree: ReturnType<typeof treeOf>) {
  return tree.map((y) => ({ ...y, months: y.months.map(({ days: _days, ...m }) => m) }));
}

const MONTH_TREE = `query($year: Int, $month: Int) {
  archive(year: $year, month: $month) { years { year count months { month count } } }
}`;

function sortRows(rows: Record<string, unknown>[]): DayRow[] {
  return rows
    .map((r) => [Number(r.year), Number(r.month), Number(r.day), Number(r.article_count)] as DayRow)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

/** The tree the archive must show, built from per-day rows. */
function treeOf(rows: DayRow[]) {
  const years = new Map<number, Map<number, { day: number; count: number }[]>>();
  for (const [y, m, d, n] of rows) {
    const months = years.get(y) ?? new Map();
    years.set(y, months);
    months.set(m, [...(months.get(m) ?? []), { day: d, count: n }]);
  }
  return [...years.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([year, months]) => {
      const ms = [...months.entries()]
        .sort((a, b) => b[0] - a[0])
        .map(([month, days]) => ({ month, days: days.sort((a, b) => b.day - a.day), count: days.reduce((s, d) => s + d.count, 0) }));
      return { year, count: ms.reduce((s, m) => s + m.count, 0), months: ms };
    });
}

function withoutLabels(tree: Tree["archive"]["years"]) {
  return tree.map((y) => ({ ...y, months: y.months.map(({ label: _label, ...m }) => m) }));
}

describe.each(databaseKinds())("archive on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 120, seed: 4, from: new Date(Date.UTC(2023, 10, 1)), to: new Date(Date.UTC(2024, 2, 31)) } });
  });
  afterAll(() => gw?.close());

  test("the whole tree, a year and a month narrow as asked, with counts that add up", async () => {
    const expected = treeOf(await groupBy(gw));
    expect(expected.map((y) => y.year)).toEqual([2024, 2023]);
    const all = await gw.run<Tree>(TREE);
    expect(all.errors).toBeUndefined();
    expect(withoutLabels(all.data!.archive.years)).toEqual(expected);

    const year = await gw.run<Tree>(TREE, { year: 2024 });
    expect(withoutLabels(year.data!.archive.years)).toEqual(expected.filter((y) => y.year === 2024));

    const month = await gw.run<Tree>(TREE, { year: 2024, month: 2 });
    const feb = expected.find((y) => y.year === 2024)!.months.find((m) => m.month === 2)!;
    expect(withoutLabels(month.data!.archive.years)).toEqual([{ year: 2024, count: feb.count, months: [feb] }]);
    expect(feb.days.length).toBeGreaterThan(1);

    const empty = await gw.run<Tree>(TREE, { year: 2019, month: 5 });
    expect(empty.data!.archive.years).toEqual([]);
  });

  test("a tree that does not ask for days reads the kept months in one statement, and equals the tree with days", async () => {
    const expected = treeOf(await groupBy(gw));
    // A fragment and an inline fragment still ask for days: those read archive_day.
    for (const [query, table] of [
      [MONTH_TREE, "archive_month"],
      [`query($year: Int, $month: Int) { archive(year: $year, month: $month) { ...Tree } } fragment Tree on Archive { years { year count months { month count ... on ArchiveMonth { days { day } } } } }`, "archive_day"],
    ] as const) {
      for (const variables of [{}, { year: 2024 }, { year: 2024, month: 2 }]) {
        const seen: string[] = [];
        gw.app.db.statements.onStatement = (sql) => seen.push(sql);
        let r;
        try {
          r = await gw.run<{ archive: { years: { year: number; count: number; months: { month: number; count: number }[] }[] } }>(query, variables);
        } finally {
          gw.app.db.statements.onStatement = null;
        }
        expect(r.errors).toBeUndefined();
        expect(seen).toHaveLength(1);
        expect(seen[0]).toMatch(new RegExp(`\\bFROM ${table}\\b`));
        const narrowed = expected
          .filter((y) => !("year" in variables) || y.year === variables.year)
          .map((y) => (!("month" in variables) ? y : { ...y, months: y.months.filter((m) => m.month === variables.month) }))
          .map((y) => ({ ...y, count: y.months.reduce((n, m) => n + m.count, 0) }));
        const shown = withoutDays(narrowed);
        if (table === "archive_month") expect(r.data!.archive.years).toEqual(shown);
        else expect(withoutDays(r.data!.archive.years as ReturnType<typeof treeOf>)).toEqual(shown);
      }
    }
  });

  test("month labels follow the locale, Russian by default", async () => {
    const label = async (locale?: string) => {
      const r = await gw.run<Tree>(TREE, { year: 2024, month: 2, ...(locale ? { locale } : {}) });
      expect(r.errors).toBeUndefined();
      return r.data!.archive.years[0].months[0].label;
    };
    expect(await label()).toBe("Февраль");
    expect(await label("kk")).toBe("Ақпан");
    expect(await label("en")).toBe("February");
  });

  test.each([
    [{ month: 2 }, "month needs a year."],
    [{ year: 2024, month: 13 }, "month must be between 1 and 12, got 13."],
    [{ year: 2024, month: 0 }, "month must be between 1 and 12, got 0."],
    [{ locale: "de" }, 'locale must be one of ru, kk, en; got "de".'],
  ])("%j is BAD_USER_INPUT", async (variables, message) => {
    const r = await gw.run(TREE, variables);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT" } });
  });

  test("one statement, reading the summary and not the articles", async () => {
    const seen: string[] = [];
    gw.app.db.statements.onStatement = (sql) => seen.push(sql);
    try {
      const r = await gw.run(TREE, { year: 2024 });
      expect(r.errors).toBeUndefined();
      expect(r.statements).toBe(1);
    } finally {
      gw.app.db.statements.onStatement = null;
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/\bFROM archive_day\b/);
    expect(seen[0]).not.toMatch(/\barticle\b/);
  });

  test("writers working at once on the days of one month all land, and the days and the month equal the GROUP BY", async () => {
    const ds = gw.app.db.dataSource;
    // The busiest month's articles, several a day: each writer unpublishes one and publishes it again, all at once.
    const [month] = await ds.query(
      "SELECT year, month FROM archive_month ORDER BY article_count DESC, year, month LIMIT 1",
    );
    const days: { id: unknown; published_at: unknown }[] = await ds.query("SELECT id, published_at FROM article WHERE status = 'PUBLISHED' ORDER BY published_at, id");
    const inMonth = new Map<string, number>();
    for (const r of days) {
      const at = fromDbTime(r.published_at)!;
      if (at.getUTCFullYear() === Number(month.year) && at.getUTCMonth() + 1 === Number(month.month)) inMonth.set(String(r.id), Number(r.id));
    }
    const ids = [...inMonth.values()];
    expect(ids.length).toBeGreaterThan(3);
    const flip = (id: number, status: string) =>
      ds.transaction(async (m) => {
        const [row] = await m.query("SELECT published_at FROM article WHERE id = ?", [id]);
        await m.query("UPDATE article SET status = ? WHERE id = ?", [status, id]);
        await articlesChanged(m, { ids: [id], days: [fromDbTime(row.published_at)] });
      });
    // At once on MariaDB; SQLite has one writer, one transaction after another.
    const all = async (status: string) => {
      if (kind === "mysql") await Promise.all(ids.map((id) => flip(id, status)));
      else for (const id of ids) await flip(id, status);
    };
    await all("DRAFT");
    expect(await months(gw)).toEqual(monthsOf(await groupBy(gw)));
    await all("PUBLISHED");
    const truth = await groupBy(gw);
    expect(await summary(gw)).toEqual(truth);
    expect(await months(gw)).toEqual(monthsOf(truth));
  });

  test("imports, publishes, unpublishes, deletes and date changes keep the summary equal to a GROUP BY over published articles", async () => {
    const ds = gw.app.db.dataSource;
    expect(await summary(gw)).toEqual(await groupBy(gw));
    const publishedAt = async (m: EntityManager, id: number): Promise<Date | null> => {
      const [row] = await m.query("SELECT published_at FROM article WHERE id = ?", [id]);
      return fromDbTime(row.published_at);
    };
    /** One writer transaction: the change, then articlesChanged with the days before and after, as every writer does. */
    const write = async (id: number, change: (m: EntityManager) => Promise<void>) => {
      await ds.transaction(async (m) => {
        const before = await publishedAt(m, id);
        await change(m);
        await articlesChanged(m, { ids: [id], days: [before, await publishedAt(m, id)] });
      });
    };
    const ids: number[] = (await ds.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY published_at, id")).map((r: { id: unknown }) => Number(r.id));
    const now = toDbTime(new Date());
    let nextId = 100_000;
    const importArticle = async (status: string, at: Date) => {
      const id = nextId++;
      await ds.transaction(async (m) => {
        await m.query(
          `INSERT INTO article (id, slug, path, title, title_key, published_at, status, views, language, created_at, updated_at)
           VALUES (?, ?, ?, 'Импорт', 'импорт', ?, ?, 0, 'ru', ?, ?)`,
          [id, `imported-${id}`, `/imported/${id}`, toDbTime(at), status, now, now],
        );
        await articlesChanged(m, { ids: [id], days: [at] });
      });
      return id;
    };

    // Imports: onto a busy day, onto a day and a year that had nothing, and a draft.
    const busy = utcDay((await publishedAt(ds.manager, ids[10]))!);
    await importArticle("PUBLISHED", new Date(`${busy}T23:59:59.999Z`));
    await importArticle("PUBLISHED", new Date(Date.UTC(2021, 6, 4, 0, 0, 0)));
    const draft = await importArticle("DRAFT", new Date(Date.UTC(2024, 0, 15, 12)));
    // Publish the draft; unpublish one; delete one; move one to another month; move one to the day it already had.
    await write(draft, (m) => m.query("UPDATE article SET status = 'PUBLISHED' WHERE id = ?", [draft]));
    await write(ids[0], (m) => m.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [ids[0]]));
    await write(ids[1], (m) => m.query("UPDATE article SET deleted_at = ? WHERE id = ?", [now, ids[1]]));
    await write(ids[2], (m) => m.query("UPDATE article SET published_at = ? WHERE id = ?", [toDbTime(new Date(Date.UTC(2024, 2, 31, 23, 0))), ids[2]]));
    await write(ids[3], (m) => m.query("UPDATE article SET published_at = ? WHERE id = ?", [toDbTime(new Date(Date.UTC(2025, 0, 1, 0, 0))), ids[3]]));
    // A day emptied entirely: every article of ids[50]'s day unpublished.
    const day = utcDay((await publishedAt(ds.manager, ids[50]))!);
    for (const id of ids.slice(40, 61)) {
      if (utcDay((await publishedAt(ds.manager, id))!) === day) await write(id, (m) => m.query("UPDATE article SET status = 'STUB' WHERE id = ?", [id]));
    }
    // An unpublished article coming back, and a deleted one restored.
    await write(ids[0], (m) => m.query("UPDATE article SET status = 'PUBLISHED' WHERE id = ?", [ids[0]]));
    await write(ids[1], (m) => m.query("UPDATE article SET deleted_at = NULL WHERE id = ?", [ids[1]]));
    await write(ids[1], (m) => m.query("UPDATE article SET deleted_at = ? WHERE id = ?", [now, ids[1]]));

    const truth = await groupBy(gw);
    expect(await summary(gw)).toEqual(truth);
    expect(await months(gw)).toEqual(monthsOf(truth));
    expect(truth.some(([y]) => y === 2021)).toBe(true);
    expect(truth.some(([y]) => y === 2025)).toBe(true);
    const [y, m, d] = day.split("-").map(Number);
    expect(truth.some((r) => r[0] === y && r[1] === m && r[2] === d)).toBe(false);
    // And the API shows the same tree.
    const all = await gw.run<Tree>(TREE);
    expect(withoutLabels(all.data!.archive.years)).toEqual(treeOf(truth));
    const monthsOnly = await gw.run<Tree>(MONTH_TREE);
    expect(monthsOnly.data!.archive.years).toEqual(withoutDays(treeOf(truth)));
  });
});

// The archive must stay cheap however many articles there are: on a
// 100,000-article corpus in MariaDB (the production database; CI always has
// it) it is still one statement that reads only the summary. Without
// MariaDB the same check runs on 20,000 articles in SQLite, so that a plain
// `npm test` stays quick. Seeding 100,000 takes about 5 minutes on a busy
// machine, hence the timeout.
const bigKind = databaseKinds().includes("mysql") ? "mysql" : "sqlite";
const bigSize = bigKind === "mysql" ? 100_000 : 20_000;
describe(`archive over ${bigSize} articles on ${bigKind}`, () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(bigKind, { corpus: false });
    await writeCorpus(gw.app.db.dataSource, generateCorpus(corpusOptions({ articles: bigSize, seed: 2 })));
  }, 1_800_000);
  afterAll(() => gw?.close(), 120_000);

  test("is answered in one statement from archive_day, which equals the GROUP BY", async () => {
    const seen: string[] = [];
    gw.app.db.statements.onStatement = (sql) => seen.push(sql);
    let r;
    try {
      r = await gw.run<Tree>(TREE);
    } finally {
      gw.app.db.statements.onStatement = null;
    }
    expect(r.errors).toBeUndefined();
    expect(r.statements).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/\bFROM archive_day\b/);
    expect(seen[0]).not.toMatch(/\barticle\b/);
    const truth = await groupBy(gw);
    expect(truth.reduce((s, row) => s + row[3], 0)).toBe(bigSize);
    expect(withoutLabels(r.data!.archive.years)).toEqual(treeOf(truth));

    if (bigKind === "mysql") {
      const plan: { table: string }[] = await gw.app.db.dataSource.query(`EXPLAIN ${seen[0]}`);
      expect([...new Set(plan.map((p) => p.table))]).toEqual(["archive_day"]);
    } else {
      const plan: { detail: string }[] = await gw.app.db.dataSource.query(`EXPLAIN QUERY PLAN ${seen[0]}`);
      expect(plan.map((p) => p.detail).join("\n")).toMatch(/archive_day/);
      expect(plan.map((p) => p.detail).join("\n")).not.toMatch(/\barticle\b/);
    }
  }, 120_000);

  test("the month tree every article page shows reads archive_month, one row a month, equal to the GROUP BY", async () => {
    const seen: string[] = [];
    gw.app.db.statements.onStatement = (sql) => seen.push(sql);
    let r;
    try {
      r = await gw.run(MONTH_TREE);
    } finally {
      gw.app.db.statements.onStatement = null;
    }
    expect(r.errors).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/\bFROM archive_month\b/);
    const truth = await groupBy(gw);
    expect(await months(gw)).toEqual(monthsOf(truth));
    expect(r.data).toEqual({ archive: { years: withoutDays(treeOf(truth)) } });
    const explained = bigKind === "mysql" ? `EXPLAIN ${seen[0]}` : `EXPLAIN QUERY PLAN ${seen[0]}`;
    const plan: Record<string, unknown>[] = await gw.app.db.dataSource.query(explained);
    const text = JSON.stringify(plan);
    expect(text).toMatch(/archive_month/);
    expect(text).not.toMatch(/archive_day|"article"|\barticle\b/);
  }, 120_000);
});

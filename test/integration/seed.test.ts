import type { DataSource } from "typeorm";
import { dialectOf } from "../../src/db/dialect";
import { indexArticles } from "../../src/write/derived/searchIndex";
import { normalizeText } from "../../src/text/normalize";
import { archiveGroupBySql } from "../../src/write/derived/archiveDays";
import { addLiveEntry } from "../../src/live/liveBlogWrites";
import { corpusOptions, generateCorpus, LIVE_BLOG_EVERY } from "../../src/write/seed/corpus";
import { IndexText } from "../../src/write/seed/indexText";
import { insertAll, TableLoader } from "../../src/write/seed/loadData";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { PARAGRAPH_SEPARATOR } from "../../entities";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/db";

// The bulk writer takes shortcuts the row-by-row writers do not (index rows
// written with their articles, indexes built after the load, checks off):
// what it leaves must be what those writers would have left.

async function indexes(ds: DataSource): Promise<string[]> {
  if (dialectOf(ds) === "mysql") {
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT table_name AS t, index_name AS i, non_unique AS u, seq_in_index AS s, column_name AS c, index_type AS k
         FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index`,
    );
    return rows.map((r) => `${r.t}.${r.i}:${r.u}:${r.s}:${r.c}:${r.k}`);
  }
  const rows: Record<string, unknown>[] = await ds.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name");
  return rows.map((r) => `${r.name}:${r.sql}`);
}

async function searchRows(ds: DataSource): Promise<string[]> {
  const id = dialectOf(ds) === "mysql" ? "article_id" : "rowid";
  // The SQLite index is contentless: compare what it finds instead of its text.
  if (dialectOf(ds) === "sqlite") {
    const rows: Record<string, unknown>[] = await ds.query("SELECT rowid AS id FROM article_search WHERE article_search MATCH 'участник' ORDER BY rowid");
    return rows.map((r) => String(r.id));
  }
  const rows: Record<string, unknown>[] = await ds.query(`SELECT ${id} AS id, title, body FROM article_search ORDER BY ${id}`);
  return rows.map((r) => `${r.id}|${r.title}|${r.body}`);
}

describe("the index text of the bulk writer", () => {
  test("equals normalizeText, piece by piece or whole", () => {
    const corpus = generateCorpus(corpusOptions({ articles: 300, seed: 5 }));
    const text = new IndexText(50);
    let checked = 0;
    for (const a of corpus.articles()) {
      const whole = [a.lead, ...a.paragraphs].join("\n\n");
      expect(text.of(a.title)).toBe(normalizeText(a.title));
      expect(text.of(whole)).toBe(normalizeText(whole));
      checked++;
    }
    expect(checked).toBe(300);
    for (const tricky of ["  Казахстан\u00A0и\tмир ", "сло\u00ADво за\uFEFFмок", "one\n\ntwo  —  три", "", " \n "]) {
      expect(text.of(tricky)).toBe(normalizeText(tricky));
    }
  });
});

describe.each(databaseKinds())("seeding on %s", (kind) => {
  let db: TestDatabase;
  let fresh: TestDatabase;
  beforeAll(async () => {
    [db, fresh] = [await createTestDatabase(kind), await createTestDatabase(kind)];
  });
  afterAll(async () => {
    await db?.drop();
    await fresh?.drop();
  });

  test("leaves the schema's indexes, the search index and the archive as the row-by-row writers would", async () => {
    const ds = db.db.dataSource;
    const report = await writeCorpus(ds, generateCorpus(corpusOptions({ articles: 1200, seed: 3 })));
    expect(report.articles).toBe(1200);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article");
    expect(Number(n)).toBe(1200);
    // Every index the migrations made is back, built after the load.
    expect(await indexes(ds)).toEqual(await indexes(fresh.db.dataSource));
    // The index rows written with the articles are the ones indexArticles writes.
    const seeded = await searchRows(ds);
    expect(seeded.length).toBeGreaterThan(0);
    const ids: { id: unknown }[] = await ds.query("SELECT id FROM article");
    await ds.transaction((m) => indexArticles(m, ids.map((r) => Number(r.id))));
    expect(await searchRows(ds)).toEqual(seeded);
    // The archive summary equals a GROUP BY over the articles.
    const kept: Record<string, unknown>[] = await ds.query("SELECT year, month, day, article_count FROM archive_day WHERE article_count > 0 ORDER BY year, month, day");
    const counted: Record<string, unknown>[] = await ds.query(`SELECT * FROM (${archiveGroupBySql(ds.manager)}) g ORDER BY year, month, day`);
    expect(kept.map((r) => [r.year, r.month, r.day, r.article_count].map(Number))).toEqual(counted.map((r) => [r.year, r.month, r.day, r.article_count].map(Number)));
    const keptMonths: Record<string, unknown>[] = await ds.query("SELECT year, month, article_count FROM archive_month WHERE article_count > 0 ORDER BY year, month");
    const summed: Record<string, unknown>[] = await ds.query(`SELECT year, month, SUM(article_count) AS n FROM (${archiveGroupBySql(ds.manager)}) g GROUP BY year, month ORDER BY year, month`);
    expect(keptMonths.map((r) => [r.year, r.month, r.article_count].map(Number))).toEqual(summed.map((r) => [r.year, r.month, r.n].map(Number)));
    // The articles hold what the generator made, paragraph breaks and missing credits included.
    const stored: Record<string, unknown>[] = await ds.query("SELECT id, slug, path, title, lead, body, views, photo_credit, author_id FROM article ORDER BY id");
    const generated = [...generateCorpus(corpusOptions({ articles: 1200, seed: 3 })).articles()];
    expect(generated.some((a) => a.photoCredit === null)).toBe(true);
    expect(stored.map((r) => [Number(r.id), r.slug, r.path, r.title, r.lead, r.body, Number(r.views), r.photo_credit, Number(r.author_id)])).toEqual(
      generated.map((a) => [a.id, a.slug, a.path, a.title, a.lead, a.paragraphs.join(PARAGRAPH_SEPARATOR), a.views, a.photoCredit, a.authorId]),
    );
    const tagRows: Record<string, unknown>[] = await ds.query("SELECT article_id, tag_id, position FROM article_tag ORDER BY article_id, position");
    expect(tagRows.map((r) => [r.article_id, r.tag_id, r.position].map(Number))).toEqual(
      generated.flatMap((a) => [...a.rubricIds, ...a.hashtagIds].map((t, i) => [a.id, t, i])),
    );
    // Foreign keys are checked again once the load is over.
    await expect(ds.query("INSERT INTO article_tag (article_id, tag_id, position) VALUES (999999, 1, 0)")).rejects.toThrow();
  });

  test("writes live blogs in the generator's proportion, the newest running, and a new entry follows the seeded ones", async () => {
    const ds = db.db.dataSource;
    const blogs: Record<string, unknown>[] = await ds.query("SELECT article_id, ended_at FROM live_blog ORDER BY article_id");
    expect(blogs).toHaveLength(Math.floor(1200 / LIVE_BLOG_EVERY));
    expect(blogs.map((b) => b.ended_at === null)).toEqual(blogs.map((_, i) => i === blogs.length - 1));
    const entries: Record<string, unknown>[] = await ds.query("SELECT article_id, COUNT(*) AS n, SUM(pinned) AS pinned FROM live_entry GROUP BY article_id ORDER BY article_id");
    expect(entries.map((e) => Number(e.article_id))).toEqual(blogs.map((b) => Number(b.article_id)));
    for (const e of entries) {
      expect(Number(e.n)).toBeGreaterThanOrEqual(10);
      expect(Number(e.pinned)).toBeGreaterThanOrEqual(1);
    }
    // Within a blog, ids grow with posting time, as the entries' index and order expect.
    const order: Record<string, unknown>[] = await ds.query("SELECT id FROM live_entry ORDER BY article_id, posted_at, id");
    expect(order.map((r) => Number(r.id))).toEqual(order.map((r) => Number(r.id)).sort((x, y) => x - y));
    const running = Number(blogs[blogs.length - 1].article_id);
    const added = await addLiveEntry(ds, { articleId: running, text: "После сида", pinned: false });
    expect(added).toBeGreaterThan(Math.max(...order.map((r) => Number(r.id))));
  });
});

const mysqlOnly = databaseKinds().includes("mysql") ? describe : describe.skip;

mysqlOnly("LOAD DATA streams on MariaDB", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("mysql", { migrate: false });
    await db.db.dataSource.query("CREATE TABLE loaded (id INT PRIMARY KEY, note TEXT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
  });
  afterAll(async () => {
    await db?.drop();
  });

  test("carry any text unchanged, NULL apart from the text \\N, across chunks", async () => {
    const notes = ["tab\there", "line\nbreak\r\n", "back\\slash \\N", "\\N", "nul\0byte", "ёжик Қазақстан ✓", "", null];
    const loader = await TableLoader.open(db.db.dataSource.createQueryRunner("master"), "loaded", ["id", "note"], 64);
    try {
      for (let id = 1; id <= 400; id++) await loader.add([id, notes[id % notes.length]]);
      await loader.flush();
    } finally {
      await loader.close();
    }
    expect(loader.rows).toBe(400);
    const rows: { id: number; note: string | null }[] = await db.db.dataSource.query("SELECT id, note FROM loaded ORDER BY id");
    expect(rows.map((r) => [Number(r.id), r.note])).toEqual(Array.from({ length: 400 }, (_, i) => [i + 1, notes[(i + 1) % notes.length]]));
  });

  test("fail a load that the server accepted only in part (LOAD DATA LOCAL turns errors into warnings)", async () => {
    const loader = await TableLoader.open(db.db.dataSource.createQueryRunner("master"), "loaded", ["id", "note"]);
    try {
      await loader.add([1, "a duplicate key, skipped with a warning"]);
      await loader.add([10_001, "new"]);
      await expect(loader.flush()).rejects.toThrow(/loaded: 1 of 2 rows/);
    } finally {
      await loader.close();
    }
  });

  test("write all the rows of insertAll or none", async () => {
    const ds = db.db.dataSource;
    await insertAll(ds, "loaded", ["id", "note"], [[20_001, "x"], [20_002, null]]);
    expect((await ds.query("SELECT id, note FROM loaded WHERE id > 20000 ORDER BY id")).map((r: { id: number; note: string | null }) => [Number(r.id), r.note])).toEqual([
      [20_001, "x"],
      [20_002, null],
    ]);
    await expect(insertAll(ds, "loaded", ["id", "note"], [[20_003, "y"], [20_001, "a duplicate"]])).rejects.toThrow(/1 of 2 rows/);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM loaded WHERE id > 20000");
    expect(Number(n)).toBe(2);
  });

  test("give their connections back to the pool with the checks on again", async () => {
    const runner = db.db.dataSource.createQueryRunner("master");
    const raw = await runner.connect();
    const loader = await TableLoader.open(runner, "loaded", ["id", "note"]);
    await loader.close();
    // The same pooled connection, taken again.
    const again = db.db.dataSource.createQueryRunner("master");
    expect(await again.connect()).toBe(raw);
    try {
      const [row] = await again.query("SELECT @@SESSION.foreign_key_checks AS fk, @@SESSION.unique_checks AS uc");
      expect([Number(row.fk), Number(row.uc)]).toEqual([1, 1]);
    } finally {
      await again.release();
    }
  });
});

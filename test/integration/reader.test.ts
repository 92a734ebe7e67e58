import { openDatabase, type Database } from "../../src/db/dataSource";
import { createReader } from "../../src/read/reader";
import type { Row } from "../../src/read/rows";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { corpusOptions, generateCorpus } from "../../src/write/seed/corpus";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/db";

// Reads on MariaDB are server-side prepared statements sent to TypeORM's
// pool (src/read/reader.ts). What they answer must be what the same
// statement sent as text (TypeORM's DataSource.query) answers, value for
// value; each statement text is prepared once per connection; and when
// MariaDB will not prepare any more, reads are still answered.
const mysqlOnly = databaseKinds().includes("mysql") ? describe : describe.skip;

mysqlOnly("prepared reads on MariaDB", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("mysql");
    await writeCorpus(db.db.dataSource, generateCorpus(corpusOptions({ articles: 40, seed: 3 })));
    // A kept neighbour list to read through JSON_TABLE (40 generated articles may share too few tags to have one).
    await db.db.dataSource.query(
      "INSERT INTO article_neighbours (article_id, neighbour_ids) VALUES (1, '[4,2,3]') ON DUPLICATE KEY UPDATE neighbour_ids = VALUES(neighbour_ids)",
    );
  });
  afterAll(() => db?.drop());

  /** Statements whose values cover the column types the pages read: dates, nulls, text, integers, sums, JSON_TABLE, BIGINT arithmetic. */
  const statements: [string, unknown[]][] = [
    ["SELECT a.* FROM article a WHERE a.id IN (?, ?, ?) ORDER BY a.id", [1, 2, 3]],
    ["SELECT a.id, a.published_at, a.deleted_at, a.lead FROM article a WHERE a.published_at < ? ORDER BY a.published_at DESC, a.id DESC LIMIT ?", [new Date("2030-01-01T00:00:00Z"), 5]],
    ["SELECT year, month, SUM(article_count) AS n FROM archive_day GROUP BY year, month ORDER BY year, month", []],
    ["SELECT a.id, 1099511627776 + a.id AS rank_key, -a.views AS negated, a.views / 3 AS third FROM article a ORDER BY a.id LIMIT ?", [4]],
    [
      "SELECT n.article_id, j.rn, j.id FROM article_neighbours n CROSS JOIN JSON_TABLE(n.neighbour_ids, '$[*]' COLUMNS (rn FOR ORDINALITY, id INT PATH '$')) j WHERE j.rn <= ? ORDER BY n.article_id, j.rn LIMIT ?",
      [3, 12],
    ],
    ["SELECT ? AS nothing, ? AS fraction, ? AS word, ? AS yes", [null, 2.5, "слово", true]],
    ["SELECT a.id FROM article a WHERE a.id > ? AND a.views >= ? AND a.title <> ? ORDER BY a.id LIMIT ?", [2, 0, "", 3]],
  ];

  test("answer what the same statement sent as text answers, value for value", async () => {
    const reader = createReader(db.db.dataSource);
    for (const [sql, params] of statements) {
      const prepared = await reader.read(sql, params);
      const text = (await db.db.dataSource.query(sql, params)) as Row[];
      expect(prepared.length).toBeGreaterThan(0);
      expect(prepared).toEqual(text);
    }
  });

  test("take numbers as text: an integer selected back is a string, one compared to a key is an index range, one in LIMIT a limit", async () => {
    const reader = createReader(db.db.dataSource);
    expect(await reader.read("SELECT ? AS whole, ? + 1 AS sum", [7, 7])).toEqual([{ whole: "7", sum: 8 }]);
    const plan = await reader.read("EXPLAIN SELECT a.id FROM article a WHERE a.id IN (?, ?) ORDER BY a.id LIMIT ?", [1, 2, 1]);
    expect(plan).toEqual([expect.objectContaining({ table: "a", type: "range", rows: "2" })]);
  });

  test("are counted like any statement, and each text is prepared once per connection", async () => {
    // One connection, so that its session counters see every read.
    const single: Database = await openDatabase({ url: db.location, poolSize: 1 });
    try {
      const reader = createReader(single.dataSource);
      const counters = async () => {
        const rows = await reader.read(
          "SELECT LOWER(VARIABLE_NAME) AS name, VARIABLE_VALUE AS value FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME IN ('COM_STMT_PREPARE', 'COM_STMT_EXECUTE')",
        );
        return Object.fromEntries(rows.map((r) => [String(r.name), Number(r.value)]));
      };
      await counters();
      const before = await counters();
      const total = single.statements.total;
      for (let i = 1; i <= 5; i++) expect(await reader.read("SELECT a.id FROM article a WHERE a.id = ?", [i])).toEqual([{ id: i }]);
      const after = await counters();
      expect(single.statements.total - total).toBe(6);
      // The five reads and the counters' own read: executed six times, the new text prepared once.
      expect(after.com_stmt_execute - before.com_stmt_execute).toBe(6);
      expect(after.com_stmt_prepare - before.com_stmt_prepare).toBe(1);
    } finally {
      await single.dataSource.destroy();
    }
  });

  test("are answered as text when MariaDB will not prepare more statements", async () => {
    const admin = await openDatabase({ url: db.location, poolSize: 1 });
    const [{ limit }] = (await admin.dataSource.query("SELECT @@GLOBAL.max_prepared_stmt_count AS `limit`")) as { limit: number }[];
    // A fresh pool: none of its connections has prepared anything yet.
    const fresh = await openDatabase({ url: db.location });
    try {
      await admin.dataSource.query("SET GLOBAL max_prepared_stmt_count = 0");
      const reader = createReader(fresh.dataSource);
      for (const [sql, params] of statements) expect(await reader.read(sql, params)).toEqual(await db.db.dataSource.query(sql, params));
      await expect(reader.read("SELECT no_such_column FROM article")).rejects.toMatchObject({ errno: 1054 });
    } finally {
      await admin.dataSource.query(`SET GLOBAL max_prepared_stmt_count = ${Number(limit)}`);
      await fresh.dataSource.destroy();
      await admin.dataSource.destroy();
    }
  });
});

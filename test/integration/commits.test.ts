import { afterCommit, contentCommitted, watchCommits } from "../../src/db/commits";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/db";

// What leaves the process because of a write waits for its commit, never
// runs on a rollback, and cannot turn a committed write into an error.
describe.each(databaseKinds())("after-commit work on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.drop());

  test("runs once after the commit, in order, never after a rollback", async () => {
    const ds = database.db.dataSource;
    const seen: string[] = [];
    const unwatch = watchCommits(ds, "retire", async () => {
      seen.push("content");
    });
    try {
      await ds.transaction(async (m) => {
        await afterCommit(m, null, () => void seen.push("first"));
        await contentCommitted(m);
        await contentCommitted(m);
        await afterCommit(m, null, () => void seen.push("second"));
        expect(seen).toEqual([]);
      });
      expect(seen).toEqual(["first", "content", "second"]);
      seen.length = 0;
      await expect(
        ds.transaction(async (m) => {
          await contentCommitted(m);
          throw new Error("gave up");
        }),
      ).rejects.toThrow("gave up");
      // The next transaction's commit does not run what the rolled-back one left.
      await ds.transaction(async (m) => {
        await m.query("SELECT 1");
      });
      expect(seen).toEqual([]);
    } finally {
      unwatch();
    }
  });

  test("a failing watcher does not turn the committed write into an error", async () => {
    const ds = database.db.dataSource;
    const unwatch = watchCommits(ds, "retire", async () => {
      throw new Error("cache store down");
    });
    try {
      await expect(
        ds.transaction(async (m) => {
          await m.query("INSERT INTO author (name, slug) VALUES ('Автор после коммита', 'after-commit-author')");
          await contentCommitted(m);
        }),
      ).resolves.toBeUndefined();
      const [row] = await ds.query("SELECT COUNT(*) AS n FROM author WHERE slug = 'after-commit-author'");
      expect(Number(row.n)).toBe(1);
    } finally {
      unwatch();
    }
  });
});

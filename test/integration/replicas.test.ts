import { createApollo } from "../../src/graphql/apollo";
import { loadConfig } from "../../src/config";
import { type App, createContext } from "../../src/graphql/context";
import { type Database, migrate, openDatabase } from "../../src/db/dataSource";
import { toGlobalId } from "../../src/graphql/globalId";
import { DEMO_CORPUS, generateCorpus } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { ViewCounter } from "../../src/write/views/viewCounter";
import { silentLogger } from "../helpers/gateway";
import { type MariaDbInstance, startMariaDbInstances } from "../helpers/mariadbInstance";

jest.setTimeout(180_000);

/** Waits until the replica has applied everything the primary has written so far. */
async function caughtUp(primary: MariaDbInstance, replica: MariaDbInstance): Promise<void> {
  const [{ pos }] = await primary.query<{ pos: string }>("SELECT @@gtid_binlog_pos AS pos");
  const [{ waited }] = await replica.query<{ waited: number }>("SELECT MASTER_GTID_WAIT(?, 30) AS waited", [pos]);
  expect(Number(waited)).toBe(0);
}

describe("read replicas (DATABASE_REPLICA_URLS) with real MariaDB replication", () => {
  let primary: MariaDbInstance;
  let replica: MariaDbInstance;
  let db: Database;
  let app: App;
  let apollo: ReturnType<typeof createApollo>;

  async function run<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await apollo.executeOperation({ query, variables }, { contextValue: createContext(app) });
    if (res.body.kind !== "single") throw new Error("expected a single result");
    expect(res.body.singleResult.errors).toBeUndefined();
    return res.body.singleResult.data as T;
  }

  beforeAll(async () => {
    [primary, replica] = await startMariaDbInstances(["--server-id=1", "--log-bin=primary-bin", "--binlog-format=ROW"], ["--server-id=2", "--read-only"]);
    await replica.query(
      "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos",
      [primary.port],
    );
    await replica.query("START SLAVE");
    // The gateway reads the replica as a user that may only SELECT (made on
    // the replica alone): a write sent there would fail instead of landing.
    await replica.query("CREATE USER 'reader'@'127.0.0.1'");
    await replica.query("GRANT SELECT ON *.* TO 'reader'@'127.0.0.1'");

    await primary.query("CREATE DATABASE newsgraph CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    const replicaUrl = `mysql://reader@127.0.0.1:${replica.port}/newsgraph`;
    db = await openDatabase({ url: primary.url("newsgraph"), replicaUrls: [replicaUrl] });
    await migrate(db);
    await writeCorpus(db.dataSource, generateCorpus({ ...DEMO_CORPUS, articles: 20, seed: 9 }));
    await caughtUp(primary, replica);

    const config = loadConfig({ NODE_ENV: "test" });
    app = { db, config, views: new ViewCounter(db.dataSource, { intervalMs: null }) };
    apollo = createApollo(config, silentLogger);
    await apollo.start();
  });

  afterAll(async () => {
    await apollo?.stop();
    if (db?.dataSource.isInitialized) await db.dataSource.destroy();
    await Promise.all([replica?.destroy(), primary?.destroy()]);
  });

  test("reads are served by the replica: a change made on the replica alone is what the gateway shows", async () => {
    const [row] = await primary.query<{ id: number; slug: string; title: string }>(
      "SELECT id, slug, title FROM newsgraph.article WHERE status = 'PUBLISHED' ORDER BY id DESC LIMIT 1",
    );
    // Root may write despite read_only, and the replica keeps no binary log:
    // the replica alone now differs from the primary.
    await replica.query("UPDATE newsgraph.article SET title = 'Только на реплике' WHERE id = ?", [row.id]);

    const data = await run<{ article: { title: string } }>("query R($slug: String!) { article(slug: $slug) { title } }", {
      slug: row.slug,
    });
    expect(data.article.title).toBe("Только на реплике");
    const [onPrimary] = await primary.query<{ title: string }>("SELECT title FROM newsgraph.article WHERE id = ?", [row.id]);
    expect(onPrimary.title).toBe(row.title);
  });

  test("writes go to the primary and reach the replica by replication", async () => {
    const [row] = await primary.query<{ id: number; views: number }>(
      "SELECT id, views FROM newsgraph.article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1",
    );
    const [{ pos: before }] = await primary.query<{ pos: string }>("SELECT @@gtid_binlog_pos AS pos");
    for (let i = 0; i < 3; i++) {
      const data = await run<{ recordView: boolean }>("mutation V($id: ID!) { recordView(articleId: $id) }", {
        id: toGlobalId("Article", row.id),
      });
      expect(data.recordView).toBe(true);
    }
    await app.views.flush();

    const [{ pos: after }] = await primary.query<{ pos: string }>("SELECT @@gtid_binlog_pos AS pos");
    expect(after).not.toBe(before);
    const [onPrimary] = await primary.query<{ views: number }>("SELECT views FROM newsgraph.article WHERE id = ?", [row.id]);
    expect(Number(onPrimary.views)).toBe(Number(row.views) + 3);
    await caughtUp(primary, replica);
    const [onReplica] = await replica.query<{ views: number }>("SELECT views FROM newsgraph.article WHERE id = ?", [row.id]);
    expect(Number(onReplica.views)).toBe(Number(row.views) + 3);
  });
});

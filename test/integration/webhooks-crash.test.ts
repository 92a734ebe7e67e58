import { createApiKey } from "../../src/write/keys/apiKeys";
import { generateCorpus, DEMO_CORPUS } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/db";
import { type Served, serve } from "../helpers/serveProcess";
import { signatureIsValid, startReceiver, type WebhookReceiver } from "../helpers/webhookReceiver";

// The outbox is written in the change's own transaction: a gateway killed
// after the commit, before it delivered, delivers once it is back.
describe.each(databaseKinds())("a gateway killed with SIGKILL between commit and delivery, on %s", (kind) => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let key: string;
  const servers: Served[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await writeCorpus(database.db.dataSource, generateCorpus({ ...DEMO_CORPUS, articles: 10, seed: 5 }));
    key = (await createApiKey(database.db.dataSource, { name: "admin", role: "admin", rateLimit: 1000 })).key;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await receiver?.close();
    await database?.drop();
  });

  async function graphql<T>(server: Served, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data: T; errors?: unknown };
    expect(result.errors).toBeUndefined();
    return result.data;
  }

  async function start(env: Record<string, string>): Promise<Served> {
    const server = await serve(database.location, { WEBHOOK_ALLOW_PRIVATE: "true", ...env });
    servers.push(server);
    return server;
  }

  // Two gateway processes start here; on a loaded machine each takes a while to compile and boot.
  test("the delivery written before the kill is made after the restart", async () => {
    // This instance writes the outbox but does not deliver (WEBHOOK_DELIVERY=false), so the kill surely comes first.
    const first = await start({ WEBHOOK_DELIVERY: "false" });
    const { createWebhook } = await graphql<{ createWebhook: { secret: string } }>(
      first,
      `
        mutation ($url: String!) {
          createWebhook(input: { url: $url, events: [ARTICLE_PUBLISHED] }) {
            secret
          }
        }
      `,
      { url: receiver.url },
    );
    const { createArticle } = await graphql<{ createArticle: { id: string } }>(
      first,
      `
        mutation {
          createArticle(input: { title: "Новость перед сбоем" }) {
            id
          }
        }
      `,
    );
    await graphql(
      first,
      `
        mutation ($id: ID!) {
          publishArticle(id: $id) {
            id
          }
        }
      `,
      { id: createArticle.id },
    );

    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(receiver.received).toHaveLength(0);
    const rows: { status: string; attempts: unknown }[] = await database.db.dataSource.query(
      "SELECT status, attempts FROM webhook_delivery",
    );
    expect(rows.map((r) => [r.status, Number(r.attempts)])).toEqual([["PENDING", 0]]);

    const second = await start({ WEBHOOK_POLL_MS: "100" });
    const [request] = await receiver.waitFor(1, 60_000);
    expect(signatureIsValid(createWebhook.secret, request)).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({ event: "ARTICLE_PUBLISHED", article: { id: createArticle.id, status: "PUBLISHED" } });

    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    const after: { status: string; attempts: unknown }[] = await database.db.dataSource.query(
      "SELECT status, attempts FROM webhook_delivery",
    );
    expect(after.map((r) => [r.status, Number(r.attempts)])).toEqual([["DELIVERED", 1]]);
    expect(receiver.received).toHaveLength(1);
  }, 180_000);
});

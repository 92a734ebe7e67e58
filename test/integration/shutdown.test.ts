import net from "node:net";
import { openDatabase } from "../../src/db/dataSource";
import { fromGlobalId } from "../../src/graphql/globalId";
import { generateCorpus, DEMO_CORPUS } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { sseClient, subscribe, wsClient } from "../helpers/liveClients";
import { type Served, serve } from "../helpers/serveProcess";

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

describe("graceful shutdown of `newsgraph serve` on SIGTERM", () => {
  let database: TestDatabase;
  let server: Served | undefined;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    await writeCorpus(database.db.dataSource, generateCorpus({ ...DEMO_CORPUS, articles: 20, seed: 4 }));
    await database.db.dataSource.destroy();
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await database?.drop();
  });

  test("finishes the request in flight (and writes the view it counted), refuses new connections, answers /readyz 503, exits 0", async () => {
    server = await serve(database.location, { SHUTDOWN_GRACE_MS: "15000" });
    const { port } = server;
    const lookup = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ query: "{ articles(first: 1) { edges { node { id views } } } }" }),
    });
    const article = ((await lookup.json()) as { data: { articles: { edges: { node: { id: string; views: number } }[] } } }).data.articles.edges[0].node;

    // The request in flight: its body arrives in two parts, SIGTERM in between.
    const body = JSON.stringify({ query: "mutation RecordView($id: ID!) { recordView(articleId: $id) }", variables: { id: article.id } });
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString("utf8")));
    const socketClosed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 20));
    await new Promise((r) => setTimeout(r, 200));

    const signalled = Date.now();
    server.child.kill("SIGTERM");
    await server.line(/shutting down/);
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      refused = await connectionRefused(port);
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
    expect(server.child.exitCode).toBeNull();

    // Finish the request, and send one more on the same connection (a load balancer's probe).
    socket.write(body.slice(20));
    socket.write("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await socketClosed;
    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(responses[0]).toContain('{"data":{"recordView":');
    expect(responses[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(responses[1]).toContain("shutting down");

    const { code, signal } = await server.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(15000);
    expect(server.lines.find((l) => l.msg === "shut down")).toMatchObject({ clean: true });

    const db = await openDatabase({ sqlitePath: database.location });
    try {
      const [row] = await db.dataSource.query("SELECT views FROM article WHERE id = ?", [fromGlobalId(article.id).id]);
      expect(Number(row.views)).toBe(article.views + 1);
    } finally {
      await db.dataSource.destroy();
    }
  });

  test("a request still running at the end of the grace period is cut, and the exit status says so", async () => {
    server = await serve(database.location, { SHUTDOWN_GRACE_MS: "300" });
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const socketClosed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {});
    // A body that never finishes arriving.
    socket.write("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
    await new Promise((r) => setTimeout(r, 200));
    const signalled = Date.now();
    server.child.kill("SIGTERM");
    await socketClosed;
    const { code } = await server.exited;
    expect(code).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(server.lines.some((l) => /grace period/.test(String(l.msg)))).toBe(true);
  });

  test("open WebSockets are closed with 1001 and event streams ended, so that the gateway exits 0 at once", async () => {
    server = await serve(database.location, { SHUTDOWN_GRACE_MS: "15000" });
    const url = `http://127.0.0.1:${server.port}/graphql`;
    const query = "subscription { articlePublished { id } }";
    const ws = wsClient(url);
    const sse = sseClient(url);
    const overWs = subscribe(ws, { query }).received;
    const overSse = subscribe(sse, { query }).received;
    try {
      const deadline = Date.now() + 20_000;
      while (!(ws.connected() && sse.connected() > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect([ws.connected(), sse.connected()]).toEqual([true, 1]);
      const signalled = Date.now();
      server.child.kill("SIGTERM");
      await overWs.until(() => overWs.error !== undefined || overWs.completed);
      await overSse.until(() => overSse.error !== undefined || overSse.completed);
      expect(ws.closes[0]).toEqual({ code: 1001, reason: "Going away" });
      const { code } = await server.exited;
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(server.lines.find((l) => l.msg === "shut down")).toMatchObject({ clean: true });
    } finally {
      await ws.dispose();
      await sse.dispose();
    }
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { createApiKey } from "../src/write/keys/apiKeys";
import { migrate, openDatabase } from "../src/db/dataSource";
import { GATEWAY_NODE_FLAGS } from "../src/server/nodeFlags";
import { freePort, PeakRss, startServer } from "./processes";

// `npm run bench:subscribers [-- --subscribers N]`: N readers subscribe to
// news-ticker.graphql on one gateway instance (its own process, on a fresh
// SQLite file, memory bus), then one article is published. Prints the
// instance's resident memory before and with the subscribers, and how long
// the publication took to reach all of them.

const log = (line: string) => process.stdout.write(`${line}\n`);
const N = Number(/--subscribers[= ](\d+)/.exec(process.argv.slice(2).join(" "))?.[1] ?? 1000);
const QUERY = fs.readFileSync(
  [path.resolve(__dirname, "..", "schema", "operations", "news-ticker.graphql"), path.resolve(__dirname, "..", "..", "schema", "operations", "news-ticker.graphql")].find((f) =>
    fs.existsSync(f),
  ) as string,
  "utf8",
);

const rssMb = (pid: number) => Math.round(Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 102.4) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-subscribers-"));
  const file = path.join(dir, "bench.sqlite");
  const db = await openDatabase({ sqlitePath: file });
  await migrate(db);
  const { key } = await createApiKey(db.dataSource, { name: "bench", role: "editor", rateLimit: 1_000_000 });
  await db.dataSource.destroy();

  const port = await freePort();
  const gateway = await startServer(
    "gateway",
    [...GATEWAY_NODE_FLAGS, path.resolve(__dirname, "..", "src", "cli.js"), "serve"],
    { DATABASE_URL: `sqlite:${file}`, PORT: String(port), LOG_LEVEL: "warn", RATE_LIMIT: "0", CONNECTIONS_PER_ADDRESS: String(N + 100), REDIS_URL: "" },
    port,
    "/readyz",
  );
  const pid = gateway.process.pid as number;
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data: Record<string, { id: string }> };
  };
  const publish = async (title: string) => {
    const id = (await post("mutation($t: String!) { createArticle(input: { title: $t }) { id } }", { t: title })).data.createArticle.id;
    const at = Date.now();
    await post("mutation($id: ID!) { publishArticle(id: $id) { id } }", { id });
    return { id, at };
  };

  const clients: Client[] = [];
  try {
    await sleep(1000);
    const before = rssMb(pid);
    const heard: string[][] = [];
    for (let i = 0; i < N; i += 100) {
      let connected = 0;
      const batch = Array.from({ length: Math.min(100, N - i) }, () =>
        createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, on: { connected: () => void connected++ } }),
      );
      for (const client of batch) {
        const ids: string[] = [];
        heard.push(ids);
        client.subscribe<{ articlePublished: { id: string } }>({ query: QUERY }, {
          next: (r) => void (r.data && ids.push(r.data.articlePublished.id)),
          error: (e) => log(`subscriber failed: ${String(e)}`),
          complete: () => undefined,
        });
      }
      clients.push(...batch);
      while (connected < batch.length) await sleep(20);
    }
    // Every subscription is in place once each has heard an article go live.
    for (let i = 0; heard.some((h) => h.length === 0); i++) {
      if (i > 200) throw new Error(`${heard.filter((h) => h.length === 0).length} subscribers heard nothing`);
      await publish(`Проверка ${i}`);
      await sleep(500);
    }
    await sleep(2000);
    const withSubscribers = rssMb(pid);
    const peak = new PeakRss(pid);
    peak.start();
    const { id, at } = await publish("Главная новость");
    while (heard.some((h) => !h.includes(id))) await sleep(5);
    const ms = Date.now() - at;
    log(`${N} subscribers over WebSocket on one instance (memory bus, SQLite):`);
    log(`  instance RSS before subscribers: ${before} MB; with them: ${withSubscribers} MB (${Math.round(((withSubscribers - before) * 1024) / N)} KB each); peak while publishing: ${peak.stop()} MB`);
    log(`  one publication reached all ${N} in ${ms} ms (from sending publishArticle to the last subscriber's event)`);
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

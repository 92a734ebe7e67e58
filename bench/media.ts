import autocannon from "autocannon";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type LoadResult, loadResult } from "./load";
import { GATEWAY_NODE_FLAGS } from "../src/server/nodeFlags";
import { freePort, startServer } from "./processes";

// `npm run bench:media [-- --seconds S] [--articles N]`: renditions. A
// gateway on a seeded SQLite file and a local media store (both under the
// system's temporary folder) answers
//  - 32 concurrent first requests for one rendition (made once, the rest wait for it),
//  - then the same rendition, served from the store, at concurrency 1 and 32.
// Writes bench/media-results.json.

const BENCH_DIR = path.resolve(__dirname, "..", "..", "bench");
const CLI = path.resolve(__dirname, "..", "src", "cli.js");
const log = (line: string) => process.stdout.write(`${line}\n`);

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number, got "${argv[i + 1] ?? ""}".`);
  return n;
}

async function get(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ url, connections, pipelining: 1, duration: seconds, timeout: 30, sampleInt: 100 });
  return loadResult(result, connections);
}

async function renditionsMade(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^newsgraph_media_renditions_made_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = option(argv, "--seconds", 10);
  const articles = option(argv, "--articles", 1000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-bench-media-"));
  const port = await freePort();
  const env = {
    DATABASE_URL: `sqlite:${path.join(dir, "bench.sqlite")}`,
    MEDIA_DIR: path.join(dir, "media"),
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: "warn",
    RATE_LIMIT: "0",
  };
  try {
    const seeded = spawnSync(process.execPath, [CLI, "seed", "--articles", String(articles)], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (seeded.status !== 0) throw new Error(`seed failed:\n${seeded.stderr}`);
    log(seeded.stdout.trim());
    const gateway = await startServer("gateway", [...GATEWAY_NODE_FLAGS, CLI, "serve"], env, port, "/healthz");
    try {
      const base = gateway.url;
      const query = fs.readFileSync(path.resolve(__dirname, "..", "..", "schema", "operations", "article-media.graphql"), "utf8");
      const ask = async (body: unknown) =>
        (await (await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as {
          data: Record<string, any>;
        };
      const slug: string = (await ask({ query: "{ articles(first: 1) { edges { node { slug } } } }" })).data.articles.edges[0].node.slug;
      const image = (await ask({ query, variables: { slug } })).data.article.mainImage as { width: number; height: number; url: string };
      log(`ArticleMedia for ${slug}: ${image.width}×${image.height}, url(width: 1200) = ${image.url}`);

      const before = await renditionsMade(base);
      const started = Date.now();
      const first = await Promise.all(Array.from({ length: 32 }, () => fetch(base + image.url).then((r) => r.arrayBuffer().then((b) => ({ status: r.status, bytes: b.byteLength })))));
      const coldMs = Date.now() - started;
      const made = (await renditionsMade(base)) - before;
      if (first.some((r) => r.status !== 200)) throw new Error(`first requests: ${first.map((r) => r.status).join(",")}`);
      log(`32 concurrent first requests: all 200 in ${coldMs} ms, rendition made ${made} time(s), ${first[0].bytes} bytes`);

      const source = (await fetch(base + image.url)).headers.get("x-media-source");
      if (source !== "stored") throw new Error(`expected the rendition from the store, got ${source}`);
      const runs: LoadResult[] = [];
      for (const connections of [1, 32]) {
        await get(base + image.url, connections, 1); // warm-up, unmeasured
        const r = await get(base + image.url, connections, seconds);
        runs.push(r);
        log(`stored rendition c=${String(connections).padEnd(3)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} p90 ${r.p90} p99 ${r.p99} ms${r.failures ? `  ${r.failures} FAILED` : ""}`);
      }
      const out = {
        finishedAt: new Date().toISOString(),
        command: `npm run bench:media -- ${argv.join(" ")}`.trim(),
        machine: { cpus: os.availableParallelism(), node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) },
        articles,
        rendition: { url: image.url, bytes: first[0].bytes },
        firstRequests: { concurrent: 32, ms: coldMs, made },
        stored: runs,
      };
      fs.writeFileSync(path.join(BENCH_DIR, "media-results.json"), `${JSON.stringify(out, null, 2)}\n`);
      log(`Wrote bench/media-results.json`);
    } finally {
      await gateway.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});

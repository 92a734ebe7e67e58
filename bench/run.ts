import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { type CorpusSummary, dropDatabase, prepareDatabase } from "./database";
import { type LoadResult, runLoad } from "./load";
import { measured as measuredRun, startFloor, startGateway } from "./measure";
import { type BenchOperation, loadOperations } from "./operations";
import { type BenchOptions, databaseUrl, parseOptions } from "./options";
import { PeakRss, type Server } from "./processes";
import { newestProfile, profileText, type ProfileSummary, summarizeProfile } from "./profile";
import { type OperationResult, table } from "./report";
import { runScale } from "./scale";
import { checkFloorAnswers, checkStatements } from "./verify";

// `npm run bench`: issue 7's benchmark. Seeds MariaDB, starts the gateway
// and the floor as separate processes, checks that they answer alike,
// then drives every contract operation at each concurrency and writes
// bench/results.json. See BENCHMARKS.md for how to read the numbers.

const FLOOR_OPERATIONS = new Set(["ArticlePage", "FrontPage"]);
const BENCH_DIR = path.resolve(__dirname, "..", "..", "bench");
const log = (line: string) => process.stdout.write(`${line}\n`);
const measured = (server: Server, bodies: string[], connections: number, o: BenchOptions, rss?: PeakRss) => measuredRun(server, bodies, connections, o, log, rss);

async function machine(o: BenchOptions) {
  const c = await mysql.createConnection({ uri: o.mysqlUrl });
  const [[{ v }]] = (await c.query("SELECT VERSION() AS v")) as unknown as [{ v: string }[]];
  await c.end();
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    mariadb: v,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

interface CacheResult {
  operation: string;
  connections: number;
  uncached: LoadResult;
  cached: LoadResult;
  speedup: number;
}

/**
 * One request body repeated, as a CDN-less site sends its front page: the
 * uncached gateway against a second gateway with the response cache on.
 */
async function measureResponseCache(uncached: Server, operations: BenchOperation[], o: BenchOptions): Promise<CacheResult[]> {
  const cachedGateway = await startGateway("cached gateway", databaseUrl(o), { RESPONSE_CACHE: "true", BENCH_STATEMENT_HEADER: "0", ...o.gatewayEnv });
  const out: CacheResult[] = [];
  try {
    // The uncached gateway has run all along; bring the new one's JIT to the same point first.
    for (const op of operations.filter((op) => FLOOR_OPERATIONS.has(op.name))) await runLoad(cachedGateway.url, op.bodies, Math.max(...o.concurrencies), Math.max(1, o.warmup));
    for (const op of operations.filter((op) => FLOOR_OPERATIONS.has(op.name))) {
      const body = [op.bodies[0]];
      const connections = Math.max(...o.concurrencies);
      const plain = await measured(uncached, body, connections, o);
      const hit = await measured(cachedGateway, body, connections, o);
      const speedup = hit.rps / plain.rps;
      out.push({ operation: op.name, connections, uncached: plain, cached: hit, speedup });
      log(`${op.name.padEnd(12)} c=${connections} repeated: uncached ${plain.rps.toFixed(0)} req/s (p99 ${plain.p99} ms), cached ${hit.rps.toFixed(0)} req/s (p99 ${hit.p99} ms), ${speedup.toFixed(1)}x`);
    }
  } finally {
    await cachedGateway.stop();
  }
  return out;
}

function cacheTable(rows: CacheResult[]): string {
  return [
    "| repeated operation | conc. | uncached req/s | cached req/s | speedup | uncached p99 ms | cached p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.operation} | ${r.connections} | ${r.uncached.rps.toFixed(0)} | ${r.cached.rps.toFixed(0)} | ${r.speedup.toFixed(1)} | ${r.uncached.p99} | ${r.cached.p99} |`),
  ].join("\n");
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.scale) return runScale(o, log);
  const started = Date.now();
  const host = await machine(o);
  log(`newsgraph benchmark: ${host.cpus} CPUs, ${host.memoryGb} GB, Node ${host.node}, MariaDB ${host.mariadb}, load ${host.loadAverageAtStart.join(" ")}`);
  if (Object.keys(o.gatewayEnv).length) log(`Gateways run with ${Object.entries(o.gatewayEnv).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  log(`${o.reuse ? "Reusing" : "Seeding"} ${o.database} (${o.articles} articles, seed ${o.seed})`);
  const corpus: CorpusSummary = await prepareDatabase(o, log);
  log(`  ${corpus.articles} articles, ${corpus.authors} authors, ${corpus.rubrics} rubrics, ${corpus.hashtags} hashtags, ${corpus.related} related edges, ${corpus.viewDays} view days (${corpus.firstDay} to ${corpus.lastDay})${corpus.seedSeconds === null ? "" : `, seeded in ${corpus.seedSeconds.toFixed(1)} s`}`);

  const conn = await mysql.createConnection({ uri: databaseUrl(o) });
  const operations = (await loadOperations(conn, databaseUrl(o))).filter((op) => o.only.length === 0 || o.only.includes(op.name));
  await conn.end();

  const profileDir = path.join(BENCH_DIR, "profiles");
  const profileFile = path.join(profileDir, `gateway-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  if (o.profile) fs.mkdirSync(profileDir, { recursive: true });
  const gateway = await startGateway("gateway", databaseUrl(o), { ...(o.profile ? { BENCH_CPU_PROFILE: profileFile } : {}), ...o.gatewayEnv }, o.profile ? ["-r", path.resolve(__dirname, "cpuProfiler.js")] : []);
  const floor = await startFloor("gateway-sql", databaseUrl(o));
  const gatewayRss = new PeakRss(gateway.process.pid as number);
  const results: OperationResult[] = [];
  const cache: CacheResult[] = [];
  let profile: ProfileSummary | null = null;
  try {
    for (const op of operations.filter((op) => FLOOR_OPERATIONS.has(op.name))) {
      const n = await checkFloorAnswers(gateway.url, floor.url, op, 6);
      log(`${op.name}: the floor answers as the gateway does (${n} variable sets compared)`);
    }
    // The floor's operations first, then the response cache, then the rest:
    // RecordView's writes leave MariaDB busy in the background for a while.
    const withFloor = operations.filter((op) => FLOOR_OPERATIONS.has(op.name));
    const cacheAfter = withFloor[withFloor.length - 1];
    for (const op of [...withFloor, ...operations.filter((op) => !FLOOR_OPERATIONS.has(op.name))]) {
      const statements = await checkStatements(gateway.url, op, 12).catch((e: unknown) => {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\nThe gateway's last output:\n${gateway.output().slice(-3000)}`);
      });
      const runs: OperationResult["runs"] = [];
      for (const connections of o.concurrencies) {
        const floorResult = FLOOR_OPERATIONS.has(op.name) ? await measured(floor, op.bodies, connections, o) : null;
        const g = await measured(gateway, op.bodies, connections, o, gatewayRss);
        const ratio = floorResult ? g.rps / floorResult.rps : null;
        runs.push({ connections, gateway: g, floor: floorResult, ratioToFloor: ratio });
        log(
          `${op.name.padEnd(12)} c=${String(connections).padEnd(3)} ${g.rps.toFixed(0).padStart(6)} req/s  p50 ${g.p50} p90 ${g.p90} p99 ${g.p99} ms  ` +
            `${statements.counts.join("/")} statements  RSS ${g.peakRssMb} MB${floorResult ? `  floor ${floorResult.rps.toFixed(0)} req/s, ratio ${(ratio as number).toFixed(2)}` : ""}` +
            `${g.failures ? `  ${g.failures} FAILED` : ""}`,
        );
      }
      results.push({ operation: op.name, statements, runs });
      if (op === cacheAfter) cache.push(...(await measureResponseCache(gateway, operations, o)));
    }
  } finally {
    const lifetimeRss = gateway.process.exitCode === null ? gatewayRss.lifetime() : null;
    if (o.profile && gateway.process.exitCode === null) {
      gateway.process.kill("SIGUSR2");
      for (let i = 0; i < 100 && !fs.existsSync(profileFile); i++) await new Promise((r) => setTimeout(r, 100));
      // The file appears before it is fully written; wait until its size holds still.
      for (let last = -1, i = 0; i < 50 && fs.existsSync(profileFile) && fs.statSync(profileFile).size !== last; i++) {
        last = fs.statSync(profileFile).size;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await Promise.all([gateway.stop(), floor.stop()]);
    if (o.profile) {
      const file = newestProfile(profileDir);
      if (file) profile = summarizeProfile(file);
    }
    if (!o.keep) await dropDatabase(o);
    const out = {
      finishedAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
      machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      corpus,
      options: { duration: o.duration, warmup: o.warmup, concurrencies: o.concurrencies, gatewayEnv: o.gatewayEnv },
      gatewayLifetimePeakRssMb: lifetimeRss,
      results,
      responseCache: cache,
      profile,
    };
    fs.writeFileSync(path.join(BENCH_DIR, "results.json"), `${JSON.stringify(out, null, 2)}\n`);
    log("");
    log(table(results));
    if (cache.length) log(`\n${cacheTable(cache)}`);
    log("");
    log(`Gateway peak RSS over the whole run: ${lifetimeRss ?? "?"} MB. Load average at the end: ${out.machine.loadAverageAtEnd.join(" ")}. Took ${out.seconds} s.`);
    if (profile) log(`\n${profileText(profile)}`);
    log(`Wrote ${path.relative(process.cwd(), path.join(BENCH_DIR, "results.json"))}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});

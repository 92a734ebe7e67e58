import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { type CorpusSummary, dropDatabase, prepareDatabase } from "./database";
import { type ImportMeasurement, measureImportAsCommand } from "./import";
import type { LoadResult } from "./load";
import { measured, medianBy, startFloor, startGateway } from "./measure";
import { loadOperations } from "./operations";
import { type BenchOptions, databaseUrl } from "./options";
import { PeakRss } from "./processes";
import { statementsCell } from "./report";
import { checkFloorAnswers, checkStatements, type StatementCheck } from "./verify";

// `npm run bench -- --scale` (issue 11): the same contract read operations
// on a small and a large corpus of the same generator and proportions, so
// that what a request costs can be compared across archive sizes. Each
// corpus gets its own database (newsgraph_scale_10k, newsgraph_scale_1m),
// all are seeded first and then measured side by side (measureCorpora), and
// they are dropped at the end unless --keep. The article page and
// the front page are also measured against both floors (bench/floor.ts,
// bench/handFloor.ts), in alternating rounds (FLOOR_ROUNDS). Generated
// pages are imported first, to measure import speed. Results go to the console and bench/results-scale.json.

const FLOOR_OPERATIONS = new Set(["ArticlePage", "FrontPage"]);

/**
 * The gateway and the two floors are measured in turn, this many rounds,
 * and each reports its median round (by requests/s). On a shared machine
 * the load changes from one minute to the next; alternating short rounds
 * puts each server through the same moments, which one run after another
 * does not.
 */
const FLOOR_ROUNDS = 3;

const BENCH_DIR = path.resolve(__dirname, "..", "..", "bench");

type Run = LoadResult & { peakRssMb: number };

interface OperationRuns {
  operation: string;
  statements: StatementCheck;
  runs: { connections: number; gateway: Run; overheadFloor: Run | null; handFloor: Run | null }[];
}

interface CorpusResult {
  articles: number;
  database: string;
  corpus: CorpusSummary;
  operations: OperationRuns[];
  /** The hand-written floor's answers that differed from the gateway's (none in a fair run). */
  handFloorDifferences: string[];
  gatewayLifetimePeakRssMb: number | null;
}

/** newsgraph_scale_10k, newsgraph_scale_1m, ... */
export function scaleDatabase(articles: number, prefix = "newsgraph_scale_"): string {
  const label = articles % 1_000_000 === 0 ? `${articles / 1_000_000}m` : articles % 1000 === 0 ? `${articles / 1000}k` : String(articles);
  return `${prefix}${label}`;
}

/** One corpus's servers and operations, measured beside the other corpora's. */
interface Subject {
  o: BenchOptions;
  operations: Awaited<ReturnType<typeof loadOperations>>;
  gateway: Awaited<ReturnType<typeof startGateway>>;
  overheadFloor: Awaited<ReturnType<typeof startFloor>>;
  handFloor: Awaited<ReturnType<typeof startFloor>>;
  rss: PeakRss;
  results: OperationRuns[];
  differences: string[];
}

async function startSubject(o: BenchOptions, log: (line: string) => void): Promise<Subject> {
  const conn = await mysql.createConnection({ uri: databaseUrl(o) });
  const operations = (await loadOperations(conn, databaseUrl(o))).filter((op) => !op.writes && (o.only.length === 0 || o.only.includes(op.name)));
  await conn.end();
  const gateway = await startGateway("gateway", databaseUrl(o), o.gatewayEnv);
  const overheadFloor = await startFloor("gateway-sql", databaseUrl(o));
  const handFloor = await startFloor("hand-written", databaseUrl(o));
  const subject: Subject = { o, operations, gateway, overheadFloor, handFloor, rss: new PeakRss(gateway.process.pid as number), results: [], differences: [] };
  for (const op of operations.filter((x) => FLOOR_OPERATIONS.has(x.name))) {
    await checkFloorAnswers(gateway.url, overheadFloor.url, op, 6);
    try {
      await checkFloorAnswers(gateway.url, handFloor.url, op, 12);
    } catch (e) {
      subject.differences.push(e instanceof Error ? e.message : String(e));
      log(`  ${o.database}: the hand-written floor's ${op.name} differs from the gateway's: ${subject.differences[subject.differences.length - 1].slice(0, 400)}`);
    }
  }
  return subject;
}

/**
 * Every corpus measured side by side: for each operation and concurrency,
 * each corpus's gateway (and for the floor operations its two floors) in
 * turn, in the same rounds, so that the ratio of a large corpus to a small
 * one compares moments a few seconds apart, not the two ends of a run
 * (this machine's speed drifts by more than the ratio's margin within half
 * an hour).
 */
async function measureCorpora(subjects: Subject[], log: (line: string) => void): Promise<void> {
  for (const name of subjects[0].operations.map((op) => op.name)) {
    // Each corpus with its own variables for this operation; an operation some corpus lacks is left out.
    const pairs = subjects.flatMap((sub) => {
      const op = sub.operations.find((x) => x.name === name);
      return op ? [{ sub, op }] : [];
    });
    if (pairs.length < subjects.length) continue;
    const statements = await Promise.all(pairs.map(({ sub, op }) => checkStatements(sub.gateway.url, op, 12)));
    const runs: OperationRuns["runs"][] = subjects.map(() => []);
    for (const connections of subjects[0].o.concurrencies) {
      const withFloors = FLOOR_OPERATIONS.has(name);
      const rounds: { g: Run; of: Run | null; hf: Run | null }[][] = subjects.map(() => []);
      for (let round = 0; round < (withFloors ? FLOOR_ROUNDS : 1); round++) {
        for (const [i, { sub, op }] of pairs.entries()) {
          const { bodies } = op;
          const g = await measured(sub.gateway, bodies, connections, sub.o, log, sub.rss);
          const of = withFloors ? await measured(sub.overheadFloor, bodies, connections, sub.o, log) : null;
          const hf = withFloors ? await measured(sub.handFloor, bodies, connections, sub.o, log) : null;
          rounds[i].push({ g, of, hf });
          if (withFloors) log(`    ${sub.o.database} round ${round + 1}: gateway ${g.rps.toFixed(0)}, GraphQL-overhead floor ${of?.rps.toFixed(0)}, hand-written floor ${hf?.rps.toFixed(0)} req/s`);
        }
      }
      for (const [i, sub] of subjects.entries()) {
        const g = { ...medianBy(rounds[i].map((r) => r.g), (r) => r.rps), peakRssMb: Math.max(...rounds[i].map((r) => r.g.peakRssMb)) };
        const of = withFloors ? medianBy(rounds[i].map((r) => r.of as Run), (r) => r.rps) : null;
        const hf = withFloors ? medianBy(rounds[i].map((r) => r.hf as Run), (r) => r.rps) : null;
        runs[i].push({ connections, gateway: g, overheadFloor: of, handFloor: hf });
        log(
          `  ${sub.o.database} ${name.padEnd(12)} c=${String(connections).padEnd(3)} ${g.rps.toFixed(0).padStart(6)} req/s  p50 ${g.p50} p99 ${g.p99} ms  ${statements[i].counts.join("/")} statements  RSS ${g.peakRssMb} MB` +
            `${of && hf ? `  floors: GraphQL overhead ${of.rps.toFixed(0)}, hand-written ${hf.rps.toFixed(0)} req/s` : ""}${g.failures ? `  ${g.failures} FAILED` : ""}`,
        );
      }
    }
    for (const [i, sub] of subjects.entries()) sub.results.push({ operation: name, statements: statements[i], runs: runs[i] });
  }
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);
const failed = (r: LoadResult) => (r.failures ? ` (${r.failures} failed)` : "");

/** The scale table: each operation and concurrency on the smallest and the largest corpus, and their ratio. */
export function scaleTable(small: CorpusResult, large: CorpusResult): string {
  const s = (n: number) => scaleDatabase(n).replace("newsgraph_scale_", "");
  const [a, b] = [s(small.articles), s(large.articles)];
  const lines = [
    `| operation | conc. | ${a} req/s | ${b} req/s | ${b} ÷ ${a} | ${a} p50 / p99 ms | ${b} p50 / p99 ms | SQL statements per request (${a}; ${b}) | ${b} peak RSS MB |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
  ];
  for (const big of large.operations) {
    const little = small.operations.find((x) => x.operation === big.operation);
    for (const run of big.runs) {
      const r0 = little?.runs.find((x) => x.connections === run.connections)?.gateway;
      const r1 = run.gateway;
      lines.push(
        `| ${big.operation} | ${run.connections} | ${r0 ? `${fixed(r0.rps)}${failed(r0)}` : "–"} | ${fixed(r1.rps)}${failed(r1)} | ${r0 ? fixed(r1.rps / r0.rps, 2) : "–"} | ` +
          `${r0 ? `${r0.p50} / ${r0.p99}` : "–"} | ${r1.p50} / ${r1.p99} | ${little ? statementsCell(little.statements) : "–"}; ${statementsCell(big.statements)} | ${fixed(r1.peakRssMb, 1)} |`,
      );
    }
  }
  return lines.join("\n");
}

/** A run with one corpus size: its figures alone, without a ratio. */
export function corpusTable(c: CorpusResult): string {
  const label = scaleDatabase(c.articles).replace("newsgraph_scale_", "");
  const lines = [
    `| operation | conc. | ${label} req/s | ${label} p50 / p99 ms | SQL statements per request | peak RSS MB |`,
    "| --- | ---: | ---: | ---: | --- | ---: |",
  ];
  for (const op of c.operations) {
    for (const run of op.runs) {
      const g = run.gateway;
      lines.push(`| ${op.operation} | ${run.connections} | ${fixed(g.rps)}${failed(g)} | ${g.p50} / ${g.p99} | ${statementsCell(op.statements)} | ${fixed(g.peakRssMb, 1)} |`);
    }
  }
  return lines.join("\n");
}

/** The article page and the front page against both floors, per corpus. */
export function floorTable(corpora: CorpusResult[]): string {
  const lines = [
    "| operation | conc. | corpus | gateway req/s | GraphQL-overhead floor req/s | gateway ÷ that floor | hand-written floor req/s | gateway ÷ hand-written floor | hand-written floor p50 / p99 ms |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const c of corpora) {
    for (const op of c.operations) {
      for (const run of op.runs) {
        if (!run.overheadFloor || !run.handFloor) continue;
        const g = run.gateway;
        lines.push(
          `| ${op.operation} | ${run.connections} | ${c.articles} | ${fixed(g.rps)}${failed(g)} | ${fixed(run.overheadFloor.rps)}${failed(run.overheadFloor)} | ${fixed(g.rps / run.overheadFloor.rps, 2)} | ` +
            `${fixed(run.handFloor.rps)}${failed(run.handFloor)} | ${fixed(g.rps / run.handFloor.rps, 2)} | ${run.handFloor.p50} / ${run.handFloor.p99} |`,
        );
      }
    }
  }
  return lines.join("\n");
}

export async function runScale(o: BenchOptions, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const sizes = [...o.scaleArticles].sort((x, y) => x - y);
  const corpora: CorpusResult[] = [];
  let imported: ImportMeasurement | null = null;
  const loadAtStart = os.loadavg();
  // The import first, on a server doing nothing else: measured after the corpora, it ran while
  // MariaDB was still dropping the million-article database (several gigabytes) and was slower for it.
  if (o.importPages > 0) {
    log(`Importing ${o.importPages} generated pages`);
    imported = await measureImportAsCommand(o.mysqlUrl, o.importPages, o.seed, log);
  }
  // Every corpus is seeded first, then all are measured side by side (measureCorpora).
  const prepared: { articles: number; so: BenchOptions; corpus: CorpusSummary }[] = [];
  const subjects: Subject[] = [];
  try {
    for (const articles of sizes) {
      const so: BenchOptions = { ...o, articles, database: scaleDatabase(articles, o.scaleDbPrefix) };
      log(`${o.reuse ? "Reusing" : "Seeding"} ${so.database} (${articles} articles, seed ${o.seed})`);
      const corpus = await prepareDatabase(so, log);
      log(
        `  ${corpus.articles} articles, ${corpus.authors} authors, ${corpus.rubrics} rubrics, ${corpus.hashtags} hashtags, ${corpus.related} related edges, ${corpus.viewDays} view days` +
          `${corpus.seedSeconds === null ? "" : `, seeded in ${corpus.seedSeconds.toFixed(1)} s`}`,
      );
      prepared.push({ articles, so, corpus });
    }
    for (const p of prepared) subjects.push(await startSubject(p.so, log));
    await measureCorpora(subjects, log);
    for (const [i, p] of prepared.entries()) {
      const sub = subjects[i];
      corpora.push({
        articles: p.articles,
        database: p.so.database,
        corpus: p.corpus,
        operations: sub.results,
        handFloorDifferences: sub.differences,
        gatewayLifetimePeakRssMb: sub.gateway.process.exitCode === null ? sub.rss.lifetime() : null,
      });
    }
  } finally {
    await Promise.all(subjects.flatMap((sub) => [sub.gateway.stop(), sub.overheadFloor.stop(), sub.handFloor.stop()]));
    // A million articles take several gigabytes: the corpora go once measured.
    if (!o.keep) for (const p of prepared) await dropDatabase(p.so);
  }
  const out = {
    finishedAt: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    machine: { cpus: os.availableParallelism(), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg() },
    options: { duration: o.duration, warmup: o.warmup, concurrencies: o.concurrencies, gatewayEnv: o.gatewayEnv },
    corpora,
    import: imported,
  };
  fs.writeFileSync(path.join(BENCH_DIR, "results-scale.json"), `${JSON.stringify(out, null, 2)}\n`);
  log("");
  if (corpora.length >= 2) log(scaleTable(corpora[0], corpora[corpora.length - 1]));
  else if (corpora.length === 1) log(corpusTable(corpora[0]));
  log("");
  log(floorTable(corpora));
  log("");
  for (const c of corpora) {
    log(
      `${c.database}: ${c.corpus.seedSeconds === null ? "reused" : `seeded in ${c.corpus.seedSeconds.toFixed(1)} s`}; gateway peak RSS ${c.gatewayLifetimePeakRssMb ?? "?"} MB; ` +
        `hand-written floor answers ${c.handFloorDifferences.length === 0 ? "equal to the gateway's" : `differ (${c.handFloorDifferences.length})`}`,
    );
  }
  if (imported) log(`import: ${imported.summary}; ${imported.statementsPerPage.toFixed(1)} statements per page; ${Math.round(imported.pagesPerSecond)} pages/s`);
  log(`Load average ${out.machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(" ")} at the start, ${out.machine.loadAverageAtEnd.map((l) => l.toFixed(1)).join(" ")} at the end. Took ${out.seconds} s.`);
}

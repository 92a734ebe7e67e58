import "reflect-metadata";
import { spawn } from "node:child_process";
import readline from "node:readline";
import mysql from "mysql2/promise";
import { migrate, openDatabase } from "../src/db/dataSource";
import { generatePages } from "../src/write/ingest/generatePages";
import { summaryLine } from "../src/write/ingest/importCommand";
import { importPageTexts } from "../src/write/ingest/importPages";
import { IMPORT_NODE_FLAGS, nodeOptions, relaunchWith } from "../src/server/nodeFlags";

// Import speed: generated pages into a fresh MariaDB database, written
// as `newsgraph import` writes them (several pages per transaction, a
// savepoint per page). Not a test: it
// prints pages per second and statements per page for BENCHMARKS.md.
//
// It runs under the node flags `newsgraph import` runs with (IMPORT_NODE_FLAGS):
// started without them, it starts itself again with them.
//
// Usage: node -r @swc-node/register bench/import.ts [--pages 10000] [--seed 1] [--mysql mysql://root@127.0.0.1:3306] [--database NAME] [--keep] [--json]

interface Options {
  pages: number;
  seed: number;
  mysqlUrl: string;
  /** The database made (and dropped) for the run; default ng_bench_import_<pid>. */
  database: string | null;
  keep: boolean;
  /** Print the measurement as a JSON line (what measureImportAsCommand reads). */
  json: boolean;
}

function options(argv: string[]): Options {
  const o: Options = { pages: 10_000, seed: 1, mysqlUrl: "mysql://root@127.0.0.1:3306", database: null, keep: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--pages") o.pages = Number(argv[++i]);
    else if (arg === "--seed") o.seed = Number(argv[++i]);
    else if (arg === "--mysql") o.mysqlUrl = argv[++i] ?? "";
    else if (arg === "--database") o.database = argv[++i] ?? "";
    else if (arg === "--keep") o.keep = true;
    else if (arg === "--json") o.json = true;
    else throw new Error(`Unknown argument "${arg}". Usage: bench/import.ts [--pages N] [--seed S] [--mysql URL] [--database NAME] [--keep] [--json]`);
  }
  if (!Number.isInteger(o.pages) || o.pages < 1) throw new Error("--pages must be a whole number, at least 1.");
  if (o.database !== null && !/^[A-Za-z0-9_]{1,64}$/.test(o.database)) throw new Error(`--database must be a plain name (letters, digits, _), got "${o.database}".`);
  if (!/^(mysql|mariadb):\/\//.test(o.mysqlUrl)) throw new Error(`--mysql must be a mysql:// URL, got "${o.mysqlUrl}".`);
  return o;
}

export interface ImportMeasurement {
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  statementsPerPage: number;
  summary: string;
}

/** Generates `pages` pages and imports them into a fresh database of their own (dropped afterwards unless `keep`). */
export async function measureImport(mysqlUrl: string, pages: number, seed: number, log: (line: string) => void, keep = false, database: string | null = null): Promise<ImportMeasurement> {
  const name = database ?? `ng_bench_import_${process.pid}`;
  const admin = await mysql.createConnection({ uri: mysqlUrl });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(mysqlUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  try {
    await migrate(db);
    let t = Date.now();
    const texts = generatePages({ pages, seed }).map((p) => ({ name: p.name, text: p.text }));
    const bytes = texts.reduce((n, p) => n + Buffer.byteLength(p.text), 0);
    log(`generated ${texts.length} pages (${(bytes / 1e6).toFixed(1)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const before = db.statements.total;
    t = Date.now();
    let last = t;
    const report = await importPageTexts(db.dataSource, texts, (done, total) => {
      if (Date.now() - last > 5000) {
        last = Date.now();
        log(`  ${done}/${total} pages, ${Math.round((done * 1000) / (last - t))} pages/s so far`);
      }
    });
    const statements = db.statements.total - before;
    for (const r of report.results.filter((x) => x.status === "failed").slice(0, 5)) log(`  failed: ${r.error?.message}`);
    return {
      pages: texts.length,
      seconds: report.ms / 1000,
      pagesPerSecond: (texts.length * 1000) / report.ms,
      statementsPerPage: statements / texts.length,
      summary: summaryLine(report.summary, report.ms),
    };
  } finally {
    await db.dataSource.destroy();
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

const JSON_LINE = "measurement ";

/** measureImport in a node of its own, started with the import's node flags as `newsgraph import` is. */
export async function measureImportAsCommand(mysqlUrl: string, pages: number, seed: number, log: (line: string) => void): Promise<ImportMeasurement> {
  const child = spawn(process.execPath, [...nodeOptions(), ...IMPORT_NODE_FLAGS, __filename, "--pages", String(pages), "--seed", String(seed), "--mysql", mysqlUrl, "--json"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let measurement: ImportMeasurement | null = null;
  for await (const line of readline.createInterface({ input: child.stdout })) {
    if (line.startsWith(JSON_LINE)) measurement = JSON.parse(line.slice(JSON_LINE.length)) as ImportMeasurement;
    else log(line);
  }
  const code: number | null = child.exitCode ?? (await new Promise((resolve) => child.once("exit", resolve)));
  if (code !== 0 || !measurement) throw new Error(`the import benchmark exited with ${code} and ${measurement ? "a" : "no"} measurement`);
  return measurement;
}

async function main(): Promise<void> {
  const relaunched = await relaunchWith(IMPORT_NODE_FLAGS);
  if (relaunched !== null) process.exit(relaunched);
  const o = options(process.argv.slice(2));
  const m = await measureImport(o.mysqlUrl, o.pages, o.seed, (line) => console.log(line), o.keep, o.database);
  if (o.json) console.log(`${JSON_LINE}${JSON.stringify(m)}`);
  console.log(m.summary);
  console.log(`${m.statementsPerPage.toFixed(1)} SQL statements per page (BEGIN and COMMIT included)`);
  console.log(`import: ${Math.round(m.pagesPerSecond)} pages/s`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  });
}

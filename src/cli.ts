#!/usr/bin/env -S node --max-semi-space-size=16
import "reflect-metadata";
import v8 from "node:v8";
import { Command, InvalidArgumentError } from "commander";
import { createApp } from "./server/app";
import { registerKeysCommand } from "./write/keys/keysCommand";
import { config } from "./config";
import { registerImportCommand } from "./write/ingest/importCommand";
import { IMPORT_NODE_FLAGS, relaunchWith } from "./server/nodeFlags";
import { watchCommits } from "./db/commits";
import { createCacheStore } from "./cache/store";
import { migrate, openDatabase } from "./db/dataSource";
import { logger } from "./logger";
import { createMedia } from "./media/media";
import { printSdl } from "./graphql/schema";
import { corpusOptions } from "./write/seed/corpus";
import { createGateway } from "./server/gateway";
import { shutdown } from "./server/shutdown";

function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return Number(value);
  };
}

async function openMigrated() {
  const db = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrate(db);
  return db;
}

/**
 * Under load V8 lets the old generation grow to several times the live
 * data before it collects it: the gateway keeps about 55 MB live, yet its
 * RSS reached 330 MB at 32 concurrent front pages, all of it garbage
 * waiting for a full collection. Letting it grow by 100% keeps the peak
 * near 210 MB for about 1% more time in full collections (50%: 180 MB for
 * 3%; measured in BENCHMARKS.md). V8 reads this flag each time it sets the
 * next limit, so it takes effect when set at start-up.
 */
function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

const program = new Command();
program.name("newsgraph").description("GraphQL content gateway for news publishers.");

program
  .command("serve")
  .description("Start the gateway (migrates the database first; an empty default SQLite file gets demo content).")
  .action(async () => {
    limitHeapGrowth(config.heapGrowthPercent);
    const app = await createApp(config, logger);
    const gateway = await createGateway(app, config, logger);
    const { url } = await gateway.listen();
    logger.info({ url }, `newsgraph listening on ${url}`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, graceMs: config.shutdownGraceMs }, "shutting down");
      process.exit(await shutdown(gateway, app, logger, config.shutdownGraceMs));
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
  });

program
  .command("migrate")
  .description("Apply pending database migrations.")
  .action(async () => {
    const db = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
    const ran = await migrate(db);
    console.log(ran.length ? `Applied: ${ran.join(", ")}` : "The database is up to date.");
    await db.dataSource.destroy();
  });

program
  .command("seed")
  .description("Fill an empty database with a deterministic synthetic corpus.")
  .option("--articles <n>", "number of articles", wholeNumber("--articles", 1, 10_000_000), 240)
  .option("--seed <s>", "random seed", wholeNumber("--seed", 0, 2 ** 31), 1)
  .option("--authors <n>", "number of authors", wholeNumber("--authors", 1, 100_000))
  .option("--rubrics <n>", "number of rubrics (at most 50)", wholeNumber("--rubrics", 1, 50))
  .option("--hashtags <n>", "number of hashtags", wholeNumber("--hashtags", 0, 1_000_000))
  .action(async (opts: { articles: number; seed: number; authors?: number; rubrics?: number; hashtags?: number }) => {
    const db = await openMigrated();
    const options = corpusOptions({
      articles: opts.articles,
      seed: opts.seed,
      ...(opts.authors ? { authors: opts.authors } : {}),
      ...(opts.rubrics ? { rubrics: opts.rubrics } : {}),
      ...(opts.hashtags !== undefined ? { hashtags: opts.hashtags } : {}),
    });
    const tty = process.stderr.isTTY;
    let lastLine = 0;
    const media = createMedia(config.media);
    // Loaded for this command only: it draws the pictures with sharp, which the gateway itself loads only when it renders one.
    const { describeSeed, seedDatabase } = require("./write/seed/seedDatabase") as typeof import("./write/seed/seedDatabase");
    const report = await seedDatabase(db.dataSource, options, media, (done, total) => {
      if (tty) process.stderr.write(`\rseeding ${done}/${total}`);
      else if (Date.now() - lastLine > 2000 || done === total) {
        lastLine = Date.now();
        process.stderr.write(`seeding ${done}/${total}\n`);
      }
    }).finally(() => media.close());
    if (tty) process.stderr.write("\n");
    console.log(describeSeed(report));
    await db.dataSource.destroy();
  });

program
  .command("schema")
  .description("Print the GraphQL schema (SDL).")
  .action(() => {
    process.stdout.write(printSdl());
  });

registerKeysCommand(program, {
  async withDatabase(fn) {
    const db = await openMigrated();
    try {
      return await fn(db.dataSource);
    } finally {
      await db.dataSource.destroy();
    }
  },
  defaultRate: config.security.defaultKeyRate,
  print: (line) => console.log(line),
});

registerImportCommand(program, {
  relaunch: () => relaunchWith(IMPORT_NODE_FLAGS),
  async withDatabase(fn) {
    const db = await openMigrated();
    // Gateways sharing Redis serve cached responses under a content version;
    // this process's imports must retire them as a gateway's own writes do.
    // (Without Redis a gateway's cache lives in its memory: its entries
    // expire with their max-age.)
    const store = config.redisUrl ? createCacheStore(config, logger) : null;
    const unwatch = store
      ? watchCommits(db.dataSource, "retire", () => store.version.bump().catch((err: unknown) => logger.warn({ err }, "could not retire cached responses")))
      : null;
    try {
      return await fn(db.dataSource);
    } finally {
      unwatch?.();
      await store?.close();
      await db.dataSource.destroy();
    }
  },
  progress: process.stderr,
  print: (line) => console.log(line),
});

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

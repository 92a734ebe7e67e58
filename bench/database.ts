import mysql from "mysql2/promise";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config";
import { migrate, openDatabase } from "../src/db/dataSource";
import { createMedia } from "../src/media/media";
import { corpusOptions } from "../src/write/seed/corpus";
import { describeSeed, seedDatabase } from "../src/write/seed/seedDatabase";
import { type BenchOptions, databaseUrl } from "./options";

export interface CorpusSummary {
  articles: number;
  authors: number;
  rubrics: number;
  hashtags: number;
  related: number;
  viewDays: number;
  firstDay: string;
  lastDay: string;
  seedSeconds: number | null;
}

async function admin<T>(o: BenchOptions, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ uri: o.mysqlUrl });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database with the deterministic corpus, written the way
 * `newsgraph seed` writes it; with --reuse, the one a --keep run left.
 */
export async function prepareDatabase(o: BenchOptions, log: (line: string) => void): Promise<CorpusSummary> {
  let seedSeconds: number | null = null;
  if (!o.reuse) {
    await admin(o, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS \`${o.database}\``);
      await c.query(`CREATE DATABASE \`${o.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    });
    const db = await openDatabase({ url: databaseUrl(o) });
    try {
      await migrate(db);
      // Main images for ArticleMedia; the operation reads only their rows, so their bytes go to a scratch folder.
      const media = createMedia(loadConfig({ MEDIA_DIR: path.join(os.tmpdir(), `newsgraph-${o.database}-media`) }).media);
      let last = 0;
      const report = await seedDatabase(db.dataSource, corpusOptions({ articles: o.articles, seed: o.seed }), media, (done, total) => {
        if (Date.now() - last > 5000 || done === total) {
          last = Date.now();
          log(`  seeding ${done}/${total}`);
        }
      }).finally(() => media.close());
      log(`  ${describeSeed(report)}`);
      seedSeconds = report.ms / 1000;
    } finally {
      await db.dataSource.destroy();
    }
  }
  return admin(o, async (c) => {
    await c.query(`USE \`${o.database}\``);
    const one = async (sql: string) => Object.values(((await c.query(sql))[0] as Record<string, unknown>[])[0])[0];
    return {
      articles: Number(await one("SELECT COUNT(*) FROM article")),
      authors: Number(await one("SELECT COUNT(*) FROM author")),
      rubrics: Number(await one("SELECT COUNT(*) FROM tag WHERE kind = 'RUBRIC'")),
      hashtags: Number(await one("SELECT COUNT(*) FROM tag WHERE kind = 'HASHTAG'")),
      related: Number(await one("SELECT COUNT(*) FROM article_related")),
      viewDays: Number(await one("SELECT COUNT(*) FROM article_view_day")),
      firstDay: String(await one("SELECT MIN(day) FROM article_view_day")),
      lastDay: String(await one("SELECT MAX(day) FROM article_view_day")),
      seedSeconds,
    };
  });
}

export async function dropDatabase(o: BenchOptions): Promise<void> {
  await admin(o, (c) => c.query(`DROP DATABASE IF EXISTS \`${o.database}\``));
}

import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { PARAGRAPH_SEPARATOR } from "../../../entities";
import { dialectOf, placeholders } from "../../db/dialect";
import { toDbTime, utcDay } from "../../db/time";
import { rebuildArchive } from "../derived/archiveDays";
import { rebuildArticleCounts } from "../derived/articleCounts";
import { rebuildPopularRanking } from "../derived/popularRanking";
import { foldTitle } from "../../text/fold";
import { rebuildNeighbours } from "../derived/keptNeighbours";
import type { ArticleRecord, Corpus } from "./corpus";
import { addIndexes, dropIndexes, type IndexDefinition, secondaryIndexes } from "./bulkIndexes";
import { IndexText } from "./indexText";

/** The tables a seed fills row by row; on MariaDB their secondary indexes are built after the load. */
const BULK_TABLES = ["article", "article_tag", "article_related", "article_view_day", "article_search"];

/** Articles per transaction: a few megabytes of text per statement, well under MariaDB's default max_allowed_packet (16 MB). */
const BATCH = 500;
/** Rows per INSERT for the narrow tables (SQLite allows 32,766 parameters per statement). */
const ROWS_PER_INSERT = 2000;

async function insertRows(q: QueryRunner, table: string, columns: string[], rows: unknown[][], perStatement = ROWS_PER_INSERT): Promise<void> {
  const tuple = `(${placeholders(columns.length)})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await q.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`, chunk.flat());
  }
}

export interface SeedReport {
  articles: number;
  authors: number;
  tags: number;
  ms: number;
  /** Milliseconds spent writing rows, building the indexes afterwards (MariaDB), rebuilding derived tables and analysing. */
  phases: { rows: number; indexes: number; derived: number; analyze: number };
}

const ARTICLE_COLUMNS = ["id", "slug", "path", "title", "title_key", "lead", "body", "published_at", "status", "views", "photo_credit", "language", "author_id", "created_at", "updated_at"];

/**
 * Tables derived from the base rows (articles, their tags, edges and view
 * days), rebuilt set-wise once after a bulk load instead of row by row as
 * articlesChanged keeps them on every other write. A table kept for reads
 * that bulk loads bypass gets its rebuild call here.
 */
export async function rebuildDerivedTables(m: EntityManager): Promise<void> {
  await rebuildArchive(m);
  await rebuildNeighbours(m);
  await rebuildArticleCounts(m);
  await rebuildPopularRanking(m, utcDay(new Date()));
}

/** ANALYZE TABLE for every table of the database (InnoDB samples a few pages of each: quick at any size). */
async function analyzeAll(q: QueryRunner): Promise<void> {
  const tables: { name: string }[] = await q.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'");
  await q.query(`ANALYZE TABLE ${tables.map((t) => `\`${t.name}\``).join(", ")}`);
}

async function inTransaction(q: QueryRunner, fn: () => Promise<void>): Promise<void> {
  await q.startTransaction();
  try {
    await fn();
    await q.commitTransaction();
  } catch (e) {
    await q.rollbackTransaction();
    throw e;
  }
}

/**
 * Writes a generated corpus into an empty database, set-wise: one
 * transaction per few hundred articles with multi-row INSERTs for each
 * table, the search index rows written with their articles (their text is
 * at hand, so the index is not read back and normalised again), then the
 * derived tables rebuilt once (rebuildDerivedTables) and, on MariaDB, the
 * statistics refreshed. A million articles load in minutes (BENCHMARKS.md).
 */
export async function writeCorpus(ds: DataSource, corpus: Corpus, onProgress?: (done: number, total: number) => void): Promise<SeedReport> {
  const started = Date.now();
  const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article");
  if (Number(n) > 0) throw new Error(`The database already has ${n} articles; seed fills an empty database.`);
  const mysql = dialectOf(ds) === "mysql";
  const now = toDbTime(new Date());
  const indexText = new IndexText();
  const q = ds.createQueryRunner("master");
  await q.connect();
  let dropped: IndexDefinition[] = [];
  const phases: SeedReport["phases"] = { rows: 0, indexes: 0, derived: 0, analyze: 0 };
  let phaseStart = Date.now();
  const phaseEnd = (name: keyof SeedReport["phases"]) => {
    phases[name] = Date.now() - phaseStart;
    phaseStart = Date.now();
  };
  try {
    // The rows are consistent by construction (ids given, edges to earlier
    // articles, every slug and path unique): MariaDB need not check each one.
    if (mysql) {
      await q.query("SET SESSION foreign_key_checks = 0, unique_checks = 0");
      dropped = await secondaryIndexes(q, BULK_TABLES);
      await dropIndexes(q, dropped);
    }
    await inTransaction(q, async () => {
      await insertRows(q, "author", ["id", "name", "slug", "email"], corpus.authors.map((a) => [a.id, a.name, a.slug, a.email]));
      await insertRows(q, "tag", ["id", "kind", "name", "slug"], corpus.tags.map((t) => [t.id, t.kind, t.name, t.slug]));
    });
    const total = corpus.options.articles;
    const top: { id: number; views: number }[] = [];
    let batch: ArticleRecord[] = [];
    let done = 0;
    const flush = () =>
      inTransaction(q, async () => {
        const rows = batch.map((a) => {
          const body = a.paragraphs.join(PARAGRAPH_SEPARATOR);
          return { a, body, search: indexText.row({ title: a.title, lead: a.lead, body }) };
        });
        // Wide rows: fewer per statement.
        await insertRows(
          q,
          "article",
          ARTICLE_COLUMNS,
          rows.map(({ a, body }) => [
            a.id, a.slug, a.path, a.title, foldTitle(a.title), a.lead, body, toDbTime(a.publishedAt), "PUBLISHED", a.views, a.photoCredit, "ru", a.authorId, now, now,
          ]),
          BATCH,
        );
        await insertRows(
          q,
          "article_tag",
          ["article_id", "tag_id", "position", "listed_at", "listed_views"],
          batch.flatMap((a) => [...a.rubricIds, ...a.hashtagIds].map((t, i) => [a.id, t, i, toDbTime(a.publishedAt), a.views])),
        );
        await insertRows(q, "article_related", ["article_id", "related_id", "position"], batch.flatMap((a) => a.relatedIds.map((r, i) => [a.id, r, i])));
        await insertRows(q, "article_view_day", ["article_id", "day", "views"], batch.flatMap((a) => a.viewDays.map((v) => [a.id, v.day, v.views])));
        const live = batch.flatMap((a) => (a.live ? [{ id: a.id, ...a.live }] : []));
        if (live.length > 0) {
          await insertRows(q, "live_blog", ["article_id", "started_at", "ended_at"], live.map((b) => [b.id, toDbTime(b.startedAt), b.endedAt && toDbTime(b.endedAt)]));
          await insertRows(
            q,
            "live_entry",
            ["id", "article_id", "text", "pinned", "author_id", "posted_at", "updated_at"],
            live.flatMap((b) => b.entries.map((e) => [e.id, b.id, e.text, e.pinned ? 1 : 0, e.authorId, toDbTime(e.postedAt), toDbTime(e.postedAt)])),
            BATCH,
          );
        }
        // The rows indexArticles (src/write/derived/searchIndex.ts) would write for these articles.
        await insertRows(q, "article_search", [mysql ? "article_id" : "rowid", "title", "body"], rows.map(({ a, search }) => [a.id, search.title, search.body]), BATCH);
      }).then(() => {
        done += batch.length;
        batch = [];
        onProgress?.(done, total);
      });
    for (const article of corpus.articles()) {
      batch.push(article);
      top.push({ id: article.id, views: article.views });
      if (top.length > 200) top.sort((a, b) => b.views - a.views || b.id - a.id).splice(60);
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    top.sort((a, b) => b.views - a.views || b.id - a.id);
    phaseEnd("rows");
    if (mysql) {
      const restoring = dropped;
      dropped = [];
      await addIndexes(q, restoring);
      // The rebuilds below read the base tables: planned with fresh statistics, they use the new indexes.
      await analyzeAll(q);
    }
    phaseEnd("indexes");
    await inTransaction(q, async () => {
      await q.query("INSERT INTO collection (id, slug, name, captured_at) VALUES (1, 'popular', 'Популярное', ?)", [toDbTime(corpus.options.to)]);
      await insertRows(q, "collection_item", ["collection_id", "position", "article_id"], top.slice(0, 60).map((t, i) => [1, i, t.id]));
      await rebuildDerivedTables(q.manager);
    });
    phaseEnd("derived");
    if (mysql) {
      await q.query("SET SESSION foreign_key_checks = 1, unique_checks = 1");
      // InnoDB refreshes its index statistics in the background some time
      // after a bulk load; until then the optimizer can pick a scan for the
      // rubric page (330 ms instead of 20 ms on 5,000 articles). Analysed
      // now, the seeded database plans as it will for good.
      await analyzeAll(q);
    }
    phaseEnd("analyze");
    return { articles: total, authors: corpus.authors.length, tags: corpus.tags.length, ms: Date.now() - started, phases };
  } finally {
    // A load that failed half way still leaves the schema whole.
    if (dropped.length > 0) await addIndexes(q, dropped).catch(() => undefined);
    await q.release();
  }
}

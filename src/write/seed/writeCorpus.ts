import { setImmediate } from "node:timers/promises";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { PARAGRAPH_SEPARATOR } from "../../../entities";
import { dialectOf, placeholders } from "../../db/dialect";
import { sideBySide } from "../../db/sideBySide";
import { toDbTime, utcDay } from "../../db/time";
import { rebuildArchive } from "../derived/archiveDays";
import { rebuildArticleCounts } from "../derived/articleCounts";
import { rebuildNeighbours } from "../derived/keptNeighbours";
import { rebuildPopularRanking } from "../derived/popularRanking";
import { foldTitle } from "../../text/fold";
import type { ArticleRecord, Corpus } from "./corpus";
import { addIndexes, addIndexesInParallel, dropIndexes, type IndexDefinition, secondaryIndexes } from "./bulkIndexes";
import { IndexText } from "./indexText";
import { POSTING_COLUMNS, PostingCollector, postingRow, termsOf } from "../derived/searchPostings";
import { TableLoader } from "./loadData";

/** The tables a seed fills row by row, with the columns it writes; on MariaDB their secondary indexes are built after the load. */
const BULK_COLUMNS = {
  article: ["id", "slug", "path", "title", "title_key", "lead", "body", "published_at", "status", "views", "photo_credit", "language", "author_id", "created_at", "updated_at"],
  article_tag: ["article_id", "tag_id", "position", "listed_at", "listed_views"],
  article_related: ["article_id", "related_id", "position"],
  article_view_day: ["article_id", "day", "views"],
  article_search: ["article_id", "title", "body"],
  // MariaDB only: the search's kept postings (src/write/derived/searchPostings.ts), collected as the articles are made.
  search_term: ["term", "kept", "covered_from"],
  search_posting: POSTING_COLUMNS,
} as const;
type BulkTable = keyof typeof BULK_COLUMNS;
const BULK_TABLES = Object.keys(BULK_COLUMNS) as BulkTable[];

/** Articles per transaction (SQLite) and between progress reports. */
const BATCH = 500;
/** Rows per INSERT for the narrow tables (SQLite allows 32,766 parameters per statement). */
const ROWS_PER_INSERT = 2000;

async function insertRows(q: QueryRunner, table: string, columns: readonly string[], rows: unknown[][], perStatement = ROWS_PER_INSERT): Promise<void> {
  const tuple = `(${placeholders(columns.length)})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await q.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`, chunk.flat());
  }
}

/** Where generated rows go: multi-row INSERTs in a transaction per batch, or LOAD DATA streams on MariaDB. */
interface RowSink {
  add(table: BulkTable, row: unknown[]): Promise<void>;
  endBatch(): Promise<void>;
  finish(): Promise<void>;
  close(): Promise<void>;
}

/** SQLite: a transaction per batch of articles, multi-row INSERTs (the search index's id column is its rowid). */
class InsertSink implements RowSink {
  private rows = new Map<BulkTable, unknown[][]>();

  constructor(private readonly q: QueryRunner) {}

  async add(table: BulkTable, row: unknown[]): Promise<void> {
    let list = this.rows.get(table);
    if (!list) this.rows.set(table, (list = []));
    list.push(row);
  }

  async endBatch(): Promise<void> {
    if (this.rows.size === 0) return;
    const rows = this.rows;
    this.rows = new Map();
    await inTransaction(this.q, async () => {
      for (const table of BULK_TABLES) {
        const columns = table === "article_search" ? ["rowid", "title", "body"] : BULK_COLUMNS[table];
        // Wide rows: fewer per statement.
        await insertRows(this.q, table, columns, rows.get(table) ?? [], table === "article" || table === "article_search" ? BATCH : ROWS_PER_INSERT);
      }
    });
  }

  finish = () => this.endBatch();
  close = async () => undefined;
}

/** MariaDB: a LOAD DATA stream per table, each on a connection of its own. */
class LoadDataSink implements RowSink {
  private constructor(private readonly loaders: Map<BulkTable, TableLoader>) {}

  static async open(ds: DataSource): Promise<LoadDataSink> {
    const loaders = new Map<BulkTable, TableLoader>();
    try {
      for (const table of BULK_TABLES) loaders.set(table, await TableLoader.open(ds.createQueryRunner("master"), table, BULK_COLUMNS[table]));
    } catch (e) {
      await Promise.all([...loaders.values()].map((l) => l.close()));
      throw e;
    }
    return new LoadDataSink(loaders);
  }

  add(table: BulkTable, row: unknown[]): Promise<void> {
    return this.loaders.get(table)!.add(row);
  }

  /** Lets the event loop run, so that the answers to finished LOAD DATA statements start the queued ones while the generator works. */
  endBatch = async (): Promise<void> => {
    await setImmediate();
  };

  async finish(): Promise<void> {
    await Promise.all([...this.loaders.values()].map((l) => l.flush()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.loaders.values()].map((l) => l.close()));
  }
}

export interface SeedReport {
  articles: number;
  authors: number;
  tags: number;
  ms: number;
  /** Milliseconds spent writing rows, building the indexes afterwards (MariaDB), rebuilding derived tables and analysing. */
  phases: { rows: number; indexes: number; derived: number; analyze: number };
  /** The derived phase, table by table. */
  derived: DerivedTimes;
}

/**
 * Tables derived from the base rows (articles, their tags, edges and view
 * days), rebuilt set-wise once after a bulk load instead of row by row as
 * articlesChanged keeps them on every other write. A table kept for reads
 * that bulk loads bypass gets its rebuild call here.
 *
 * Given a second connection (`beside`, MariaDB), the read-also neighbours
 * are rebuilt on it at the same time as the rest on `m`: their rebuild is
 * ranked in this process while the server is mostly idle, and the others
 * are the server's work. Each connection is in a transaction of its own.
 */
export async function rebuildDerivedTables(m: EntityManager, beside?: EntityManager): Promise<DerivedTimes> {
  const times = { archive: 0, neighbours: 0, counts: 0, popular: 0 };
  const timed = async (name: keyof DerivedTimes, rebuild: () => Promise<unknown>) => {
    const started = Date.now();
    await rebuild();
    times[name] = Date.now() - started;
  };
  const rest = async () => {
    await timed("archive", () => rebuildArchive(m));
    await timed("counts", () => rebuildArticleCounts(m));
    await timed("popular", () => rebuildPopularRanking(m, utcDay(new Date())));
  };
  if (beside) await sideBySide([timed("neighbours", () => rebuildNeighbours(beside)), rest()]);
  else {
    await timed("neighbours", () => rebuildNeighbours(m));
    await rest();
  }
  return times;
}

/** Milliseconds each derived table's rebuild took. */
export interface DerivedTimes {
  archive: number;
  neighbours: number;
  counts: number;
  popular: number;
}

/** ANALYZE TABLE for every table of the database (InnoDB samples a few pages of each: quick at any size). */
async function analyzeAll(q: QueryRunner): Promise<void> {
  const tables: { name: string }[] = await q.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'");
  await q.query(`ANALYZE TABLE ${tables.map((t) => `\`${t.name}\``).join(", ")}`);
}

async function inTransaction<T>(q: QueryRunner, fn: () => Promise<T>): Promise<T> {
  await q.startTransaction();
  try {
    const result = await fn();
    await q.commitTransaction();
    return result;
  } catch (e) {
    await q.rollbackTransaction();
    throw e;
  }
}

/**
 * Writes a generated corpus into an empty database, set-wise: on MariaDB a
 * LOAD DATA stream per table with the B-tree indexes built afterwards, on
 * SQLite a transaction per few hundred articles with multi-row INSERTs; the
 * search index rows written with their articles (their text is at hand, so
 * the index is not read back and normalised again), then the derived
 * tables rebuilt once (rebuildDerivedTables) and, on MariaDB, the
 * statistics refreshed. A million articles load in minutes (BENCHMARKS.md).
 */
export async function writeCorpus(ds: DataSource, corpus: Corpus, onProgress?: (done: number, total: number) => void): Promise<SeedReport> {
  const started = Date.now();
  const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article");
  if (Number(n) > 0) throw new Error(`The database already has ${n} articles; seed fills an empty database.`);
  const mysql = dialectOf(ds) === "mysql";
  const now = toDbTime(new Date());
  const indexText = new IndexText();
  const postings = mysql ? new PostingCollector() : null;
  const q = ds.createQueryRunner("master");
  await q.connect();
  let dropped: IndexDefinition[] = [];
  const phases: SeedReport["phases"] = { rows: 0, indexes: 0, derived: 0, analyze: 0 };
  let derived: DerivedTimes;
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
      // (On SQLite the FTS5 table is the search index; MariaDB has no FULLTEXT index to keep.)
      dropped = (await secondaryIndexes(q, BULK_TABLES)).filter((d) => !d.fulltext);
      await dropIndexes(q, dropped);
    }
    await inTransaction(q, async () => {
      await insertRows(q, "author", ["id", "name", "slug", "email"], corpus.authors.map((a) => [a.id, a.name, a.slug, a.email]));
      await insertRows(q, "tag", ["id", "kind", "name", "slug"], corpus.tags.map((t) => [t.id, t.kind, t.name, t.slug]));
    });
    const total = corpus.options.articles;
    const top: { id: number; views: number }[] = [];
    // Live blogs (one per 500 articles) are written after the articles, with plain INSERTs.
    const live: (NonNullable<ArticleRecord["live"]> & { id: number })[] = [];
    const sink = mysql ? await LoadDataSink.open(ds) : new InsertSink(q);
    try {
      let done = 0;
      for (const a of corpus.articles()) {
        const body = a.paragraphs.join(PARAGRAPH_SEPARATOR);
        const search = indexText.row({ title: a.title, lead: a.lead, body });
        const at = toDbTime(a.publishedAt);
        await sink.add("article", [a.id, a.slug, a.path, a.title, foldTitle(a.title), a.lead, body, at, "PUBLISHED", a.views, a.photoCredit, "ru", a.authorId, now, now]);
        let position = 0;
        for (const t of a.rubricIds) await sink.add("article_tag", [a.id, t, position++, at, a.views]);
        for (const t of a.hashtagIds) await sink.add("article_tag", [a.id, t, position++, at, a.views]);
        for (let i = 0; i < a.relatedIds.length; i++) await sink.add("article_related", [a.id, a.relatedIds[i], i]);
        for (const v of a.viewDays) await sink.add("article_view_day", [a.id, v.day, v.views]);
        // The row indexArticles (src/write/derived/searchIndex.ts) would write for this article.
        await sink.add("article_search", [a.id, search.title, search.body]);
        postings?.add(a.id, a.publishedAt, termsOf(search.title, search.body));
        if (a.live) live.push({ id: a.id, ...a.live });
        top.push({ id: a.id, views: a.views });
        if (top.length > 200) top.sort((x, y) => y.views - x.views || y.id - x.id).splice(60);
        if (++done % BATCH === 0 || done === total) {
          await sink.endBatch();
          onProgress?.(done, total);
        }
      }
      if (postings) {
        for (const list of postings.rows()) {
          await sink.add("search_term", [list.term, list.kept, list.coveredFrom && toDbTime(list.coveredFrom)]);
          for (const p of list.postings) await sink.add("search_posting", postingRow(list.term, p.publishedAt, p.id, p.use));
        }
      }
      await sink.finish();
    } finally {
      await sink.close();
    }
    if (live.length > 0) {
      await inTransaction(q, async () => {
        await insertRows(q, "live_blog", ["article_id", "started_at", "ended_at"], live.map((b) => [b.id, toDbTime(b.startedAt), b.endedAt && toDbTime(b.endedAt)]));
        await insertRows(
          q,
          "live_entry",
          ["id", "article_id", "text", "pinned", "author_id", "posted_at", "updated_at"],
          live.flatMap((b) => b.entries.map((e) => [e.id, b.id, e.text, e.pinned ? 1 : 0, e.authorId, toDbTime(e.postedAt), toDbTime(e.postedAt)])),
          BATCH,
        );
      });
    }
    top.sort((a, b) => b.views - a.views || b.id - a.id);
    phaseEnd("rows");
    if (mysql) {
      const restoring = dropped;
      dropped = [];
      await addIndexesInParallel(ds, restoring);
      // The rebuilds below read the base tables: planned with fresh statistics, they use the new indexes.
      await analyzeAll(q);
    }
    phaseEnd("indexes");
    const beside = mysql ? ds.createQueryRunner("master") : null;
    try {
      if (beside) {
        await beside.connect();
        await beside.query("SET SESSION foreign_key_checks = 0, unique_checks = 0");
      }
      const rebuild = () =>
        inTransaction(q, async () => {
          await q.query("INSERT INTO collection (id, slug, name, captured_at) VALUES (1, 'popular', 'Популярное', ?)", [toDbTime(corpus.options.to)]);
          await insertRows(q, "collection_item", ["collection_id", "position", "article_id"], top.slice(0, 60).map((t, i) => [1, i, t.id]));
          return rebuildDerivedTables(q.manager, beside?.manager);
        });
      // The neighbours' connection commits right after the rest; if either fails before, both roll back.
      derived = await (beside ? inTransaction(beside, rebuild) : rebuild());
    } finally {
      if (beside) {
        await beside.query("SET SESSION foreign_key_checks = 1, unique_checks = 1").catch(() => undefined);
        await beside.release();
      }
    }
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
    return { articles: total, authors: corpus.authors.length, tags: corpus.tags.length, ms: Date.now() - started, phases, derived };
  } finally {
    // A load that failed half way still leaves the schema whole.
    if (dropped.length > 0) await addIndexes(q, dropped).catch(() => undefined);
    // The connection goes back to the pool with its checks on, whatever happened.
    if (mysql) await q.query("SET SESSION foreign_key_checks = 1, unique_checks = 1").catch(() => undefined);
    await q.release();
  }
}

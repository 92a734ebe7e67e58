import type { DataSource } from "typeorm";
import { boundedStatement, isStatementTimeout, timedOut } from "../db/deadline";
import { type Dialect, dialectOf } from "../db/dialect";
import type { Row } from "./rows";

/** Something that runs read-only statements: the DataSource itself, or a request's view of it. */
export interface Reader {
  read(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The SQL dialect the statements go to, for the few that differ; absent means portable SQL only. */
  dialect?: Dialect;
}

/** What reads need of mysql2's callback pool (the one TypeORM's MySQL driver opens). */
interface MysqlPool {
  execute(sql: string, params: unknown[], done: (error: Error | null, rows: unknown) => void): unknown;
  query(sql: string, params: unknown[], done: (error: Error | null, rows: unknown) => void): unknown;
}

/** MariaDB refusing to prepare a statement: one it cannot prepare, or the server's limit on prepared statements reached. */
const NOT_PREPARED = new Set([1295 /* ER_UNSUPPORTED_PS */, 1461 /* ER_MAX_PREPARED_STMT_COUNT_REACHED */]);

/**
 * A parameter as a prepared statement takes it. A number goes as its
 * decimal text, as it would be written into the statement's text: MariaDB
 * converts it to the column's type where it meets one (an index is used as
 * for a literal), and LIMIT takes it. mysql2 would bind a number as a
 * DOUBLE, which LIMIT refuses; its typed integer parameters cost more than
 * the rest of the statement's encoding. The one visible difference: a
 * parameter selected back as a column (`SELECT ? AS n`) comes back as text,
 * where the same number written into the text would come back a number;
 * the gateway selects back only strings.
 */
function bound(value: unknown): unknown {
  if (value === undefined) return null;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : value;
}

function call(pool: MysqlPool, how: "execute" | "query", sql: string, params: unknown[]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    pool[how](sql, params, (error, rows) => (error ? reject(error) : resolve(rows as Row[])));
  });
}

/**
 * A read on MariaDB without replicas, sent to the pool TypeORM opened as a
 * server-side prepared statement (mysql2's execute). MariaDB parses each
 * statement text once per connection and mysql2 keeps it
 * (MYSQL_PREPARED_PER_CONNECTION, src/db/dataSource.ts); the rows come back
 * in the binary protocol, already typed. TypeORM's DataSource.query sent
 * the text with its values written in, through a query runner made for the
 * one statement, and MariaDB parsed every one again: prepared, the article
 * page's two dearest statements cost MariaDB about a fifth less (BENCHMARKS.md,
 * "Where MariaDB's time went, prepared reads, simple field resolvers").
 * TypeORM's logger still hears of every statement (the per-request
 * statement count, slow and failed statements). A statement MariaDB will
 * not prepare goes as text.
 */
async function preparedRead(dataSource: DataSource, pool: MysqlPool, sql: string, params: unknown[]): Promise<Row[]> {
  const logger = dataSource.logger;
  logger.logQuery(sql, params);
  const started = Date.now();
  try {
    const values = params.map(bound);
    const rows = await call(pool, "execute", sql, values).catch((e: { errno?: number }) => {
      if (NOT_PREPARED.has(Number(e?.errno))) return call(pool, "query", sql, params);
      throw e;
    });
    const took = Date.now() - started;
    const slow = dataSource.options.maxQueryExecutionTime;
    if (slow && took > slow) logger.logQuerySlow(took, sql, params);
    return rows;
  } catch (e) {
    logger.logQueryError(e instanceof Error ? e : String(e), sql, params);
    throw e;
  }
}

/**
 * Runs a read-only statement. With replicas configured, reads go to a
 * replica (TypeORM replication "slave" mode) and everything else to the
 * primary. On MariaDB without replicas, as a prepared statement
 * (preparedRead); on SQLite, through TypeORM (better-sqlite3 keeps its own
 * prepared statements).
 */
async function read(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<Row[]> {
  const replicated = "replication" in dataSource.options && Boolean(dataSource.options.replication);
  if (replicated) {
    const runner = dataSource.createQueryRunner("slave");
    try {
      return await runner.query(sql, params);
    } finally {
      await runner.release();
    }
  }
  const pool = dataSource.options.type === "mysql" ? ((dataSource.driver as unknown as { pool?: MysqlPool }).pool ?? null) : null;
  return pool ? preparedRead(dataSource, pool, sql, params) : dataSource.query(sql, params);
}

export interface ReaderOptions {
  /**
   * Told of every statement while it runs (the request's loaders hold
   * their batches until none is in flight: src/read/loaders/batcher.ts).
   */
  track?: <T>(work: Promise<T>) => Promise<T>;
  /**
   * When the request's time is up (epoch ms): no statement starts after
   * it, and on MariaDB each one carries the time left, so that the server
   * itself stops a statement that would outlive the request instead of
   * finishing work nobody waits for. (On SQLite a running statement cannot
   * be interrupted from JavaScript: better-sqlite3 runs it synchronously.)
   */
  deadline?: number;
}

/**
 * The one way reads reach the database: a request's Reader (context.ts,
 * for queries and mutations alike) and the reads outside requests (feeds,
 * jobs, tests) are all made here.
 */
export function createReader(dataSource: DataSource, opts: ReaderOptions = {}): Reader {
  const dialect = dialectOf(dataSource);
  const { track, deadline } = opts;
  return {
    dialect,
    async read(sql, params) {
      let statement = sql;
      if (deadline !== undefined) {
        const left = deadline - Date.now();
        if (left <= 0) throw timedOut();
        statement = boundedStatement(sql, left, dialect);
      }
      const running = read(dataSource, statement, params);
      try {
        return await (track ? track(running) : running);
      } catch (e) {
        throw isStatementTimeout(e) ? timedOut() : e;
      }
    },
  };
}

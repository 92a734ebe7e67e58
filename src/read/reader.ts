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

/**
 * Runs a read-only statement. With replicas configured, reads go to a
 * replica (TypeORM replication "slave" mode) and everything else to the
 * primary.
 */
async function read(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<Row[]> {
  const replicated = "replication" in dataSource.options && Boolean(dataSource.options.replication);
  if (!replicated) return dataSource.query(sql, params);
  const runner = dataSource.createQueryRunner("slave");
  try {
    return await runner.query(sql, params);
  } finally {
    await runner.release();
  }
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

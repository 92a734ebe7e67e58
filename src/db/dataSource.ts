import fs from "node:fs";
import path from "node:path";
import "reflect-metadata";
import { DataSource, type DataSourceOptions } from "typeorm";
import { entities } from "../../entities";
import { AfterCommitSubscriber } from "./commits";
import { TransactionDeadlineSubscriber } from "./deadline";
import { migrations } from "./migrations";
import { StatementCounter } from "./statements";

export interface DatabaseOptions {
  /** mysql://... for MySQL/MariaDB; otherwise sqlitePath is used. */
  url?: string;
  sqlitePath?: string;
  replicaUrls?: readonly string[];
  poolSize?: number;
  /** How long opening a MariaDB connection may take (5 s). */
  connectTimeoutMs?: number;
  logger?: (level: "warn" | "error", message: string, extra?: object) => void;
}

export interface Database {
  dataSource: DataSource;
  statements: StatementCounter;
}

function mysqlOptions(url: string): { host: string; port: number; username: string; password: string; database: string } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")),
  };
}

/** Prepared statements mysql2 keeps per pooled connection: the few dozen statement shapes of the pages, with their usual list lengths. */
export const MYSQL_PREPARED_PER_CONNECTION = 128;

export function dataSourceOptions(opts: DatabaseOptions, statements: StatementCounter): DataSourceOptions {
  // What writers left for after their commit (src/db/commits.ts); a request's deadline for its writes (src/db/deadline.ts).
  const common = { entities, migrations, subscribers: { AfterCommitSubscriber, TransactionDeadlineSubscriber }, migrationsRun: false, synchronize: false, logger: statements, maxQueryExecutionTime: 1000 } as const;
  if (opts.url && /^(mysql|mariadb):/.test(opts.url)) {
    const primary = mysqlOptions(opts.url);
    const pool = {
      connectionLimit: opts.poolSize ?? 10,
      // A bounded wait queue: when the database is slow or gone, requests
      // fail fast instead of piling up behind the pool.
      queueLimit: 100,
      connectTimeout: opts.connectTimeoutMs ?? 5000,
      enableKeepAlive: true,
      // Reads are prepared statements (src/read/reader.ts); mysql2 keeps
      // this many per connection, closing the least used, so that a
      // gateway holds at most connectionLimit times as many on the server
      // (MariaDB's max_prepared_stmt_count, 16,382 by default, is for
      // all clients together).
      maxPreparedStatements: MYSQL_PREPARED_PER_CONNECTION,
    };
    const replicas = opts.replicaUrls ?? [];
    return {
      ...common,
      type: "mysql",
      charset: "utf8mb4_unicode_ci",
      timezone: "Z",
      supportBigNumbers: true,
      extra: pool,
      ...(replicas.length > 0
        ? { replication: { master: primary, slaves: replicas.map(mysqlOptions) } }
        : primary),
    };
  }
  const file = opts.sqlitePath ?? ":memory:";
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    ...common,
    type: "better-sqlite3",
    database: file,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
    },
  };
}

/** Opens (but does not migrate) the database. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const statements = new StatementCounter(opts.logger);
  const dataSource = new DataSource(dataSourceOptions(opts, statements));
  await dataSource.initialize();
  return { dataSource, statements };
}

/** Applies pending migrations; returns their names. */
export async function migrate(db: Database): Promise<string[]> {
  const ran = await db.dataSource.runMigrations({ transaction: "each" });
  return ran.map((m) => m.name);
}

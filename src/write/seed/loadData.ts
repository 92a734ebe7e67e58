import { Readable } from "node:stream";
import type { DataSource, QueryRunner } from "typeorm";
import { dialectOf } from "../../db/dialect";
import { insertMany } from "../ingest/rows";

/*
 * Bulk loads on MariaDB through LOAD DATA LOCAL INFILE: the rows go to the
 * server as tab-separated text that it parses in one pass, instead of
 * multi-row INSERTs that the client escapes into SQL and the server parses
 * as SQL. Each table gets a connection of its own, so the server loads
 * several tables at once while the generator makes the next rows.
 */

/** One field of a LOAD DATA line (FIELDS ESCAPED BY '\\'): NULL as \N, backslash, tab and line breaks escaped. */
export function tsvField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  const s = String(value);
  return /[\\\t\n\r\0]/.test(s) ? s.replace(/[\\\t\n\r\0]/g, (c) => TSV_ESCAPES[c]) : s;
}

const TSV_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0" };

/** Packets of at most 1 MB (the protocol's packets may not exceed 16 MB). */
const CHUNK = 1 << 20;

interface RawResult {
  affectedRows: number;
  warningStatus: number;
}

interface RawConnection {
  query(options: { sql: string; infileStreamFactory?: () => Readable }, callback: (err: Error | null, result: RawResult) => void): void;
}

/**
 * Loads the rows of one table over one connection, a chunk of lines per
 * statement. A chunk is queued while the previous one loads; `add` waits
 * when two are queued, so the generator never runs far ahead of the server.
 */
export class TableLoader {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private lines: string[] = [];
  private bytes = 0;
  private failure: unknown = null;
  rows = 0;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly raw: RawConnection,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly chunkBytes: number,
  ) {}

  /** A loader on a connection of its own, with foreign key and unique checks off for its session (the rows are consistent by construction). */
  static async open(runner: QueryRunner, table: string, columns: readonly string[], chunkBytes = 8 << 20): Promise<TableLoader> {
    try {
      const raw = (await runner.connect()) as RawConnection;
      await runner.query("SET SESSION foreign_key_checks = 0, unique_checks = 0");
      return new TableLoader(runner, raw, table, columns, chunkBytes);
    } catch (e) {
      await runner.release();
      throw e;
    }
  }

  /** Adds a row; when the pending text reaches the chunk size, sends it (waiting if two chunks are already on their way). */
  async add(row: readonly unknown[]): Promise<void> {
    const line = row.map(tsvField).join("\t");
    this.lines.push(line);
    this.bytes += line.length * 2;
    if (this.bytes >= this.chunkBytes) await this.send();
  }

  private async send(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = this.lines.join("\n") + "\n";
    const count = this.lines.length;
    this.lines = [];
    this.bytes = 0;
    while (this.queued >= 2) await this.tail;
    if (this.failure) throw this.failure;
    this.queued++;
    this.tail = this.tail
      .then(() => this.load(text, count))
      .catch((e) => {
        this.failure ??= e;
      })
      .finally(() => {
        this.queued--;
      });
  }

  private load(text: string, count: number): Promise<void> {
    const buffer = Buffer.from(text, "utf8");
    const sql =
      `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE \`${this.table}\` CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${this.columns.map((c) => `\`${c}\``).join(", ")})`;
    return new Promise((resolve, reject) => {
      this.raw.query(
        {
          sql,
          infileStreamFactory: () =>
            Readable.from(
              (function* () {
                for (let i = 0; i < buffer.length; i += CHUNK) yield buffer.subarray(i, i + CHUNK);
              })(),
              { objectMode: false },
            ),
        },
        (err, result) => {
          if (err) {
            const refused = (err as { errno?: number }).errno === 1148;
            return reject(
              refused
                ? new Error(`LOAD DATA LOCAL INFILE refused by the server: the seed needs its local_infile variable ON (${err.message})`, {
                    cause: err,
                  })
                : err,
            );
          }
          // LOAD DATA LOCAL turns conversion errors and duplicate keys into warnings: any warning is a failed load here.
          if (result.warningStatus > 0 || result.affectedRows !== count) {
            return reject(
              new Error(`LOAD DATA into ${this.table}: ${result.affectedRows} of ${count} rows, ${result.warningStatus} warnings`),
            );
          }
          this.rows += count;
          resolve();
        },
      );
    });
  }

  /** Sends what is pending and waits until every chunk is loaded. */
  async flush(): Promise<void> {
    await this.send();
    await this.tail;
    if (this.failure) throw this.failure;
  }

  /** Waits for what is on its way, then gives the connection back to the pool with its checks on again. */
  async close(): Promise<void> {
    await this.tail;
    try {
      await this.runner.query("SET SESSION foreign_key_checks = 1, unique_checks = 1");
    } finally {
      await this.runner.release();
    }
  }
}

/**
 * Writes rows into a table in one transaction: one LOAD DATA stream on
 * MariaDB, multi-row INSERTs elsewhere. For rows consistent by
 * construction (the seed's), since MariaDB checks neither keys nor
 * foreign keys during the load.
 */
export async function insertAll(ds: DataSource, table: string, columns: string[], rows: readonly unknown[][]): Promise<void> {
  if (dialectOf(ds) !== "mysql") return ds.transaction((m) => insertMany(m, table, columns, rows as unknown[][]));
  const runner = ds.createQueryRunner("master");
  const loader = await TableLoader.open(runner, table, columns);
  try {
    await runner.startTransaction();
    for (const row of rows) await loader.add(row);
    await loader.flush();
    await runner.commitTransaction();
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw e;
  } finally {
    await loader.close();
  }
}

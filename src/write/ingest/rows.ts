import type { EntityManager } from "typeorm";
import { dialectOf, placeholders } from "../../db/dialect";

/** The id of the row an INSERT made: mysql2 returns a result header, better-sqlite3 (through TypeORM) the row id. */
export function insertedId(result: unknown): number {
  if (typeof result === "number" || typeof result === "bigint") return Number(result);
  const id = (result as { insertId?: unknown } | null)?.insertId;
  if (id === undefined || id === null) throw new Error("The database did not report the id of an inserted row.");
  return Number(id);
}

/** Parameters per statement (SQLite allows 32,766) and bytes of text (MariaDB's max_allowed_packet is 16 MB by default). */
const PARAMETERS_PER_STATEMENT = 4000;
const BYTES_PER_STATEMENT = 4 * 1024 * 1024;

/** Rows in statement-sized chunks: by parameters, and by text (a UTF-8 character is at most 3 bytes in a JavaScript string unit). */
function chunks(rows: unknown[][]): unknown[][][] {
  const out: unknown[][][] = [];
  let chunk: unknown[][] = [];
  let params = 0;
  let bytes = 0;
  for (const row of rows) {
    const size = row.reduce<number>((n, v) => n + (typeof v === "string" ? v.length * 3 : 8), 0);
    if (chunk.length > 0 && (params + row.length > PARAMETERS_PER_STATEMENT || bytes + size > BYTES_PER_STATEMENT)) {
      out.push(chunk);
      chunk = [];
      params = 0;
      bytes = 0;
    }
    chunk.push(row);
    params += row.length;
    bytes += size;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/**
 * The rows of `sql` for every value, a thousand values per statement:
 * `sql` gets the placeholders of a chunk, and `after` is bound after them.
 */
export async function selectIn<T>(m: EntityManager, sql: (marks: string) => string, values: readonly unknown[], after: readonly unknown[] = []): Promise<T[]> {
  const out: T[] = [];
  const CHUNK = 1000;
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    out.push(...((await m.query(sql(placeholders(chunk.length)), [...chunk, ...after])) as T[]));
  }
  return out;
}

/** Multi-row INSERTs, as many rows per statement as fit. */
export async function insertMany(m: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const tuple = `(${placeholders(columns.length)})`;
  for (const chunk of chunks(rows)) {
    await m.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`, chunk.flat());
  }
}

/**
 * Sets columns of existing rows by their id, a few hundred rows per
 * statement: each row is [id, ...values in `columns` order].
 */
export async function updateRows(m: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const mysql = dialectOf(m) === "mysql";
  for (const chunk of chunks(rows)) {
    if (mysql) {
      const first = `SELECT ? AS id, ${columns.map((c) => `? AS ${c}`).join(", ")}`;
      const rest = `SELECT ${placeholders(columns.length + 1)}`;
      const values = chunk.map((_, j) => (j === 0 ? first : rest)).join(" UNION ALL ");
      await m.query(`UPDATE ${table} t JOIN (${values}) v ON v.id = t.id SET ${columns.map((c) => `t.${c} = v.${c}`).join(", ")}`, chunk.flat());
    } else {
      // SQLite names the columns of a VALUES list column1, column2, …
      const tuple = `(${placeholders(columns.length + 1)})`;
      await m.query(
        `UPDATE ${table} SET ${columns.map((c, k) => `${c} = v.column${k + 2}`).join(", ")} FROM (VALUES ${chunk.map(() => tuple).join(", ")}) AS v WHERE ${table}.id = v.column1`,
        chunk.flat(),
      );
    }
  }
}

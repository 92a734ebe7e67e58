import type { EntityManager } from "typeorm";
import { placeholders } from "../../db/dialect";

/** The id of the row an INSERT made: mysql2 returns a result header, better-sqlite3 (through TypeORM) the row id. */
export function insertedId(result: unknown): number {
  if (typeof result === "number" || typeof result === "bigint") return Number(result);
  const id = (result as { insertId?: unknown } | null)?.insertId;
  if (id === undefined || id === null) throw new Error("The database did not report the id of an inserted row.");
  return Number(id);
}

/** One multi-row INSERT per few hundred rows. */
export async function insertMany(m: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const BATCH = 400;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const tuple = `(${placeholders(columns.length)})`;
    await m.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`, chunk.flat());
  }
}

import type { DataSource } from "typeorm";
import type { Row } from "./rows";

/**
 * Runs a read-only statement. With replicas configured, reads go to a
 * replica (TypeORM replication "slave" mode) and everything else to the
 * primary.
 */
export async function read(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<Row[]> {
  const replicated = "replication" in dataSource.options && Boolean(dataSource.options.replication);
  if (!replicated) return dataSource.query(sql, params);
  const runner = dataSource.createQueryRunner("slave");
  try {
    return await runner.query(sql, params);
  } finally {
    await runner.release();
  }
}

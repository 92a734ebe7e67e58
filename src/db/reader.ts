import type { DataSource } from "typeorm";
import { type Dialect, dialectOf } from "./dialect";
import { read } from "./query";
import type { Row } from "./rows";

/** Something that runs read-only statements: the DataSource itself, or a request's tracked view of it. */
export interface Reader {
  read(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The SQL dialect the statements go to, for the few that differ; absent means portable SQL only. */
  dialect?: Dialect;
}

export function directReader(ds: DataSource): Reader {
  return { read: (sql, params) => read(ds, sql, params), dialect: dialectOf(ds) };
}

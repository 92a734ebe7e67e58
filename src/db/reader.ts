import type { DataSource } from "typeorm";
import { read } from "./query";
import type { Row } from "./rows";

/** Something that runs read-only statements: the DataSource itself, or a request's tracked view of it. */
export interface Reader {
  read(sql: string, params?: unknown[]): Promise<Row[]>;
}

export function directReader(ds: DataSource): Reader {
  return { read: (sql, params) => read(ds, sql, params) };
}

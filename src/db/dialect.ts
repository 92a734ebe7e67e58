import type { DataSource, EntityManager, QueryRunner } from "typeorm";

export type Dialect = "mysql" | "sqlite";

/** Which SQL dialect a DataSource (or anything holding one) speaks. */
export function dialectOf(source: DataSource | EntityManager | QueryRunner): Dialect {
  const type = "connection" in source ? source.connection.options.type : source.options.type;
  return type === "mysql" || type === "mariadb" ? "mysql" : "sqlite";
}

/** `?, ?, ?` for n parameters. */
export function placeholders(n: number): string {
  return new Array(n).fill("?").join(", ");
}

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

/** The column and table types migrations write the same way on both engines. */
export function columnTypes(source: QueryRunner): { mysql: boolean; id: string; text: string; time: string; table: string } {
  const mysql = dialectOf(source) === "mysql";
  return {
    mysql,
    id: mysql ? "INT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT",
    text: mysql ? "MEDIUMTEXT" : "TEXT",
    time: mysql ? "DATETIME(3)" : "DATETIME",
    // Explicit on MariaDB, so that both schemas read alike whatever the server's defaults.
    table: mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci" : "",
  };
}

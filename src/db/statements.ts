import type { Logger, QueryRunner } from "typeorm";
import { currentRequest } from "../server/requestScope";

/** Per-request statement tally, kept in the request's scope (src/server/requestScope.ts). */
export interface StatementScope {
  count: number;
}

/**
 * A TypeORM logger that counts every SQL statement the DataSource sends
 * (TypeORM reports each one here, whatever the logging settings). Tests use
 * `total` to prove that a query's statement count depends on its shape only;
 * the metrics endpoint reads it too.
 */
export class StatementCounter implements Logger {
  total = 0;
  /** When set, every statement is also passed here (tests that need the SQL). */
  onStatement: ((sql: string, params?: unknown[]) => void) | null = null;

  constructor(private readonly report?: (level: "warn" | "error", message: string, extra?: object) => void) {}

  logQuery(query: string, parameters?: unknown[]): void {
    this.total += 1;
    // The one AsyncLocalStorage of the process tells which request sent it.
    const request = currentRequest();
    if (request) request.statements.count += 1;
    this.onStatement?.(query, parameters);
  }

  logQueryError(error: string | Error, query: string): void {
    this.report?.("error", "SQL statement failed", { error: String(error), sql: query.slice(0, 500) });
  }

  logQuerySlow(time: number, query: string): void {
    this.report?.("warn", "slow SQL statement", { ms: time, sql: query.slice(0, 500) });
  }

  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.report?.("warn", message);
  }
  log(level: "log" | "info" | "warn", message: unknown, _queryRunner?: QueryRunner): void {
    if (level === "warn") this.report?.("warn", String(message));
  }
}

import { GraphQLError } from "graphql";
import { type EntitySubscriberInterface, EventSubscriber, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent, type TransactionStartEvent } from "typeorm";
import { ErrorCode } from "../graphql/errors";
import { currentRequest } from "../server/requestScope";
import { type Dialect, dialectOf } from "./dialect";

export function timedOut(): GraphQLError {
  return new GraphQLError("The request took longer than the server allows; ask for less.", {
    extensions: { code: ErrorCode.TIMEOUT, http: { status: 504 } },
  });
}

// MariaDB's "max_statement_time exceeded" (ER_STATEMENT_TIMEOUT).
const STATEMENT_TIMEOUT_ERRNO = 1969;

/** True when MariaDB stopped a statement because the request's time was up. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error as { errno?: number; driverError?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.errno === STATEMENT_TIMEOUT_ERRNO) return true;
    e = (e.driverError ?? e.originalError) as typeof e;
  }
  return false;
}

/**
 * The time left (ms) as the statement's limit in seconds, rounded up: to
 * the second while a second or more is left, else to the tenth. Reads are
 * prepared statements on MariaDB (src/read/reader.ts), one per statement
 * text and connection: the limit is part of the text, so it takes a few
 * values (about twenty) rather than one per millisecond. The server may
 * thus let a statement run up to a second past the request's deadline; the
 * request itself still ends at it.
 */
export function statementLimitSeconds(leftMs: number): number {
  return leftMs >= 1000 ? Math.ceil(leftMs / 1000) : Math.ceil(leftMs / 100) / 10;
}

/**
 * A read-only statement bounded by the time left (ms): on MariaDB the
 * server stops it then (`SET STATEMENT max_statement_time = s FOR ...`);
 * elsewhere it is sent as it is. Readers made by createReader (src/read/reader.ts)
 * send every statement through here.
 */
export function boundedStatement(sql: string, leftMs: number, dialect: Dialect): string {
  return dialect === "mysql" && /^\s*SELECT\b/i.test(sql) ? `SET STATEMENT max_statement_time = ${statementLimitSeconds(leftMs)} FOR ${sql}` : sql;
}

const BOUNDED = "deadlineBounded";

/**
 * The same deadline for writes. A request's mutations write through
 * transactions of their own (src/write/, src/workflow/, ...); when one
 * starts inside a request that has a deadline (src/server/requestScope.ts),
 * it is refused once the time is up, and on MariaDB every statement of the
 * transaction is bounded by the time left (the session's
 * max_statement_time, set before the transaction and reset after it, so
 * that the pooled connection goes back unbounded). A write cut short rolls
 * back whole; the client gets TIMEOUT. Writes outside a request (import,
 * scheduler, CLI) are not bounded.
 */
@EventSubscriber()
export class TransactionDeadlineSubscriber implements EntitySubscriberInterface {
  async beforeTransactionStart(event: TransactionStartEvent): Promise<void> {
    const deadline = currentRequest()?.deadline;
    const runner = event.queryRunner;
    if (deadline === undefined || runner.data[BOUNDED] !== undefined) return;
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut();
    runner.data[BOUNDED] = dialectOf(runner.connection) === "mysql";
    if (runner.data[BOUNDED]) await runner.query(`SET SESSION max_statement_time = ${(left / 1000).toFixed(3)}`);
  }

  afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    return unbound(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): Promise<void> {
    return unbound(event.queryRunner);
  }
}

async function unbound(runner: QueryRunner): Promise<void> {
  // Nested savepoints leave the transaction active: only its end counts.
  if (runner.isTransactionActive || runner.data[BOUNDED] === undefined) return;
  const bounded = runner.data[BOUNDED];
  delete runner.data[BOUNDED];
  if (bounded) await runner.query("SET SESSION max_statement_time = 0").catch(() => undefined);
}

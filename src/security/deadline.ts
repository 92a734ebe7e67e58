import { GraphQLError } from "graphql";
import type { Dialect } from "../db/dialect";
import type { Reader } from "../db/reader";
import { ErrorCode } from "../errors";

export function timedOut(): GraphQLError {
  return new GraphQLError("The request took longer than the server allows; ask for less.", {
    extensions: { code: ErrorCode.TIMEOUT, http: { status: 504 } },
  });
}

// MariaDB's "max_statement_time exceeded" (ER_STATEMENT_TIMEOUT).
const STATEMENT_TIMEOUT_ERRNO = 1969;

/**
 * A Reader that keeps a request's statements inside its deadline. On
 * MariaDB every SELECT carries the time left (`SET STATEMENT
 * max_statement_time = s FOR ...`), so the server itself stops a statement
 * that would outlive the request instead of finishing work nobody waits
 * for. On SQLite a running statement cannot be interrupted from JavaScript
 * (better-sqlite3 runs it synchronously on the event loop), so there the
 * deadline is checked before each statement only.
 */
export function deadlineReader(inner: Reader, deadline: number, dialect: Dialect): Reader {
  return {
    dialect,
    async read(sql, params) {
      const left = deadline - Date.now();
      if (left <= 0) throw timedOut();
      const bounded =
        dialect === "mysql" && /^\s*SELECT\b/i.test(sql)
          ? `SET STATEMENT max_statement_time = ${(left / 1000).toFixed(3)} FOR ${sql}`
          : sql;
      try {
        return await inner.read(bounded, params);
      } catch (e) {
        if (
          (e as { errno?: number }).errno === STATEMENT_TIMEOUT_ERRNO ||
          (e as { driverError?: { errno?: number } }).driverError?.errno === STATEMENT_TIMEOUT_ERRNO
        ) {
          throw timedOut();
        }
        throw e;
      }
    },
  };
}

import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode } from "../graphql/errors";

// Driver codes that say the database could not be reached or dropped the
// connection, as opposed to a statement that was wrong: mysql2's own
// PROTOCOL_* codes, the socket's errno codes, and the server refusing
// connections while it starts, stops or is full.
const OUTAGE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_CONNECTION_KILLED",
]);

// mysql2 reports these without a code: the pool's wait queue is full, or a
// command was given to a connection the server has already closed.
const OUTAGE_MESSAGES = /^(Queue limit reached\.|Can't add new command when connection is in closed state)/;

/** Retry-After sent with a 503: about how long a restarted MariaDB takes to answer. */
const RETRY_AFTER_SECONDS = "5";

function causes(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let current = error;
  while (current && typeof current === "object" && !seen.includes(current) && seen.length < 8) {
    seen.push(current);
    // thrownValue: graphql-js wraps a thrown non-Error (mysql2 rejects a
    // failed pool connect with a plain object) in a NonErrorThrown.
    const e = current as { originalError?: unknown; driverError?: unknown; cause?: unknown; thrownValue?: unknown };
    current = e.originalError ?? e.driverError ?? e.cause ?? e.thrownValue;
  }
  return seen;
}

/** True when an error (or what it wraps: GraphQLError, TypeORM QueryFailedError, cause, a thrown non-Error) means the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((e) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return (typeof code === "string" && OUTAGE_CODES.has(code)) || (typeof message === "string" && OUTAGE_MESSAGES.test(message));
  });
}

/** What a client is told instead of the driver's message (which names hosts and ports). */
export function unavailableError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: "The database is unavailable; try again shortly.",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.UNAVAILABLE },
  };
}

/**
 * Answers HTTP 503 with Retry-After when the database outage cost the
 * response anything, so load balancers and CDNs treat it as a passing
 * failure (and do not cache it) rather than as a 200.
 */
export function unavailableStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors ?? [];
          if (!errors.some((e) => e.extensions?.code === ErrorCode.UNAVAILABLE)) return;
          response.http.status = 503;
          response.http.headers.set("retry-after", RETRY_AFTER_SECONDS);
        },
      };
    },
  };
}

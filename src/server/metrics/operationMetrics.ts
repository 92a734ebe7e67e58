import type { ApolloServerPlugin } from "@apollo/server";
import { cacheHits, operationDuration, operationRequests, operationStatements } from "./metrics";
import { currentRequest } from "../requestScope";

// Operation names come from clients: only GraphQL names, at most this many
// distinct ones, so a client cannot blow up the metrics' cardinality.
const MAX_OPERATION_NAMES = 200;
const seen = new Set<string>();

export function operationLabel(name: string | null | undefined, resolved: boolean): string {
  if (!resolved) return "(unresolved)";
  if (!name) return "(anonymous)";
  if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return "(other)";
  if (!seen.has(name)) {
    if (seen.size >= MAX_OPERATION_NAMES) return "(other)";
    seen.add(name);
  }
  return name;
}

/** Counts and times every operation by name, with the SQL statements it sent (from the request's statement scope). */
export function operationMetricsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let label = operationLabel(undefined, false);
      return {
        async didResolveOperation(requestContext) {
          label = operationLabel(requestContext.operationName, true);
          const request = currentRequest();
          if (request) request.operationName = label;
        },
        async willSendResponse(requestContext) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const body = requestContext.response.body;
          const failed = body.kind === "single" ? (body.singleResult.errors?.length ?? 0) > 0 : false;
          operationRequests.inc({ operation: label, outcome: failed ? "error" : "ok" });
          operationDuration.observe({ operation: label }, seconds);
          const request = currentRequest();
          if (request) operationStatements.observe({ operation: label }, request.statements.count);
        },
      };
    },
  };
}

/**
 * An answer served from the HTTP response cache, which Apollo never sees:
 * counted as a response-cache hit and as an operation that sent no SQL.
 */
export function countCachedAnswer(operation: string | undefined): void {
  const label = operation ?? operationLabel(undefined, false);
  cacheHits.inc({ cache: "response" });
  operationRequests.inc({ operation: label, outcome: "ok" });
  operationStatements.observe({ operation: label }, 0);
}

import type http from "node:http";
import { Kind, parse } from "graphql";

/**
 * The caller's address: the socket's peer, or with TRUST_PROXY the first
 * X-Forwarded-For entry (only behind a proxy that sets it, or any client
 * could pick its own budget).
 */
export function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string" && forwarded.trim() !== "") return forwarded.split(",")[0].trim();
  return req.socket.remoteAddress ?? "unknown";
}

/**
 * True when the request's operation does nothing but recordView, so that
 * it is charged to the view budget. Anything unclear (no query, a parse
 * error, several operations without a name) counts as an ordinary request.
 */
export function countsViewsOnly(body: unknown, search: string, maxTokens: number): boolean {
  const fromBody = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const params = new URLSearchParams(search);
  const query = typeof fromBody.query === "string" ? fromBody.query : params.get("query");
  const operationName = typeof fromBody.operationName === "string" ? fromBody.operationName : params.get("operationName");
  // GraphQL names cannot be escaped, so a query without this text has no
  // recordView field; only the few that do are parsed here.
  if (!query || !query.includes("recordView")) return false;
  try {
    const operations = parse(query, { maxTokens }).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation || operation.operation !== "mutation") return false;
    return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === "recordView");
  } catch {
    return false;
  }
}

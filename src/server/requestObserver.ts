import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Logger } from "../logger";
import { httpRequests } from "./metrics/metrics";
import { type RequestScope, withRequestScope } from "./requestScope";

const ROUTES = new Set(["/graphql", "/graphiql", "/healthz", "/readyz", "/metrics"]);

/** A caller's x-request-id when it is a sane token (it ends up in logs and headers), otherwise a new one. */
export function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * Runs one HTTP request inside its request scope: the id goes back in
 * x-request-id and onto every log line written meanwhile; when the response
 * is finished (or the client went away) it is counted and logged once.
 */
export function observeRequest(req: http.IncomingMessage, res: http.ServerResponse, logger: Logger, handle: (requestId: string) => Promise<void>): void {
  const scope: RequestScope = { requestId: requestIdOf(req), statements: { count: 0 } };
  const started = process.hrtime.bigint();
  res.setHeader("x-request-id", scope.requestId);
  const path = (req.url ?? "/").split("?")[0];
  const route = ROUTES.has(path) ? path : path.startsWith("/graphiql/") ? "/graphiql/assets" : syndicationRoute(path) ?? "other";
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    httpRequests.inc({ route, status: String(res.statusCode) });
    // Probes come every few seconds; they are logged only at debug level.
    const level = route === "/healthz" || route === "/readyz" || route === "/metrics" ? "debug" : "info";
    if (!logger.isLevelEnabled(level)) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { method: req.method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10, operation: scope.operationName, statements: scope.statements.count };
    logger.child({ requestId: scope.requestId })[level](line, res.writableFinished ? "request" : "request aborted");
  };
  res.on("finish", finish);
  res.on("close", finish);
  void withRequestScope(scope, () => handle(scope.requestId));
}

/** Feeds and sitemaps are counted under two labels, whatever the rubric, author or month. */
function syndicationRoute(path: string): string | null {
  if (path.startsWith("/feeds/")) return "/feeds";
  return path === "/sitemap.xml" || path.startsWith("/sitemaps/") ? "/sitemaps" : null;
}

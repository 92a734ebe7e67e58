import { HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import type { ApolloServer } from "@apollo/server";
import http from "node:http";
import { randomUUID } from "node:crypto";
import type { Config } from "../config";
import { type App, type Context, createContext } from "../graphql/context";
import type { Logger } from "../logger";
import { createApollo, formatError } from "../graphql/apollo";
import { httpResponseCache } from "../cache/httpResponseCache";
import { createCacheStore } from "../cache/store";
import { watchCommits } from "../db/commits";
import { countCachedAnswer } from "./metrics/operationMetrics";
import { BodyTooLarge, readBytes } from "./guard/readBody";
import { createLiveServer } from "../live/liveServer";
import { getSchema } from "../graphql/schema";
import { createHttpGuard, errorResponse, withTimeLimit } from "./guard/httpGuard";
import { TrustedDocuments, trustedRequest } from "./guard/trustedDocuments";
import { cacheMisses, watchPool } from "./metrics/metrics";
import { sendMetrics } from "./metrics/metricsEndpoint";
import { operationMetricsPlugin } from "./metrics/operationMetrics";
import { poolStats } from "./metrics/poolStats";
import { observeRequest } from "./requestObserver";
import { currentRequest } from "./requestScope";
import { isGraphiQLRequest, sendGraphiQL } from "./graphiql/route";
import { mediaOf } from "../media/media";
import { handleMedia, isMediaPath } from "../media/routes";
import { isSyndicationPath, sendSyndication } from "../feeds/route";
import { PublicationScheduler } from "../workflow/publicationScheduler";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  try {
    return (await readBytes(req, maxBytes)).toString("utf8");
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) throw e;
    // A body declared too large is drained so that the 413 reaches the client; one that grew too large is cut off.
    if (e.declared) req.resume();
    else req.destroy();
    throw new HttpError(413, e.message);
  }
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === "") return undefined;
  if (contentType && /^application\/(graphql-response\+)?json/i.test(contentType)) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new HttpError(400, "Request body is not valid JSON.");
    }
  }
  return raw;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export interface Gateway {
  app: App;
  apollo: ApolloServer<Context>;
  http: http.Server;
  /** Publishes scheduled articles at their time while the gateway runs. */
  schedule: PublicationScheduler;
  /** Resolves once the server is listening; gives the bound address. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops taking connections, finishes requests in flight, closes the database. */
  close(): Promise<void>;
}

export async function createGateway(app: App, config: Config, logger: Logger): Promise<Gateway> {
  const cacheStore = createCacheStore(config, logger);
  const schedule = new PublicationScheduler(app.db.dataSource, { pollMs: config.schedulePollMs, version: cacheStore.version, logger });
  await schedule.start();
  const apollo = createApollo(config, logger, cacheStore, schedule);
  const answers = config.responseCache ? httpResponseCache(cacheStore.cache, cacheStore.version) : null;
  apollo.addPlugin(operationMetricsPlugin<Context>());
  await apollo.start();
  const unwatchPool = watchPool(() => poolStats(app.db.dataSource));
  const guard = createHttpGuard(app, config, logger);
  const media = mediaOf(app);
  // A committed write moves the content version: the cached answers and the feed and sitemap
  // ETags made before it (which hold the version also when the response cache is off) are retired.
  const unwatchVersion = watchCommits(app.db.dataSource, "retire", () =>
    cacheStore.version.bump().catch((err: unknown) => logger.warn({ err }, "content version bump failed")),
  );
  const trusted = config.trustedDocuments ? TrustedDocuments.load(config.trustedDocuments) : null;
  const live = createLiveServer({ app, config, logger, schema: getSchema(), guard, trusted, formatError: formatError(logger, config) });
  let closing = false;

  /** The request's body, read within MAX_BODY_BYTES, and parsed when it is JSON. */
  async function bodyOf(req: http.IncomingMessage): Promise<{ raw: string; body: unknown }> {
    const raw = req.method === "POST" ? await readBody(req, config.security.maxBodyBytes) : "";
    return { raw, body: req.method === "POST" ? parseBody(raw, req.headers["content-type"]) : undefined };
  }

  async function handleGraphQL(req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const { raw, body: sent } = await bodyOf(req);
    const out: Record<string, string> = { "x-request-id": requestId };
    let body = sent;
    let search = url.search;
    // With trusted documents, a caller without a key names a manifest document by its hash; anything
    // else is refused here, before parsing, rate limiting or any SQL.
    if (trusted && !req.headers.authorization) {
      const named = trustedRequest(trusted, sent, url.search);
      if ("refusal" in named) return send(res, errorResponse(400, named.refusal), out);
      ({ body, search } = named);
    }
    const request = currentRequest();
    const scope = request?.statements ?? { count: 0 };
    const admitted = await guard.admit(req, body, search);
    if ("refusal" in admitted) {
      if (config.benchStatementHeader) out["x-sql-statements"] = String(scope.count);
      return send(res, admitted.refusal, out);
    }
    // Readers' requests may be answered with what Apollo answered an identical one (src/cache/httpResponseCache.ts).
    const key = answers && admitted.viewer.role === "reader" ? await answers.keyOf(req, url.search, raw) : null;
    const cached = key ? await answers?.get(key).catch(() => null) : null;
    if (key && !cached) cacheMisses.inc({ cache: "response" });
    if (cached) {
      if (request) request.operationName = cached.operation;
      countCachedAnswer(cached.operation);
      if (config.benchStatementHeader) out["x-sql-statements"] = "0";
      res.writeHead(200, { ...Object.fromEntries(cached.headers), ...out });
      res.end(cached.body);
      return;
    }
    const deadline = Date.now() + config.security.requestTimeoutMs;
    if (request) request.deadline = deadline;
    const result = await withTimeLimit(
      deadline,
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search, body },
        context: async () => createContext(app, { requestId, viewer: admitted.viewer, deadline }),
      }),
    );
    if (config.benchStatementHeader) out["x-sql-statements"] = String(scope.count);
    await send(res, result, out);
    // After the answer is on its way: a slow cache store must not hold it up.
    if (key) await answers?.set(key, result, request?.operationName).catch((err: unknown) => logger.warn({ err, requestId }, "cached answer not stored"));
  }

  /** Feeds and sitemaps: rate limited like GraphQL requests (their statements count in the request's scope). */
  async function handleSyndication(req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string): Promise<void> {
    const admitted = await guard.admit(req, undefined, url.search);
    if ("refusal" in admitted) return send(res, admitted.refusal, { "x-request-id": requestId });
    await sendSyndication(req, res, url, requestId, { app, config, version: cacheStore.version, next: schedule });
  }

  /** /graphql/stream: subscriptions over Server-Sent Events, for the callers admitted as over /graphql. */
  async function handleStream(req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string): Promise<void> {
    const { body } = await bodyOf(req);
    const admitted = await guard.admit(req, body, url.search);
    if ("refusal" in admitted) return send(res, admitted.refusal, { "x-request-id": requestId });
    res.setHeader("x-request-id", requestId);
    await live.stream(req, res, body, admitted.viewer);
  }

  async function send(res: http.ServerResponse, result: HTTPGraphQLResponse, extra: Record<string, string>): Promise<void> {
    const out: Record<string, string> = { ...extra };
    for (const [key, value] of result.headers) out[key] = value;
    res.writeHead(result.status ?? 200, out);
    if (result.body.kind === "complete") {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    // While shutting down, keep-alive clients are told to reconnect elsewhere once this response is done.
    if (closing) res.setHeader("connection", "close");
    try {
      if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
      if (url.pathname === "/readyz") {
        if (closing) return sendJson(res, 503, { status: "shutting down" });
        try {
          await app.db.dataSource.query("SELECT 1");
        } catch (err) {
          // Not ready, not broken: the load balancer stops sending traffic until the database answers again.
          logger.warn({ err, requestId }, "readiness check: database does not answer");
          return sendJson(res, 503, { status: "database unavailable" });
        }
        return sendJson(res, 200, { status: "ready" });
      }
      if (url.pathname === "/metrics") return await sendMetrics(res);
      if (isSyndicationPath(url.pathname)) return await handleSyndication(req, res, url, requestId);
      if (isGraphiQLRequest(req, url.pathname)) return sendGraphiQL(req, res, url.pathname);
      if (url.pathname === "/graphql") return await handleGraphQL(req, res, url, requestId);
      if (isMediaPath(url.pathname)) return await handleMedia(req, res, url, app, media, guard);
      if (url.pathname === "/graphql/stream") return await handleStream(req, res, url, requestId);
      return sendJson(res, 404, { error: `No route for ${url.pathname}; the GraphQL endpoint is /graphql.` });
    } catch (e) {
      if (e instanceof HttpError) return sendJson(res, e.status, { errors: [{ message: e.message }] });
      const errorId = randomUUID();
      logger.error({ err: e, errorId, requestId }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR", errorId } }] });
      else res.end();
    }
  }

  const server = http.createServer(
    { keepAliveTimeout: config.keepAliveTimeoutMs, headersTimeout: config.headersTimeoutMs },
    (req, res) => observeRequest(req, res, logger, (requestId) => handle(req, res, requestId)),
  );
  // Subscriptions over WebSocket share /graphql with queries (graphql-ws).
  server.on("upgrade", (req, socket, head) => {
    if (!closing && new URL(req.url ?? "/", "http://gateway.invalid").pathname === "/graphql") live.upgrade(req, socket, head);
    else socket.destroy();
  });
  return {
    app,
    apollo,
    http: server,
    schedule,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const address = server.address();
          const bound = typeof address === "object" && address ? address.port : port;
          resolve({ url: `http://${host}:${bound}/graphql`, port: bound });
        });
      });
    },
    async close() {
      closing = true;
      // WebSockets and event streams never finish on their own: they are closed (1001, "Going away")
      // so that the server can drain, and clients reconnect to another instance.
      await live.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await schedule.stop();
      await apollo.stop();
      await guard.close();
      unwatchPool();
      unwatchVersion();
    },
  };
}

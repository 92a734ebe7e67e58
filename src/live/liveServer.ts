import type { HTTPGraphQLResponse } from "@apollo/server";
import { type ExecutionResult, type FormattedExecutionResult, GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { createHandler as createSseHandler } from "graphql-sse";
import { useServer } from "graphql-ws/use/ws";
import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Config } from "../config";
import type { App } from "../graphql/context";
import type { Logger } from "../logger";
import type { HttpGuard } from "../server/guard/httpGuard";
import { clientAddress } from "../server/guard/requestInfo";
import type { TrustedDocuments } from "../server/guard/trustedDocuments";
import type { Viewer } from "../read/viewer";
import { acquireLiveBus, createLiveBus, releaseLiveBus } from "./bus";
import { ConnectionCaps } from "./connectionCaps";
import { LiveContext } from "./eventContext";
import { type LiveParams, subscriptionPreparer } from "./prepare";

/** How a WebSocket is closed when it is refused (README, Live). graphql-ws's own codes (4400, 4403, 4408, 4409, 4429) keep their meaning. */
export const LiveCloseCode = {
  /** The key in the connection_init payload is wrong, malformed or revoked. */
  UNAUTHENTICATED: 4401,
  /** The address (or key) is over its rate limit; the reason says when to retry. */
  RATE_LIMITED: 4430,
  /** The address holds CONNECTIONS_PER_ADDRESS connections already. */
  TOO_MANY_CONNECTIONS: 4431,
  /** The instance is shutting down; connect again (to another instance). */
  GOING_AWAY: 1001,
} as const;

/** The extensions.code of a subscription refused for the connection's cap (the connection stays open). */
export const TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS";
/** The code of an event stream refused for the address's cap (HTTP 429). */
export const TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS";

export interface LiveServer {
  /** Takes over an HTTP upgrade on /graphql (graphql-ws). */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Serves one event stream on /graphql/stream (graphql-sse, distinct connections) for an admitted caller. */
  stream(req: http.IncomingMessage, res: http.ServerResponse, body: unknown, viewer: Viewer): Promise<void>;
  /** Closes every WebSocket (1001) and event stream, then the instance's live bus. */
  close(): Promise<void>;
}

type ConnectionExtra = { viewer?: Viewer };

function refusalMessage(refusal: HTTPGraphQLResponse): string {
  if (refusal.body.kind !== "complete") return "Refused.";
  try {
    return String(JSON.parse(refusal.body.string).errors?.[0]?.message ?? "Refused.");
  } catch {
    return "Refused.";
  }
}

/** WebSocket close reasons are at most 123 bytes. */
function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = `${reason.slice(0, -2)}…`;
  return reason;
}

export function createLiveServer(
  deps: {
    app: App;
    config: Config;
    logger: Logger;
    schema: GraphQLSchema;
    guard: HttpGuard;
    trusted: TrustedDocuments | null;
    formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  },
): LiveServer {
  const { app, config, logger, schema, guard } = deps;
  const ds = app.db.dataSource;
  acquireLiveBus(ds, () => createLiveBus(config, logger));
  const prepare = subscriptionPreparer(config, schema, deps.trusted);
  const caps = new ConnectionCaps(config.live.connectionsPerAddress);
  // Unknown errors are masked as over HTTP (src/graphql/apollo.ts formatError).
  const masked = (result: ExecutionResult): FormattedExecutionResult | undefined =>
    result.errors ? { ...result, errors: result.errors.map((e) => deps.formatError(e.toJSON(), e)) } : undefined;

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.security.maxBodyBytes });
  const ws = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema,
      async onConnect(ctx) {
        const key = ctx.connectionParams?.authorization;
        const request = ctx.extra.request;
        // The key travels in connection_init, not in the upgrade's headers (browsers cannot set them);
        // it is checked and rate limited exactly as an HTTP request's Authorization header.
        const withKey = Object.assign(Object.create(request) as http.IncomingMessage, {
          headers: { ...request.headers, authorization: typeof key === "string" ? key : undefined },
        });
        const admitted = await guard.admit(withKey, undefined, "");
        if ("refusal" in admitted) {
          const code = admitted.refusal.status === 401 ? LiveCloseCode.UNAUTHENTICATED : LiveCloseCode.RATE_LIMITED;
          await ctx.extra.socket.close(code, closeReason(refusalMessage(admitted.refusal)));
          return false;
        }
        ctx.extra.viewer = admitted.viewer;
        return true;
      },
      onSubscribe(ctx, _id, payload) {
        const viewer = ctx.extra.viewer as Viewer;
        if (Object.keys(ctx.subscriptions).length > config.live.subscriptionsPerConnection) {
          return [
            new GraphQLError(`This connection holds ${config.live.subscriptionsPerConnection} subscriptions already; complete one first, or open another connection.`, {
              extensions: { code: TOO_MANY_SUBSCRIPTIONS, max: config.live.subscriptionsPerConnection },
            }),
          ];
        }
        const prepared = prepare(payload as LiveParams, viewer);
        if ("errors" in prepared) return prepared.errors;
        return { schema, ...prepared, contextValue: new LiveContext(app, viewer, logger) };
      },
      onNext: (_ctx, _id, _payload, _args, result) => masked(result),
    },
    wss,
    config.live.keepAliveMs,
  );

  const sse = createSseHandler<http.IncomingMessage, { viewer: Viewer }>({
    schema,
    // onSubscribe has validated already (prepare); graphql-sse would do it twice.
    validate: () => [],
    onSubscribe(req, params) {
      const viewer = req.context.viewer;
      const prepared = prepare(params as LiveParams, viewer);
      if ("errors" in prepared) {
        return [
          JSON.stringify({ errors: prepared.errors.map((e) => e.toJSON()) }),
          { status: 400, statusText: "Bad Request", headers: { "content-type": "application/json; charset=utf-8" } },
        ];
      }
      return { schema, ...prepared, contextValue: new LiveContext(app, viewer, logger) as never };
    },
    onNext: (_ctx, _req, result) => masked(result as ExecutionResult) as never,
  });
  const streams = new Set<{ stop: () => void }>();
  let closing = false;

  return {
    upgrade(req, socket, head) {
      const address = clientAddress(req, config.security.trustProxy);
      wss.handleUpgrade(req, socket, head, (client) => {
        if (closing) return client.close(LiveCloseCode.GOING_AWAY, "Going away");
        if (!caps.tryOpen(address)) {
          return client.close(LiveCloseCode.TOO_MANY_CONNECTIONS, closeReason(`Too many connections from this address (at most ${config.live.connectionsPerAddress}).`));
        }
        client.once("close", () => caps.closed(address));
        wss.emit("connection", client, req);
      });
    },

    async stream(req, res, body, viewer) {
      const sendJson = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== "GET" && req.method !== "POST") {
        return sendJson(405, { errors: [{ message: "Event streams are opened with GET or POST (graphql-sse's distinct connections)." }] }, { allow: "GET, POST" });
      }
      if (closing) return sendJson(503, { errors: [{ message: "The instance is shutting down; connect again." }] });
      const address = clientAddress(req, config.security.trustProxy);
      if (!caps.tryOpen(address)) {
        const message = `Too many connections from this address (at most ${config.live.connectionsPerAddress}).`;
        return sendJson(429, { errors: [{ message, extensions: { code: TOO_MANY_CONNECTIONS, max: config.live.connectionsPerAddress } }] });
      }
      try {
        const [out, init] = await sse({
          method: req.method,
          url: req.url ?? "/graphql/stream",
          headers: { get: (key) => { const value = req.headers[key]; return Array.isArray(value) ? value.join("\n") : value; } },
          body: (body ?? null) as string | Record<PropertyKey, unknown> | null,
          raw: req,
          context: { viewer },
        });
        res.writeHead(init.status, init.statusText, init.headers);
        if (!out || typeof out === "string") return void res.end(out);
        const stream = { stop: () => void out.return(undefined) };
        streams.add(stream);
        res.once("close", stream.stop);
        try {
          for await (const chunk of out) {
            if (!res.writable) break;
            res.write(chunk);
          }
        } finally {
          streams.delete(stream);
          res.off("close", stream.stop);
          res.end();
        }
      } finally {
        caps.closed(address);
      }
    },

    async close() {
      closing = true;
      for (const stream of streams) stream.stop();
      await ws.dispose();
      await releaseLiveBus(ds);
    },
  };
}

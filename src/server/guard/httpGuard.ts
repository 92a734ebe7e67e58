import { HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import type http from "node:http";
import { GraphQLError } from "graphql";
import { Authenticator } from "./authenticate";
import type { Config } from "../../config";
import type { App } from "../../graphql/context";
import { ErrorCode } from "../../graphql/errors";
import type { Logger } from "../../logger";
import type { Viewer } from "../../read/viewer";
import { timedOut } from "../../db/deadline";
import { RateLimits, rateLimitRedis } from "./rateLimit";
import { clientAddress, countsViewsOnly } from "./requestInfo";

/** A GraphQL-shaped JSON error response, written by the server like Apollo's own. */
export function errorResponse(status: number, error: GraphQLError, headers: Record<string, string> = {}): HTTPGraphQLResponse {
  const { http: _http, ...extensions } = error.extensions;
  return {
    status,
    headers: new HeaderMap([["content-type", "application/json; charset=utf-8"], ...Object.entries(headers)]),
    body: { kind: "complete", string: JSON.stringify({ errors: [{ message: error.message, extensions }] }) },
  };
}

function rateLimited(retryAfter: number): HTTPGraphQLResponse {
  const error = new GraphQLError(`Too many requests; try again in ${retryAfter} s.`, {
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfter },
  });
  return errorResponse(429, error, { "retry-after": String(retryAfter) });
}

export interface HttpGuard {
  /** Who is asking, or the response that refuses them (401, 429) before Apollo or the database is involved. */
  admit(req: http.IncomingMessage, body: unknown, search: string): Promise<{ viewer: Viewer } | { refusal: HTTPGraphQLResponse }>;
  close(): Promise<void>;
}

/**
 * Authentication and rate limiting in front of Apollo. A request with a
 * bad key is charged to its address's anonymous budget before it is
 * refused, so guessing keys is rate limited like everything else.
 */
export function createHttpGuard(app: App, config: Config, logger: Logger): HttpGuard {
  const security = config.security;
  const authenticator = new Authenticator(app.db.dataSource);
  const redis = config.redisUrl ? rateLimitRedis(config.redisUrl) : null;
  redis?.on("error", (err) => logger.warn({ err: String(err) }, "rate-limit Redis unavailable; each instance limits on its own"));
  const limits = new RateLimits(security, redis, security.rateLimitPrefix);

  return {
    async admit(req, body, search) {
      const address = clientAddress(req, security.trustProxy);
      const countsViews = countsViewsOnly(body, search, security.maxTokens);
      let authenticated;
      try {
        authenticated = await authenticator.authenticate(req.headers.authorization);
      } catch (e) {
        if (!(e instanceof GraphQLError)) throw e;
        const wait = await limits.consume({ key: null, address, countsViews: false });
        return { refusal: wait === null ? errorResponse(401, e, { "www-authenticate": 'Bearer realm="newsgraph"' }) : rateLimited(wait) };
      }
      const wait = await limits.consume({ key: authenticated.key, address, countsViews });
      if (wait !== null) return { refusal: rateLimited(wait) };
      return { viewer: authenticated.viewer };
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * The response, or a TIMEOUT answer at the deadline. The work itself is
 * stopped by the request's deadline reader (see deadline.ts), which
 * refuses new statements and, on MariaDB, ends the running one.
 */
export async function withTimeLimit(deadline: number, work: Promise<HTTPGraphQLResponse>): Promise<HTTPGraphQLResponse> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<HTTPGraphQLResponse>((resolve) => {
    timer = setTimeout(() => resolve(errorResponse(504, timedOut())), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

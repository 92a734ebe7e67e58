import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { randomUUID } from "node:crypto";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { cachePolicyPlugins, type NextPublication } from "../cache/cachePolicy";
import { type CacheStore, createCacheStore } from "../cache/store";
import { compiledExecutor } from "./compiledExecutor";
import type { Config } from "../config";
import type { Context } from "./context";
import { isDatabaseUnavailable, unavailableError, unavailableStatusPlugin } from "../db/availability";
import { isStatementTimeout, timedOut } from "../db/deadline";
import { ErrorCode } from "./errors";
import type { Logger } from "../logger";
import { getSchema } from "./schema";
import { securityOptions } from "./limits/apolloSecurity";
import { formatInputError } from "./limits/inputErrors";
import { previewPrivacyPlugin } from "./previewPrivacy";

// Codes whose messages are written for clients; anything else is an
// internal failure whose message may carry SQL or host names.
const CLIENT_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.RATE_LIMITED,
  ErrorCode.TIMEOUT,
  ErrorCode.UNAVAILABLE,
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * Masks unknown errors: the client gets a generic message and an error id,
 * the log gets the real error under the same id.
 */
export function formatError(logger: Logger, config: Config) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const inputError = formatInputError(formatted, error);
    if (inputError) return inputError;
    // An outage is not a bug to hide behind an error id: clients get a stable code to retry on.
    if (isDatabaseUnavailable(error)) return unavailableError(formatted);
    // MariaDB stopped a write's statement at the request's deadline (src/db/deadline.ts).
    if (isStatementTimeout(error)) return { message: timedOut().message, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.TIMEOUT } };
    const code = String(formatted.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
    if (CLIENT_CODES.has(code)) {
      if (config.nodeEnv !== "production") return formatted;
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const errorId = randomUUID();
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    logger.error({ errorId, err: original, path: formatted.path }, "internal error");
    return {
      message: "Internal server error.",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId },
    };
  };
}

/**
 * `cacheStore`: where persisted queries live (memory, or Redis when
 * REDIS_URL is set; the serving gateway keeps its cached answers there
 * too), closed when Apollo stops. `schedule`: the publication scheduler,
 * whose next due time caps every answer's max-age (the serving gateway
 * passes it).
 */
export function createApollo(
  config: Config,
  logger: Logger,
  cacheStore: CacheStore = createCacheStore(config, logger),
  schedule?: NextPublication,
): ApolloServer<Context> {
  const security = securityOptions(config, getSchema());
  // graphql-jit takes Apollo's gateway slot; graphql-js is Apollo's own executor over the same schema.
  const execution = config.executor === "jit" ? { gateway: compiledExecutor(getSchema()) } : { schema: getSchema() };
  return new ApolloServer<Context>({
    ...execution,
    introspection: security.introspection,
    allowBatchedHttpRequests: security.allowBatchedHttpRequests,
    parseOptions: security.parseOptions,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(logger, config),
    logger,
    cache: cacheStore.cache,
    persistedQueries: { cache: cacheStore.cache },
    // Apollo would stop itself on SIGTERM, failing the requests in flight;
    // src/server/shutdown.ts drains the HTTP server first, then stops it.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...cachePolicyPlugins<Context>(getSchema(), schedule),
      ...security.plugins,
      unavailableStatusPlugin<Context>(),
      previewPrivacyPlugin<Context>(),
      {
        async serverWillStart() {
          return { serverWillStop: () => cacheStore.close() };
        },
      },
    ],
  });
}

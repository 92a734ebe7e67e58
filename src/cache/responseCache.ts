import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import responseCachePlugin from "@apollo/server-plugin-response-cache";
import type { Context } from "../context";
import type { Logger } from "../logger";
import { cacheHits, cacheMisses } from "../ops/metrics";
import { watchContentChanges } from "./contentChanges";
import type { CacheStore } from "./store";

/**
 * Only readers' responses are shared: a request that carries credentials may
 * see drafts, so it neither reads nor fills the cache.
 */
function isPublic(requestContext: GraphQLRequestContext<Context>): boolean {
  const authorized = requestContext.request.http?.headers.get("authorization");
  return !authorized && requestContext.contextValue.viewer.role === "reader";
}

/**
 * Whole-response caching driven by the schema's cache hints
 * (@cacheControl), keyed by the current content version so that an editor's
 * write retires every response cached before it.
 */
export function responseCachePlugins(store: CacheStore, logger: Logger, enabled = true): ApolloServerPlugin<Context>[] {
  // Per request: the content version read for its key, or null when the
  // request is not public or the version could not be read; either way the
  // cache is bypassed.
  const versions = new WeakMap<Context, string | null>();

  async function versionFor(requestContext: GraphQLRequestContext<Context>): Promise<string | null> {
    if (!isPublic(requestContext)) return null;
    const known = requestContext.contextValue.contentVersion;
    if (known !== undefined) return known;
    try {
      return await store.version.current();
    } catch (err) {
      logger.warn({ err }, "content version unavailable; response cache bypassed");
      return null;
    }
  }

  const usable = async (requestContext: GraphQLRequestContext<Context>) => (versions.get(requestContext.contextValue) ?? null) !== null;

  const lifecycle: ApolloServerPlugin<Context> = {
    async serverWillStart() {
      const unwatch = watchContentChanges(store.version, (err) => logger.warn({ err }, "content version bump failed"));
      return {
        async serverWillStop() {
          unwatch();
          await store.close();
        },
      };
    },
  };

  // Counts the lookups the response cache really made: public queries with a content version.
  const counting: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          if (requestContext.operation?.operation !== "query" || !(await usable(requestContext))) return;
          (requestContext.metrics.responseCacheHit ? cacheHits : cacheMisses).inc({ cache: "response" });
        },
      };
    },
  };

  // Switched off, the store still serves persisted queries and is closed on stop.
  if (!enabled) return [lifecycle];
  return [
    lifecycle,
    counting,
    responseCachePlugin<Context>({
      cache: store.cache,
      async extraCacheKeyData(requestContext) {
        const version = await versionFor(requestContext);
        versions.set(requestContext.contextValue, version);
        return { contentVersion: version };
      },
      shouldReadFromCache: usable,
      shouldWriteToCache: usable,
    }),
  ];
}

import type KeyvRedisStore from "@keyv/redis";
import { KeyvAdapter } from "@apollo/utils.keyvadapter";
import { ErrorsAreMissesCache, InMemoryLRUCache, type KeyValueCache } from "@apollo/utils.keyvaluecache";
import { Keyv } from "keyv";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { type ContentVersion, memoryContentVersion, redisContentVersion } from "./contentVersion";

/** Where cached responses, persisted queries and the content version live. */
export interface CacheStore {
  /** Whole HTTP answers (prefix http:, src/cache/httpResponseCache.ts) and automatic persisted queries (prefix apq:). */
  cache: KeyValueCache<string>;
  version: ContentVersion;
  close(): Promise<void>;
}

/** About 30 MB of cached responses per instance when there is no Redis. */
const MEMORY_CACHE_BYTES = 30 * 1024 * 1024;
/** A cache that does not answer quickly is treated as a miss, not waited for. */
const REDIS_CONNECT_TIMEOUT_MS = 2000;

function memoryStore(): CacheStore {
  return {
    cache: new InMemoryLRUCache<string>({ maxSize: MEMORY_CACHE_BYTES }),
    version: memoryContentVersion(),
    close: async () => {},
  };
}

function redisStore(url: string, namespace: string, logger: Logger): CacheStore {
  // Loaded only when Redis is configured: node-redis costs a gateway without it tens of megabytes.
  const KeyvRedis = (require("@keyv/redis") as { default: typeof KeyvRedisStore }).default;
  // Without the offline queue, commands fail at once while Redis is
  // unreachable instead of waiting for it to come back with the request.
  const redis = new KeyvRedis<string>(
    { url, socket: { connectTimeout: REDIS_CONNECT_TIMEOUT_MS }, disableOfflineQueue: true },
    { throwOnConnectError: true },
  );
  redis.on("error", (err: unknown) => logger.warn({ err }, "Redis cache error"));
  // The store prefixes keys with its namespace; Keyv must not add it again.
  const keyv = new Keyv<string>({ store: redis, namespace, useKeyPrefix: false });
  keyv.on("error", (err: unknown) => logger.warn({ err }, "Redis cache error"));
  const client = {
    get: async (key: string) => (await redis.getClient()).get(key),
    incr: async (key: string) => (await redis.getClient()).incr(key),
  };
  return {
    // Redis being down makes every lookup a miss: readers are then served
    // from the database rather than refused.
    cache: new ErrorsAreMissesCache(new KeyvAdapter(keyv), logger),
    version: redisContentVersion(client, redis.createKeyPrefix("content-version", namespace)),
    close: () => keyv.disconnect(),
  };
}

/** Redis when REDIS_URL is set (instances share cached responses and persisted queries), otherwise memory. */
export function createCacheStore(config: Config, logger: Logger): CacheStore {
  return config.redisUrl ? redisStore(config.redisUrl, config.redisKeyPrefix, logger) : memoryStore();
}

/**
 * The content version is mixed into every response-cache key. Bumping it
 * after an editor's write retires every cached response at once, so an
 * article and every list that shows it are never served from before the
 * write. Whole-cache invalidation is coarse, but it is correct without
 * knowing which cached responses contain which article, and editors write
 * rarely compared with readers reading.
 */
export interface ContentVersion {
  current(): Promise<string>;
  bump(): Promise<void>;
}

/** One process, one cache: a counter in memory. */
export function memoryContentVersion(): ContentVersion {
  let version = 0;
  return {
    current: async () => String(version),
    bump: async () => {
      version += 1;
    },
  };
}

/** Several instances sharing Redis: one counter in Redis that every instance reads per request. */
export function redisContentVersion(
  client: { get(key: string): Promise<string | null>; incr(key: string): Promise<number> },
  key: string,
): ContentVersion {
  return {
    current: async () => (await client.get(key)) ?? "0",
    bump: async () => {
      await client.incr(key);
    },
  };
}

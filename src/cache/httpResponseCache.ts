import type { HTTPGraphQLResponse } from "@apollo/server";
import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import { createHash } from "node:crypto";
import type http from "node:http";
import type { ContentVersion } from "./contentVersion";

/** What the cache policy (src/cache/cachePolicy.ts) writes for a response any cache may keep. */
const SHAREABLE = /^max-age=(\d+), public$/;

/** Request headers that change Apollo's answer to the same body and query string. */
const VARYING_HEADERS = ["content-type", "accept", "apollo-require-preflight", "x-apollo-operation-name"];

const PREFIX = "http:";

export interface CachedResponse {
  headers: [string, string][];
  body: string;
  /** The operation's metrics label, so that a hit is counted under its name. */
  operation: string | undefined;
}

export interface HttpResponseCache {
  /** The cache key of a request anyone may be given the same answer to (it holds the current content version); or null. */
  keyOf(req: http.IncomingMessage, search: string, rawBody: string): Promise<string | null>;
  get(key: string): Promise<CachedResponse | null>;
  /** Keeps Apollo's answer when its Cache-Control says any cache may, for as long as it says. */
  set(key: string, response: HTTPGraphQLResponse, operation: string | undefined): Promise<void>;
}

/**
 * The gateway's one response cache: whole HTTP answers, kept as the bytes
 * Apollo sent, in front of Apollo.
 *
 * It does what a CDN in front of the gateway does, in the process: a
 * request identical to one Apollo answered with `Cache-Control: max-age=N,
 * public` (same method, query string, body and the headers Apollo reads)
 * gets the same bytes for N seconds, with an Age header, without Apollo, a
 * resolver or SQL. (Apollo's response cache plugin, which this replaced,
 * still ran the request pipeline and parsed and serialized the stored JSON
 * again: a third of this one's throughput on a cached article page, see
 * BENCHMARKS.md.) The key holds the content version, so a committed write
 * retires every answer at once. Only anonymous requests qualify, and the
 * rate limits and the API key check run before it. Entries live in the
 * cache store (memory, or Redis shared by every instance), each stored
 * once per miss.
 */
export function httpResponseCache(store: KeyValueCache<string>, version: ContentVersion): HttpResponseCache {
  return {
    async keyOf(req, search, rawBody) {
      if (req.headers.authorization !== undefined || (req.method !== "GET" && req.method !== "POST")) return null;
      let current: string;
      try {
        current = await version.current();
      } catch {
        // Without the version an answer could outlive an edit: no caching then.
        return null;
      }
      const parts = [current, req.method, search, rawBody, ...VARYING_HEADERS.map((h) => String(req.headers[h] ?? ""))];
      return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
    },

    async get(key) {
      const stored = await store.get(PREFIX + key);
      if (stored === undefined) return null;
      // One line of metadata, then the body as Apollo wrote it.
      const newline = stored.indexOf("\n");
      const meta = JSON.parse(stored.slice(0, newline)) as { headers: [string, string][]; storedAt: number; operation?: string };
      const age = Math.max(0, Math.floor((Date.now() - meta.storedAt) / 1000));
      return { headers: [...meta.headers, ["age", String(age)]], body: stored.slice(newline + 1), operation: meta.operation };
    },

    async set(key, response, operation) {
      if ((response.status ?? 200) !== 200 || response.body.kind !== "complete" || response.headers.has("set-cookie")) return;
      const maxAge = Number(SHAREABLE.exec(response.headers.get("cache-control") ?? "")?.[1] ?? 0);
      if (maxAge <= 0) return;
      const meta = { headers: [...response.headers], storedAt: Date.now(), operation };
      await store.set(PREFIX + key, `${JSON.stringify(meta)}\n${response.body.string}`, { ttl: maxAge });
    },
  };
}

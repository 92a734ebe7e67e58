// The one place that reads process.env. Everything else imports `config`
// (or calls loadConfig with an explicit environment in tests), so a bad
// setting fails at start-up with a sentence naming the variable.
import path from "node:path";

export type DatabaseKind = "sqlite" | "mysql";

export interface Config {
  readonly nodeEnv: "development" | "production" | "test";
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string | undefined;
  readonly databaseKind: DatabaseKind;
  /** SQLite file used when DATABASE_URL is absent. */
  readonly sqlitePath: string;
  readonly replicaUrls: readonly string[];
  readonly redisUrl: string | undefined;
  /** Namespace of this deployment's keys in Redis (cached responses, persisted queries, content version). */
  readonly redisKeyPrefix: string;
  /** Whole-response caching (RESPONSE_CACHE, default true); Cache-Control headers are sent either way. */
  readonly responseCache: boolean;
  /** Who executes operations: graphql-jit (compiled, the default) or graphql-js (Apollo's own interpreter). */
  readonly executor: "jit" | "graphql-js";
  /** How far the JavaScript heap may grow past its live data before a full collection, in percent; 0 leaves V8's own rule. */
  readonly heapGrowthPercent: number;
  readonly logLevel: string;
  readonly testMysqlUrl: string | undefined;
  /**
   * How long an idle keep-alive connection stays open, and how long a
   * request's headers may take. Above the idle timeouts of the proxies a
   * gateway sits behind (60 s on the common load balancers), so that the
   * proxy, not Node, closes an idle connection and never sends a request on
   * a socket Node is closing.
   */
  readonly keepAliveTimeoutMs: number;
  readonly headersTimeoutMs: number;
  /** On SIGTERM: how long requests in flight may take to finish before their connections are cut (src/server/shutdown.ts). */
  readonly shutdownGraceMs: number;
  /** How often the publication scheduler looks for articles other instances scheduled (SCHEDULE_POLL_SECONDS); 0 never. */
  readonly schedulePollMs: number;
  /** Largest page a list field accepts (first/last). */
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  /** Benchmark only: answer each /graphql request with an x-sql-statements header. */
  readonly benchStatementHeader: boolean;
  /** Request and query limits (README, Security). */
  readonly security: SecurityConfig;
  /** Uploaded images and their renditions (README, Images). */
  readonly media: MediaConfig;
  /** The public site: absolute URLs in feeds, sitemaps and structured data. */
  readonly site: SiteConfig;
  /** Subscriptions over WebSocket and Server-Sent Events (README, Live). */
  readonly live: LiveConfig;
  /** TRUSTED_DOCUMENTS: the manifest (hash -> document) anonymous callers are held to; absent: any document. */
  readonly trustedDocuments: string | undefined;
  /** Webhook endpoints and deliveries (README, Webhooks). */
  readonly webhooks: WebhookConfig;
}

export interface SiteConfig {
  /** SITE_URL without a trailing slash; an article's URL is this plus its path. */
  readonly url: string;
  /** SITE_NAME: the publisher's name in feeds and structured data. */
  readonly name: string;
  /** PUBLISHER_LOGO_URL: the publisher's logo in structured data, when set. */
  readonly logoUrl: string | undefined;
}

export interface LiveConfig {
  /** Subscriptions one WebSocket connection may hold at once. */
  readonly subscriptionsPerConnection: number;
  /** WebSocket and event-stream connections one client address may hold at once. */
  readonly connectionsPerAddress: number;
  /** How often a WebSocket is pinged; one that has not answered by the next ping is closed. */
  readonly keepAliveMs: number;
}

export interface WebhookConfig {
  /** Let endpoints resolve to loopback, private, link-local and other non-public addresses (WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
  /** Whether this instance runs the delivery worker; every instance writes the outbox either way. */
  readonly deliver: boolean;
  /** Wait before the first retry; each later one waits twice as long (at most an hour). */
  readonly retryBaseMs: number;
  /** How long after its event a delivery is still retried; then it has failed for good. */
  readonly retryWindowMs: number;
  /** An attempt (connect, send, answer) that takes longer is cut and counts as failed. */
  readonly timeoutMs: number;
  /** How often the worker looks for due deliveries when it has nothing to do. */
  readonly pollMs: number;
  /** How long a finished (delivered or failed) delivery stays in an endpoint's history. */
  readonly historyMs: number;
}

export interface MediaS3Config {
  readonly bucket: string;
  /** S3-compatible endpoint URL; absent: AWS's own for the region. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  /** Key prefix inside the bucket, so that several deployments can share one. */
  readonly prefix: string;
}

export interface MediaConfig {
  /** Local store folder, used when no S3 bucket is configured. */
  readonly dir: string;
  readonly s3: MediaS3Config | null;
  /** Largest upload body. */
  readonly maxImageBytes: number;
  /** Largest image, in pixels (width times height), read from its header before decoding. */
  readonly maxImagePixels: number;
  /** Rendition widths anyone may ask for; others need a signed URL. */
  readonly widths: readonly number[];
  /** Secret that signs rendition URLs of other widths; absent: only the configured widths. */
  readonly urlSecret: string | undefined;
  /** Prefix of rendition URLs (e.g. a CDN's origin); empty: paths on this gateway. */
  readonly baseUrl: string;
}

export interface SecurityConfig {
  /** Largest query cost (fields times page sizes) an operation may have. */
  readonly maxCost: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxBodyBytes: number;
  /** Wall-clock budget of one request, database statements included. */
  readonly requestTimeoutMs: number;
  /** Anonymous requests per minute per client address; 0 turns rate limiting off. */
  readonly rateLimit: number;
  /** recordView calls per minute per client (address or key), a budget of its own. */
  readonly viewRateLimit: number;
  /** Budget of a key created without --rate. */
  readonly defaultKeyRate: number;
  readonly introspection: boolean;
  readonly fieldSuggestions: boolean;
  /** Trust X-Forwarded-For for the client address (behind a proxy only). */
  readonly trustProxy: boolean;
  /** Prefix of the rate-limit keys in Redis: REDIS_KEY_PREFIX + ":rl" (instances that share it share budgets). */
  readonly rateLimitPrefix: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

function securityConfig(env: NodeJS.ProcessEnv, production: boolean): SecurityConfig {
  return Object.freeze({
    maxCost: integer(env, "MAX_QUERY_COST", 25_000, 1, 10_000_000),
    maxDepth: integer(env, "MAX_QUERY_DEPTH", 8, 1, 100),
    maxAliases: integer(env, "MAX_QUERY_ALIASES", 15, 0, 1000),
    maxDirectives: integer(env, "MAX_QUERY_DIRECTIVES", 50, 0, 1000),
    maxTokens: integer(env, "MAX_QUERY_TOKENS", 1000, 10, 1_000_000),
    maxBodyBytes: integer(env, "MAX_BODY_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 10_000, 100, 600_000),
    rateLimit: integer(env, "RATE_LIMIT", 300, 0, 1_000_000),
    viewRateLimit: integer(env, "VIEW_RATE_LIMIT", 60, 0, 1_000_000),
    defaultKeyRate: integer(env, "KEY_RATE_LIMIT", 6000, 1, 10_000_000),
    introspection: flag(env, "INTROSPECTION", !production),
    fieldSuggestions: flag(env, "FIELD_SUGGESTIONS", !production),
    trustProxy: flag(env, "TRUST_PROXY", false),
    rateLimitPrefix: `${env.REDIS_KEY_PREFIX || "newsgraph"}:rl`,
  });
}

function absoluteUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http:// or https:// URL, got "${raw}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`${name} must be an absolute http:// or https:// URL, got "${raw}".`);
  if (url.search || url.hash) throw new ConfigError(`${name} must not have a query or a fragment, got "${raw}".`);
  return url.toString().replace(/\/+$/, "");
}

function siteConfig(env: NodeJS.ProcessEnv, host: string, port: number): SiteConfig {
  return Object.freeze({
    // Without SITE_URL, links point at the gateway itself: right for a look around, wrong in production.
    url: absoluteUrl(env, "SITE_URL") ?? `http://${host}:${port}`,
    name: env.SITE_NAME || "newsgraph",
    logoUrl: absoluteUrl(env, "PUBLISHER_LOGO_URL"),
  });
}

function webhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  return Object.freeze({
    allowPrivate: flag(env, "WEBHOOK_ALLOW_PRIVATE", false),
    deliver: flag(env, "WEBHOOK_DELIVERY", true),
    retryBaseMs: integer(env, "WEBHOOK_RETRY_BASE_MS", 5000, 1, 3_600_000),
    retryWindowMs: integer(env, "WEBHOOK_RETRY_WINDOW_MS", 24 * 3_600_000, 0, 30 * 24 * 3_600_000),
    timeoutMs: integer(env, "WEBHOOK_TIMEOUT_MS", 10_000, 100, 120_000),
    pollMs: integer(env, "WEBHOOK_POLL_MS", 1000, 10, 60_000),
    historyMs: integer(env, "WEBHOOK_HISTORY_DAYS", 30, 1, 3650) * 86_400_000,
  });
}

function widthList(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parts = raw.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > MAX_RENDITION_WIDTH)) {
    throw new ConfigError(`${name} must be comma-separated whole numbers from 1 to ${MAX_RENDITION_WIDTH}, got "${raw}".`);
  }
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

/** Widest rendition the gateway makes, signed or not. */
export const MAX_RENDITION_WIDTH = 4096;

function mediaConfig(env: NodeJS.ProcessEnv, cwd: string): MediaConfig {
  const bucket = env.MEDIA_S3_BUCKET || undefined;
  const endpoint = env.MEDIA_S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) throw new ConfigError(`MEDIA_S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}".`);
  if ((env.MEDIA_S3_ACCESS_KEY_ID ? 1 : 0) + (env.MEDIA_S3_SECRET_ACCESS_KEY ? 1 : 0) === 1) {
    throw new ConfigError("MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY must be set together.");
  }
  const secret = env.MEDIA_URL_SECRET || undefined;
  if (secret !== undefined && secret.length < 16) throw new ConfigError("MEDIA_URL_SECRET must be at least 16 characters long.");
  const baseUrl = (env.MEDIA_BASE_URL ?? "").replace(/\/+$/, "");
  if (baseUrl !== "" && !/^https?:\/\/[^/\s]+/.test(baseUrl)) throw new ConfigError(`MEDIA_BASE_URL must be an http:// or https:// URL, got "${baseUrl}".`);
  return Object.freeze({
    dir: path.resolve(cwd, env.MEDIA_DIR || path.join("data", "media")),
    s3: bucket
      ? Object.freeze({
          bucket,
          endpoint,
          region: env.MEDIA_S3_REGION || "us-east-1",
          accessKeyId: env.MEDIA_S3_ACCESS_KEY_ID || undefined,
          secretAccessKey: env.MEDIA_S3_SECRET_ACCESS_KEY || undefined,
          prefix: (env.MEDIA_S3_PREFIX ?? "").replace(/^\/+|\/+$/g, ""),
        })
      : null,
    maxImageBytes: integer(env, "MAX_IMAGE_BYTES", 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxImagePixels: integer(env, "MAX_IMAGE_PIXELS", 50_000_000, 1, 1_000_000_000),
    widths: Object.freeze(widthList(env, "MEDIA_WIDTHS", [160, 320, 640, 1024, 1200, 1600, 2048])),
    urlSecret: secret,
    baseUrl,
  });
}

function executorOf(raw: string | undefined): Config["executor"] {
  if (raw === undefined || raw === "" || raw === "jit") return "jit";
  if (raw === "graphql-js") return "graphql-js";
  throw new ConfigError(`GRAPHQL_EXECUTOR must be jit or graphql-js, got "${raw}".`);
}

function httpTimeouts(env: NodeJS.ProcessEnv): Pick<Config, "keepAliveTimeoutMs" | "headersTimeoutMs"> {
  const keepAliveTimeoutMs = integer(env, "KEEP_ALIVE_TIMEOUT_MS", 75_000, 1000, 3_600_000);
  // Node's request timeout (300 s) caps the headers timeout.
  const headersTimeoutMs = integer(env, "HEADERS_TIMEOUT_MS", Math.min(keepAliveTimeoutMs + 1000, 300_000), 1000, 300_000);
  if (headersTimeoutMs <= keepAliveTimeoutMs)
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must be longer than KEEP_ALIVE_TIMEOUT_MS (${keepAliveTimeoutMs}).`);
  return { keepAliveTimeoutMs, headersTimeoutMs };
}

function databaseKindOf(url: string | undefined): DatabaseKind {
  if (url === undefined || url === "") return "sqlite";
  if (/^(mysql|mariadb):\/\//.test(url)) return "mysql";
  if (/^sqlite:/.test(url)) return "sqlite";
  throw new ConfigError(`DATABASE_URL must start with mysql://, mariadb:// or sqlite:, got "${url.replace(/\/\/[^@]*@/, "//***@")}".`);
}

function sqlitePathOf(url: string | undefined, cwd: string): string {
  if (url && url.startsWith("sqlite:")) {
    const p = url.slice("sqlite:".length).replace(/^\/\//, "");
    return p === ":memory:" ? p : path.resolve(cwd, p);
  }
  return path.resolve(cwd, "data", "newsgraph.sqlite");
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const nodeEnv = env.NODE_ENV === "production" || env.NODE_ENV === "test" ? env.NODE_ENV : "development";
  const databaseUrl = env.DATABASE_URL || undefined;
  const replicaUrls = (env.DATABASE_REPLICA_URLS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const url of replicaUrls) {
    if (databaseKindOf(url) !== "mysql") throw new ConfigError("DATABASE_REPLICA_URLS must list mysql:// URLs.");
  }
  const host = env.HOST || "127.0.0.1";
  const port = integer(env, "PORT", 4000, 0, 65535);
  return Object.freeze({
    nodeEnv,
    host,
    port,
    databaseUrl,
    databaseKind: databaseKindOf(databaseUrl),
    sqlitePath: sqlitePathOf(databaseUrl, cwd),
    replicaUrls: Object.freeze(replicaUrls),
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || "newsgraph",
    responseCache: flag(env, "RESPONSE_CACHE", true),
    executor: executorOf(env.GRAPHQL_EXECUTOR),
    heapGrowthPercent: integer(env, "HEAP_GROWTH_PERCENT", 100, 0, 1000),
    logLevel: env.LOG_LEVEL || (nodeEnv === "test" ? "silent" : "info"),
    testMysqlUrl: env.TEST_MYSQL_URL || undefined,
    ...httpTimeouts(env),
    // Below Kubernetes' default 30 s termination grace, so that we exit before being killed.
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_MS", 25_000, 0, 600_000),
    schedulePollMs: integer(env, "SCHEDULE_POLL_SECONDS", 10, 0, 3600) * 1000,
    maxPageSize: 100,
    defaultPageSize: 20,
    benchStatementHeader: env.BENCH_STATEMENT_HEADER === "1",
    security: securityConfig(env, nodeEnv === "production"),
    media: mediaConfig(env, cwd),
    site: siteConfig(env, host, port),
    live: Object.freeze({
      subscriptionsPerConnection: integer(env, "SUBSCRIPTIONS_PER_CONNECTION", 20, 1, 10_000),
      connectionsPerAddress: integer(env, "CONNECTIONS_PER_ADDRESS", 50, 1, 1_000_000),
      keepAliveMs: integer(env, "LIVE_KEEPALIVE_MS", 12_000, 1000, 600_000),
    }),
    trustedDocuments: env.TRUSTED_DOCUMENTS ? path.resolve(cwd, env.TRUSTED_DOCUMENTS) : undefined,
    webhooks: webhookConfig(env),
  });
}

export const config: Config = loadConfig();

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
  readonly logLevel: string;
  readonly testMysqlUrl: string | undefined;
  /** Largest page a list field accepts (first/last). */
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  /** Benchmark only: answer each /graphql request with an x-sql-statements header. */
  readonly benchStatementHeader: boolean;
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
  return Object.freeze({
    nodeEnv,
    host: env.HOST || "127.0.0.1",
    port: integer(env, "PORT", 4000, 0, 65535),
    databaseUrl,
    databaseKind: databaseKindOf(databaseUrl),
    sqlitePath: sqlitePathOf(databaseUrl, cwd),
    replicaUrls: Object.freeze(replicaUrls),
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || "newsgraph",
    logLevel: env.LOG_LEVEL || (nodeEnv === "test" ? "silent" : "info"),
    testMysqlUrl: env.TEST_MYSQL_URL || undefined,
    maxPageSize: 100,
    defaultPageSize: 20,
    benchStatementHeader: env.BENCH_STATEMENT_HEADER === "1",
  });
}

export const config: Config = loadConfig();

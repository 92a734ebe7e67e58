import path from "node:path";
import { type LoadResult, runLoad } from "./load";
import type { BenchOptions } from "./options";
import { freePort, type PeakRss, type Server, startServer } from "./processes";
import { GATEWAY_NODE_FLAGS } from "../src/server/nodeFlags";

/** One measured run after a warm-up, with the pause that lets requests still queued from it finish before the next. */
export async function measured(
  server: Server,
  bodies: string[],
  connections: number,
  o: Pick<BenchOptions, "warmup" | "duration">,
  log: (line: string) => void,
  rss?: PeakRss,
): Promise<LoadResult & { peakRssMb: number }> {
  // Requests accepted before autocannon stopped are still running; let them finish before the next run.
  const settle = (r: LoadResult) => new Promise((done) => setTimeout(done, Math.min(5000, r.p99 + 150)));
  if (o.warmup > 0) await settle(await runLoad(server.url, bodies, connections, o.warmup));
  rss?.start();
  const result = await runLoad(server.url, bodies, connections, o.duration);
  const peakRssMb = rss ? rss.stop() : 0;
  if (result.failures > 0) log(`${server.name} failed ${result.failures} requests; its last output:\n${server.output().slice(-600)}`);
  await settle(result);
  return { ...result, peakRssMb };
}

/**
 * The gateway as the benchmark runs it: production mode, no rate limits, the statement header on, the response cache off unless `env` says otherwise.
 * With the gateway's node flags (src/server/nodeFlags.ts), as `npm start` runs it.
 * `build`: the compiled tree to run (another checkout's dist, to compare two versions side by side); this one by default.
 * `nodeFlags`: other node flags than the gateway's, to measure the flags themselves.
 */
export async function startGateway(
  name: string,
  databaseUrl: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  build = path.resolve(__dirname, ".."),
  nodeFlags: readonly string[] = GATEWAY_NODE_FLAGS,
): Promise<Server> {
  const port = await freePort();
  return startServer(
    name,
    [...nodeFlags, ...nodeArgs, path.join(build, "src", "cli.js"), "serve"],
    {
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      BENCH_STATEMENT_HEADER: "1",
      // The floors cache nothing: compare like with like.
      RESPONSE_CACHE: "false",
      // Every request comes from one loopback address; per-client limits would measure the limiter.
      RATE_LIMIT: "0",
      VIEW_RATE_LIMIT: "0",
      ...env,
    },
    port,
    "/healthz",
  );
}

/** A floor server (bench/floor.ts) of the given kind over the database. */
export async function startFloor(kind: "gateway-sql" | "hand-written", databaseUrl: string): Promise<Server> {
  const port = await freePort();
  // The floors run with the gateway's node flags: like with like.
  return startServer(kind === "hand-written" ? "hand-written floor" : "floor", [...GATEWAY_NODE_FLAGS, path.resolve(__dirname, "floor.js"), databaseUrl, String(port), kind], {}, port, "/healthz");
}

/** The middle element by `key` (the upper one of an even count): the median round of a server measured in rounds. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}

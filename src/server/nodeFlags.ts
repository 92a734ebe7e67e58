import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";

/**
 * The V8 flags the gateway runs with: `npm start` and the `newsgraph` bin
 * (its first line) pass them to node, and the benchmark starts the gateway
 * and both floors with them. They cannot be set from inside the process:
 * V8 sizes the young generation when the process starts.
 *
 * `--max-semi-space-size=16` (MB): the young generation's size pinned
 * at Node 20's default, so that a newer Node with another default does
 * not take the gateway past the 250 MB it is held to at concurrency 32.
 * A larger one saves CPU (a page of teasers allocates most of a megabyte
 * that is garbage a few milliseconds later, and with 32 requests in
 * flight 16 MB fills before their objects die), but V8 rounds the size
 * up to a power of two, so the next size is 32 MB (24 runs as 32): it
 * gained 5-10% of throughput per page and cost about 30 MB at peak, 245
 * to 254 MB in long runs against 211 MB. What each size gains and costs
 * is in BENCHMARKS.md.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16"];

/**
 * The V8 flags `newsgraph import` runs with (the command starts node again
 * with them, see relaunchWith; the import benchmark runs with them too).
 * A 64 MB young generation: an import allocates about 250 KB per page that
 * dies within a group, and with Node's 16 MB the collector ran 230 times
 * per 10,000 pages and took a fifth of the import's main thread (2.3 s
 * against 1.5 s at 64 MB). Its memory is the importer's, not a gateway's.
 */
export const IMPORT_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];

/**
 * Runs this same command again in a node started with `flags`, unless this
 * process already has them, and gives its exit status (null: this process
 * has them and goes on). Output passes straight through; SIGINT and SIGTERM
 * sent to this process are passed on, so that stopping it stops the import.
 */
export async function relaunchWith(flags: readonly string[]): Promise<number | null> {
  // Started again already: it never starts itself a second time, whatever its flags say.
  if (flags.every((f) => process.execArgv.includes(f)) || process.env[RELAUNCHED]) return null;
  // The last of two values of a flag counts, so these override the bin's own.
  const child = spawn(process.execPath, [...nodeOptions(), ...flags, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [RELAUNCHED]: "1" },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  for (const signal of signals) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
    });
  } finally {
    for (const signal of signals) process.off(signal, forward);
  }
}

const RELAUNCHED = "NEWSGRAPH_RELAUNCHED";

/** This process's node options (a loader such as -r @swc-node/register), without code given inline (-e, -p), which would run instead of the script. */
export function nodeOptions(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i];
    if (["-e", "--eval", "-p", "--print"].includes(arg)) i++;
    else if (!/^--(eval|print)=/.test(arg)) out.push(arg);
  }
  return out;
}

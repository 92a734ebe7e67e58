/**
 * The V8 flags the gateway runs with: `npm start` and the `newsgraph` bin
 * (its first line) pass them to node, and the benchmark starts the gateway
 * and both floors with them. They cannot be set from inside the process:
 * V8 sizes the young generation when the process starts.
 *
 * `--max-semi-space-size=24` (MB; Node 20's default is 16): a page of
 * teasers allocates most of a megabyte that is garbage a few milliseconds
 * later, and with 32 requests in flight a 16 MB young generation fills
 * before their objects die, so each scavenge copies (and promotes) the
 * live objects of dozens of requests. 32 MB cut the gateway's CPU per
 * front page by about a tenth at concurrency 32, but in a long benchmark
 * run its peak RSS reached 254 MB, over the 250 MB the gateway is held
 * to, and so did 24 MB (253.6 MB; 214 MB with the default 16 MB over the
 * same operations). What each size gains and costs is in BENCHMARKS.md.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=24"];

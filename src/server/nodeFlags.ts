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

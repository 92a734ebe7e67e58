import autocannon from "autocannon";

// One measured run: autocannon over loopback, cycling through the
// operation's request bodies so that consecutive requests ask for
// different things.

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** Non-2xx answers, socket errors and timeouts; a healthy run has none. */
  failures: number;
}

const SAMPLE_MS = 100;

export async function runLoad(url: string, bodies: string[], connections: number, seconds: number): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/graphql`,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    // autocannon checks for the end of a run once per sample; with its
    // default of a second, a 1.5 s run would last 2 s.
    sampleInt: SAMPLE_MS,
    requests: [
      {
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json" },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  return loadResult(result, connections);
}

/** What the report keeps of an autocannon run. */
export function loadResult(result: autocannon.Result, connections: number): LoadResult {
  return {
    connections,
    seconds: result.duration,
    requests: result.requests.total,
    // Per second of the run, not autocannon's average per sample.
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

import { Writable } from "node:stream";
import { createLogger } from "../../src/logger";
import { withRequestScope } from "../../src/server/requestScope";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

/** A logger made the way src/logger.ts makes the process's, writing its JSON lines into an array. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        raw.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { logger: createLogger("debug", stream), lines, raw };
}

/** Parses Prometheus text exposition into "name{labels}" -> value. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function sample(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  for (const [key, value] of metrics) {
    const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
    if (!match || match[1] !== name) continue;
    const have = new Map([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return value;
  }
  return 0;
}

describe.each(databaseKinds())("observability on %s", (kind) => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  let base: string;
  const log = capturingLogger();

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 40, seed: 11 } });
    http = await startHttpGateway(gw, {}, log.logger);
    base = http.url.replace(/\/graphql$/, "");
  });
  afterAll(() => http?.close().then(() => gw.close()));

  async function metrics(): Promise<Map<string, number>> {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await res.text());
  }

  test("/healthz answers while the process lives; /readyz once the database answers", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  test("requests, latency and SQL statements are recorded per operation name", async () => {
    const operation = `ObservedFrontPage_${kind}`;
    const before = await metrics();
    const r = await http.post({ query: `query ${operation} { articles(first: 5) { edges { node { title author { name } rubrics { name } } } } }` });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.statements).toBeGreaterThan(0);
    const bad = await http.post({ query: `query ${operation} { article(slug: "a", path: "b") { id } }` });
    expect(bad.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const after = await metrics();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("newsgraph_graphql_operations_total", { operation, outcome: "ok" })).toBe(1);
    expect(delta("newsgraph_graphql_operations_total", { operation, outcome: "error" })).toBe(1);
    expect(delta("newsgraph_graphql_operation_duration_seconds_count", { operation })).toBe(2);
    expect(delta("newsgraph_graphql_operation_duration_seconds_sum", { operation })).toBeGreaterThan(0);
    // The histogram's sum is the statements both requests sent: the first one's, and none for the refused lookup.
    expect(delta("newsgraph_graphql_operation_sql_statements_sum", { operation })).toBe(r.statements);
    expect(delta("newsgraph_http_requests_total", { route: "/graphql", status: "200" })).toBe(2);
  });

  test("DataLoader batch sizes are recorded per loader: one batch holding every article of the page", async () => {
    const before = await metrics();
    const r = await http.post({ query: `query BatchProbe_${kind} { articles(first: 12) { edges { node { id tags { id } } } } }` });
    expect(r.body.errors).toBeUndefined();
    const edges = (r.body.data as { articles: { edges: { node: { id: string } }[] } }).articles.edges;
    expect(edges.length).toBeGreaterThan(1);
    const after = await metrics();
    const delta = (name: string) => sample(after, name, { loader: "tagsByArticleId" }) - sample(before, name, { loader: "tagsByArticleId" });
    expect(delta("newsgraph_dataloader_batch_size_count")).toBe(1);
    expect(delta("newsgraph_dataloader_batch_size_sum")).toBe(new Set(edges.map((e) => e.node.id)).size);
  });

  test("the connection pool and the cache counters are exposed", async () => {
    const m = await metrics();
    for (const name of ["newsgraph_db_pool_size", "newsgraph_db_pool_in_use", "newsgraph_db_pool_idle", "newsgraph_db_pool_waiting"]) {
      expect([...m.keys()].some((k) => k.startsWith(name))).toBe(true);
    }
    // Other suites' gateways may be open in this process; ours contributes at least its own pool.
    expect(sample(m, "newsgraph_db_pool_size")).toBeGreaterThanOrEqual(kind === "sqlite" ? 1 : 10);
    expect(sample(m, "newsgraph_db_pool_waiting")).toBe(0);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain("# TYPE newsgraph_cache_hits_total counter");
    expect(text).toContain("# TYPE newsgraph_cache_misses_total counter");
  });

  test("response cache lookups count as a miss, then a hit", async () => {
    const query = `query CacheCounted_${kind} { archive { years { year count } } }`;
    const before = await metrics();
    const first = await http.post({ query });
    const second = await http.post({ query });
    expect(first.body.errors).toBeUndefined();
    expect(second.statements).toBe(0);
    const after = await metrics();
    const delta = (name: string) => sample(after, name, { cache: "response" }) - sample(before, name, { cache: "response" });
    expect(delta("newsgraph_cache_misses_total")).toBe(1);
    expect(delta("newsgraph_cache_hits_total")).toBe(1);
  });

  test("a caller's x-request-id comes back and labels the request's log line; a missing or unsafe one is replaced", async () => {
    const r = await http.post({ query: `query Logged_${kind} { articles(first: 2) { totalCount } }` }, { "x-request-id": `trace-${kind}-42` });
    expect(r.headers.get("x-request-id")).toBe(`trace-${kind}-42`);
    const line = log.lines.find((l) => l.requestId === `trace-${kind}-42`);
    expect(line).toMatchObject({ msg: "request", route: "/graphql", status: 200, operation: `Logged_${kind}`, statements: r.statements, service: "newsgraph" });

    const unsafe = await http.post({ query: "{ articles(first: 1) { totalCount } }" }, { "x-request-id": "bad id\twith spaces" });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await fetch(`${base}/healthz`);
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("request ids in log lines", () => {
  test("every line written inside a request scope carries its id, once; lines outside carry none", () => {
    const { logger, lines, raw } = capturingLogger();
    withRequestScope({ requestId: "req-1", statements: { count: 0 } }, () => {
      logger.info("from the process logger");
      logger.child({ component: "cache" }).warn("from a child logger");
      logger.child({ requestId: "req-1" }).info("from a request's own logger");
    });
    logger.info("outside any request");
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ["from the process logger", "req-1"],
      ["from a child logger", "req-1"],
      ["from a request's own logger", "req-1"],
      ["outside any request", undefined],
    ]);
    expect(raw.map((l) => l.split('"requestId"').length - 1)).toEqual([1, 1, 1, 0]);
  });
});

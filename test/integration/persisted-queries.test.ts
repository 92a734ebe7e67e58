import { createHash } from "node:crypto";
import { loadConfig } from "../../src/config";
import { getSchema } from "../../src/graphql/schema";
import { createGateway, type Gateway } from "../../src/server/gateway";
import { defaultCacheHints } from "../helpers/cacheHints";
import { createTestGateway, silentLogger, type TestGateway } from "../helpers/gateway";
import { RedisProbe, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";

const QUERY = "query Latest { articles(first: 3) { edges { node { id title } } } }";
const HASH = createHash("sha256").update(QUERY).digest("hex");
const EXTENSIONS = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: HASH } });
// Apollo's CSRF prevention answers a GET only when it carries a header a browser form cannot send.
const PREFLIGHT = { "apollo-require-preflight": "true" };

interface Answer {
  status: number;
  cacheControl: string | null;
  body: { data?: { articles: { edges: unknown[] } }; errors?: { extensions?: { code?: string } }[] };
}

async function get(url: string, params: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${url}?${new URLSearchParams(params)}`, { headers: PREFLIGHT });
  return { status: res.status, cacheControl: res.headers.get("cache-control"), body: (await res.json()) as Answer["body"] };
}

const hashOnly = (url: string) => get(url, { operationName: "Latest", extensions: EXTENSIONS });

beforeAll(() => defaultCacheHints(getSchema()));

describe("automatic persisted queries over HTTP, stored in Redis", () => {
  let tg: TestGateway;
  let gateways: Gateway[];
  let probe: RedisProbe;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    const prefix = testRedisPrefix();
    env = { NODE_ENV: "test", REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix };
    probe = new RedisProbe(prefix);
    tg = await createTestGateway("sqlite", { corpus: { articles: 20, seed: 3 }, env });
    gateways = [];
  });
  afterEach(async () => {
    for (const g of gateways) await g.close();
    await tg?.close();
    await probe.cleanUp();
  });

  async function start(): Promise<string> {
    const gateway = await createGateway(tg.app, loadConfig(env), silentLogger);
    gateways.push(gateway);
    return (await gateway.listen(0, "127.0.0.1")).url;
  }

  test("a hash-only GET is refused until the query is registered, then answered with a CDN-cacheable Cache-Control, from the cache", async () => {
    const url = await start();
    const unknown = await hashOnly(url);
    expect(unknown.body.errors?.[0].extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");

    const registered = await get(url, { query: QUERY, operationName: "Latest", extensions: EXTENSIONS });
    expect(registered.body.errors).toBeUndefined();
    expect(await probe.waitForKey("apq:*")).toHaveLength(1);

    // The response cache keys on the request as sent: the first hash-only GET
    // runs the query, the next identical one (what a CDN forwards) is a hit.
    const first = await hashOnly(url);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(registered.body);
    expect(await probe.waitForKey("http:*", 2)).toHaveLength(2);
    const before = tg.app.db.statements.total;
    const answered = await hashOnly(url);
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data?.articles.edges).toHaveLength(3);
    expect(answered.body).toEqual(registered.body);
    expect(answered.cacheControl).toMatch(/^max-age=\d+, public$/);
    expect(Number(/max-age=(\d+)/.exec(answered.cacheControl ?? "")?.[1])).toBeGreaterThan(0);
    expect(tg.app.db.statements.total - before).toBe(0);
  });

  test("a query registered with one instance is answered by hash by another sharing Redis", async () => {
    const first = await start();
    const second = await start();
    const registered = await get(first, { query: QUERY, operationName: "Latest", extensions: EXTENSIONS });
    expect(registered.body.errors).toBeUndefined();
    await probe.waitForKey("apq:*");
    const answered = await hashOnly(second);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body).toEqual(registered.body);
  });

  test("a hash that does not match its query is refused", async () => {
    const url = await start();
    const wrong = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } });
    const res = await get(url, { query: QUERY, operationName: "Latest", extensions: wrong });
    expect(res.status).toBe(400);
    expect(await probe.keys("apq:*")).toHaveLength(0);
  });
});

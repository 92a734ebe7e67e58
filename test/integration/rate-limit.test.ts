import Redis from "ioredis";
import { createApiKey } from "../../src/write/keys/apiKeys";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";

const READ = { query: "{ rubrics { id } }" };

async function expectLimited(http: HttpTestGateway, body: unknown, allowed: number, headers: Record<string, string> = {}) {
  for (let i = 0; i < allowed; i++) {
    const r = await http.post(body, headers);
    expect([i, r.status]).toEqual([i, 200]);
  }
  const over = await http.post(body, headers);
  expect(over.status).toBe(429);
  expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(Number(over.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  expect(over.body.errors?.[0].extensions?.code).toBe("RATE_LIMITED");
  expect(over.statements).toBe(0);
}

describe("rate limits in memory (one instance)", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  let record: { query: string; variables: { id: string } };
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 10 } });
    http = await startHttpGateway(gw, { RATE_LIMIT: "3", VIEW_RATE_LIMIT: "2" });
    const r = await gw.run<{ articles: { edges: { node: { id: string } }[] } }>(`{ articles(first: 1) { edges { node { id } } } }`);
    record = { query: `mutation($id: ID!) { recordView(articleId: $id) }`, variables: { id: r.data!.articles.edges[0].node.id } };
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  test("an address gets RATE_LIMIT requests a minute, then 429 with Retry-After and no SQL", async () => {
    await expectLimited(http, READ, 3);
  });

  test("recordView has a budget of its own, untouched by the reads above", async () => {
    await expectLimited(http, record, 2);
  });

  test("a key's budget is the one stored with the key, not the address's", async () => {
    const ds = gw.database.db.dataSource;
    const { key } = await createApiKey(ds, { name: "ssr", role: "editor", rateLimit: 5 });
    const { key: other } = await createApiKey(ds, { name: "other", role: "editor", rateLimit: 1 });
    // The address is already over its anonymous budget; the key still has its 5.
    await expectLimited(http, READ, 5, { authorization: `Bearer ${key}` });
    await expectLimited(http, READ, 1, { authorization: `Bearer ${other}` });
  });
});

describe("RATE_LIMIT=0", () => {
  test("turns anonymous rate limiting off", async () => {
    const gw = await createTestGateway("sqlite", { corpus: { articles: 5 } });
    const http = await startHttpGateway(gw, { RATE_LIMIT: "0" });
    try {
      for (let i = 0; i < 20; i++) expect((await http.post(READ)).status).toBe(200);
    } finally {
      await http.close();
      await gw.close();
    }
  });
});

describe("rate limits in Redis (shared by instances)", () => {
  const prefix = testRedisPrefix();
  const probe = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  let gw: TestGateway;
  let one: HttpTestGateway;
  let two: HttpTestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 5 } });
    const env = { RATE_LIMIT: "4", REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix };
    one = await startHttpGateway(gw, env);
    two = await startHttpGateway(gw, env);
    // Wait until both clients are connected, so no request falls back to the in-memory insurance limiter.
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await gw?.close();
    const keys = await probe.keys(`${prefix}*`);
    if (keys.length > 0) await probe.del(...keys);
    probe.disconnect();
  });

  test("two instances draw on one budget per address", async () => {
    for (const http of [one, two, one, two]) expect((await http.post(READ)).status).toBe(200);
    for (const http of [one, two]) {
      const r = await http.post(READ);
      expect(r.status).toBe(429);
      expect(r.statements).toBe(0);
    }
    expect((await probe.keys(`${prefix}:rl:*`)).length).toBeGreaterThan(0);
  });
});

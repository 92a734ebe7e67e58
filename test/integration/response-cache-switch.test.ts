import { loadConfig } from "../../src/config";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

// RESPONSE_CACHE=false turns whole-response caching off (the benchmark
// compares the uncached gateway with its floor); the default keeps it on.
describe.each([
  ["on by default", {}, true],
  ["off with RESPONSE_CACHE=false", { RESPONSE_CACHE: "false" }, false],
] as const)("response cache %s", (_name, env, cached) => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 30, seed: 4 } });
    http = await startHttpGateway(gw, env);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  test("a repeated front page costs SQL only when the cache is off", async () => {
    const body = { query: operation("front-page.graphql").loc!.source.body, variables: { first: 5 } };
    const first = await http.post(body);
    const second = await http.post(body);
    expect(first.body.errors).toBeUndefined();
    expect(second.body.data).toEqual(first.body.data);
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements === 0).toBe(cached);
    expect(second.headers.get("age") !== null).toBe(cached);
  });
});

test("RESPONSE_CACHE accepts true or false only", () => {
  expect(() => loadConfig({ RESPONSE_CACHE: "maybe" })).toThrow('RESPONSE_CACHE must be true or false, got "maybe".');
});

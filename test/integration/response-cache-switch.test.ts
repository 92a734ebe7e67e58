import { loadConfig } from "../../src/config";
import { CONTRACT } from "../helpers/contract";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

// RESPONSE_CACHE=false turns whole-response caching off (the benchmark
// compares the uncached gateway with its floor); the default keeps it on.
describe.each([
  ["on by default", {}, true],
  ["off with RESPONSE_CACHE=false", { RESPONSE_CACHE: "false" }, false],
] as const)("response cache %s", (_name, env, cached) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 30, seed: 4 }, env });
  });
  afterAll(() => gw?.close());

  test("a repeated front page costs SQL only when the cache is off", async () => {
    const first = await gw.run(CONTRACT["front-page.graphql"], { first: 5 });
    const second = await gw.run(CONTRACT["front-page.graphql"], { first: 5 });
    expect(first.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements === 0).toBe(cached);
  });
});

test("RESPONSE_CACHE accepts true or false only", () => {
  expect(() => loadConfig({ RESPONSE_CACHE: "maybe" })).toThrow('RESPONSE_CACHE must be true or false, got "maybe".');
});

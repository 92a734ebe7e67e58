import { print } from "graphql";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";
import { type Received, sseClient, subscribe, wsClient } from "../helpers/liveClients";
import { editorKey, type Instance, startInstance } from "../helpers/liveInstances";

const NEWS_TICKER = print(operation("news-ticker.graphql"));

/** The GraphQL errors graphql-ws hands to a subscription it refused. */
function codesOf(received: Received): string[] {
  const errors = received.error as { extensions?: { code?: string; limit?: string } }[];
  if (!Array.isArray(errors)) throw new Error(`expected GraphQL errors, got ${String(received.error)}`);
  return errors.map((e) => [e.extensions?.code, e.extensions?.limit].filter(Boolean).join(":"));
}

/** An event stream refused before it started: its HTTP status and GraphQL error codes. */
async function sseRefusal(received: Received): Promise<{ status: number; codes: string[] }> {
  const response = (received.error as { response?: Response }).response;
  if (!response) throw new Error(`expected a refused response, got ${String(received.error)}`);
  const body = (await response.json()) as { errors: { extensions?: { code?: string; limit?: string } }[] };
  return { status: response.status, codes: body.errors.map((e) => [e.extensions?.code, e.extensions?.limit].filter(Boolean).join(":")) };
}

const DEEP = "subscription { articlePublished { related { related { related { related { related { related { related { related { id } } } } } } } } } }";
const WIDE = `subscription { articlePublished { ${Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(" ")} } }`;
const COSTLY = "subscription { articlePublished { related(first: 100) { related(first: 100) { related(first: 100) { id } } } } }";

describe("subscriptions: limits, caps, keys and the close codes of refusals", () => {
  let tg: TestGateway;
  let inst: Instance;
  let key: string;
  const clients: { dispose(): unknown }[] = [];

  beforeAll(async () => {
    tg = await createTestGateway("sqlite", { corpus: { articles: 10, seed: 2 } });
    inst = await startInstance(tg.database, { SUBSCRIPTIONS_PER_CONNECTION: "2", CONNECTIONS_PER_ADDRESS: "3" });
    key = await editorKey(inst.app);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
  });
  afterAll(async () => {
    await inst?.close();
    await tg?.close();
  });

  function ws(opts: { key?: string } = {}) {
    const client = wsClient(inst.url, opts);
    clients.push(client);
    return client;
  }

  function sse(opts: { key?: string } = {}) {
    const client = sseClient(inst.url, opts);
    clients.push(client);
    return client;
  }

  test.each([
    ["depth", DEEP],
    ["aliases", WIDE],
    ["cost", COSTLY],
  ])("a subscription over the %s limit is refused with QUERY_TOO_COMPLEX, over WebSocket and as a 400 event stream", async (limit, query) => {
    const overWs = subscribe(ws(), { query }).received;
    await overWs.until(() => overWs.error !== undefined);
    expect(codesOf(overWs)).toEqual([`QUERY_TOO_COMPLEX:${limit}`]);
    const overSse = subscribe(sse(), { query }).received;
    await overSse.until(() => overSse.error !== undefined);
    expect(await sseRefusal(overSse)).toEqual({ status: 400, codes: [`QUERY_TOO_COMPLEX:${limit}`] });
  });

  test("queries and mutations are not served over WebSocket or event streams", async () => {
    const received = subscribe(ws(), { query: "{ rubrics { slug } }" }).received;
    await received.until(() => received.error !== undefined);
    expect(codesOf(received)).toEqual(["BAD_REQUEST"]);
  });

  test("a wrong key in connection_init closes the socket with 4401; on an event stream it is a 401", async () => {
    const client = ws({ key: "ng_wrong" });
    const received = subscribe(client, { query: NEWS_TICKER }).received;
    await received.until(() => received.error !== undefined);
    expect(client.closes[0]?.code).toBe(4401);
    expect(client.closes[0]?.reason).toMatch(/not valid or has been revoked/);
    const overSse = subscribe(sse({ key: "ng_wrong" }), { query: NEWS_TICKER }).received;
    await overSse.until(() => overSse.error !== undefined);
    expect(await sseRefusal(overSse)).toEqual({ status: 401, codes: ["UNAUTHENTICATED"] });
  });

  test("an editor's key is accepted in connection_init", async () => {
    const client = ws({ key });
    const { received } = subscribe(client, { query: NEWS_TICKER });
    // Accepted: the connection stays open with the subscription running (a refusal would close it at once).
    const second = subscribe(client, { query: "subscription { articleUpdated(id: \"not an id\") { id } }" }).received;
    await second.until(() => second.results.length > 0 || second.error !== undefined);
    expect(second.results[0]?.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(client.closes).toEqual([]);
    expect(received.error).toBeUndefined();
  });

  test("a connection holds at most SUBSCRIPTIONS_PER_CONNECTION subscriptions; the next is refused and the others go on", async () => {
    const client = ws();
    const first = subscribe(client, { query: NEWS_TICKER }).received;
    const second = subscribe(client, { query: NEWS_TICKER }).received;
    const third = subscribe(client, { query: NEWS_TICKER }).received;
    await third.until(() => third.error !== undefined);
    expect(codesOf(third)).toEqual(["TOO_MANY_SUBSCRIPTIONS"]);
    expect([first.error, second.error, client.closes]).toEqual([undefined, undefined, []]);
  });

  test("an address holds at most CONNECTIONS_PER_ADDRESS connections; the next WebSocket is closed with 4431, the next event stream gets 429", async () => {
    const open = [ws(), ws(), ws()].map((c) => ({ client: c, received: subscribe(c, { query: NEWS_TICKER }).received }));
    // Each of the three is open once it has answered something on its connection.
    for (const { client } of open) {
      const probe = subscribe(client, { query: "subscription { articleUpdated(id: \"x\") { id } }" }).received;
      await probe.until(() => probe.results.length > 0);
    }
    const extra = ws();
    const refused = subscribe(extra, { query: NEWS_TICKER }).received;
    await refused.until(() => refused.error !== undefined);
    expect(extra.closes[0]?.code).toBe(4431);
    const overSse = subscribe(sse(), { query: NEWS_TICKER }).received;
    await overSse.until(() => overSse.error !== undefined);
    expect(await sseRefusal(overSse)).toEqual({ status: 429, codes: ["TOO_MANY_CONNECTIONS"] });
    expect(open.map((o) => o.client.closes)).toEqual([[], [], []]);
  });
});

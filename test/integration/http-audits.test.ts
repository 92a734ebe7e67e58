import { serverAudits } from "graphql-http";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

// graphql-http's GraphQL-over-HTTP conformance audits against the real
// server on loopback. Every MUST passes; SHOULD and MAY are reported by
// the library but are not all required by the spec.
describe("GraphQL over HTTP audits", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 5 } });
    http = await startHttpGateway(gw, { RATE_LIMIT: "0" });
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  const audits = serverAudits({ url: () => http.url, fetchFn: fetch });
  test.each(audits.filter((a) => a.name.startsWith("MUST")).map((a) => [a.name, a] as const))("%s", async (_name, audit) => {
    const result = await audit.fn();
    expect({ name: audit.name, status: result.status, reason: result.status === "ok" ? undefined : result.reason }).toEqual({ name: audit.name, status: "ok", reason: undefined });
  });
});

import http from "node:http";
import type net from "node:net";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

/**
 * A proxy in front of the gateway keeps idle connections to it for 60 s or
 * more and sends the next request on one of them whenever it likes. Node's
 * own default (5 s) closed such a connection under the proxy's feet; the
 * gateway's default keeps it open past the proxy's idle timeout.
 */
describe("keep-alive connections outlast a client's pause", () => {
  let gw: TestGateway;
  let server: HttpTestGateway;

  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 5, seed: 3 } });
    server = await startHttpGateway(gw);
  });
  afterAll(async () => {
    await server?.close();
    await gw?.close();
  });

  function post(agent: http.Agent): Promise<{ status: number; body: string; socket: net.Socket }> {
    const url = new URL(server.url);
    const payload = JSON.stringify({ query: "{ articles(first: 1) { totalCount } }" });
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body, socket: req.socket as net.Socket }));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  test("a second request 10 s after the first goes over the same socket and is answered", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const closed: string[] = [];
    try {
      const first = await post(agent);
      expect(first.status).toBe(200);
      first.socket.once("close", () => closed.push("closed"));
      await new Promise((r) => setTimeout(r, 10_000));
      expect(closed).toEqual([]);
      const second = await post(agent);
      expect(second.status).toBe(200);
      expect(JSON.parse(second.body).data).toEqual({ articles: { totalCount: 5 } });
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  }, 60_000);
});

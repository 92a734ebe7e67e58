import { loadConfig } from "../../src/config";
import { createGateway, type Gateway } from "../../src/server/gateway";
import type { App } from "../../src/graphql/context";
import { silentLogger } from "./gateway";

export interface HttpResult {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> };
  /** SQL statements the database received while the request ran. */
  statements: number;
}

export interface HttpTestGateway {
  url: string;
  gateway: Gateway;
  post(body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  close(): Promise<void>;
}

/** The real HTTP server (createGateway) on loopback, port 0, over a test gateway's app (its database). */
export async function startHttpGateway(gw: { app: App }, env: NodeJS.ProcessEnv = {}, logger = silentLogger): Promise<HttpTestGateway> {
  const config = loadConfig({ NODE_ENV: "test", ...env });
  const gateway = await createGateway(gw.app, config, logger);
  const { url } = await gateway.listen(0, "127.0.0.1");
  return {
    url,
    gateway,
    async post(body, headers = {}) {
      const before = gw.app.db.statements.total;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: HttpResult["body"];
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { errors: [{ message: text }] };
      }
      return { status: response.status, headers: response.headers, body: parsed, statements: gw.app.db.statements.total - before };
    },
    close: () => gateway.close(),
  };
}

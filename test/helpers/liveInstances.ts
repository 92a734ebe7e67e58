import { createApiKey } from "../../src/write/keys/apiKeys";
import { loadConfig } from "../../src/config";
import type { App } from "../../src/graphql/context";
import { openDatabase } from "../../src/db/dataSource";
import { createGateway, type Gateway } from "../../src/server/gateway";
import { ViewCounter } from "../../src/write/views/viewCounter";
import type { TestDatabase } from "./db";
import { silentLogger } from "./gateway";

/**
 * One gateway instance as a deployment runs it: its own connection to the
 * shared database, its own HTTP server on loopback. Several of them over one
 * test database, sharing a Redis prefix, are several instances of one
 * deployment.
 */
export interface Instance {
  app: App;
  gateway: Gateway;
  url: string;
  /** POSTs an operation, with the key when given. */
  post<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  close(): Promise<void>;
}

export async function startInstance(database: TestDatabase, env: NodeJS.ProcessEnv = {}): Promise<Instance> {
  const db = await openDatabase(database.kind === "sqlite" ? { sqlitePath: database.location } : { url: database.location });
  const config = loadConfig({ NODE_ENV: "test", ...env });
  const app: App = { db, config, views: new ViewCounter(db.dataSource, { intervalMs: null }) };
  const gateway = await createGateway(app, config, silentLogger);
  const { url } = await gateway.listen(0, "127.0.0.1");
  return {
    app,
    gateway,
    url,
    async post(query, variables, key) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
    async close() {
      await gateway.close();
      await app.views.stop();
      await db.dataSource.destroy();
    },
  };
}

export async function editorKey(app: App): Promise<string> {
  const { key } = await createApiKey(app.db.dataSource, { name: `editor-${Math.random().toString(36).slice(2)}`, role: "editor", rateLimit: 100_000 });
  return key;
}

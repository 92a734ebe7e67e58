import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config";
import { TrustedDocuments } from "../../src/server/guard/trustedDocuments";

test("subscription caps and keep-alive have defaults and refuse what is not a whole number in range", () => {
  expect(loadConfig({}).live).toEqual({ subscriptionsPerConnection: 20, connectionsPerAddress: 50, keepAliveMs: 12_000 });
  expect(loadConfig({ SUBSCRIPTIONS_PER_CONNECTION: "5", CONNECTIONS_PER_ADDRESS: "2000", LIVE_KEEPALIVE_MS: "30000" }).live).toEqual({
    subscriptionsPerConnection: 5,
    connectionsPerAddress: 2000,
    keepAliveMs: 30_000,
  });
  expect(() => loadConfig({ SUBSCRIPTIONS_PER_CONNECTION: "0" })).toThrow("SUBSCRIPTIONS_PER_CONNECTION must be between 1 and 10000, got 0.");
  expect(() => loadConfig({ CONNECTIONS_PER_ADDRESS: "many" })).toThrow('CONNECTIONS_PER_ADDRESS must be a whole number, got "many".');
  expect(() => loadConfig({ LIVE_KEEPALIVE_MS: "10" })).toThrow("LIVE_KEEPALIVE_MS must be between 1000 and 600000, got 10.");
});

test("TRUSTED_DOCUMENTS is a path from the working directory; a manifest that is not hash -> document is refused at start", () => {
  expect(loadConfig({}).trustedDocuments).toBeUndefined();
  expect(loadConfig({ TRUSTED_DOCUMENTS: "m.json" }, "/srv/app").trustedDocuments).toBe(path.resolve("/srv/app", "m.json"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-manifest-"));
  try {
    const file = path.join(dir, "manifest.json");
    expect(() => TrustedDocuments.load(file)).toThrow(/^TRUSTED_DOCUMENTS: .*manifest\.json could not be read as JSON/);
    fs.writeFileSync(file, JSON.stringify(["query { a }"]));
    expect(() => TrustedDocuments.load(file)).toThrow(/must be a JSON object from hash to document/);
    fs.writeFileSync(file, JSON.stringify({ "sha256:ab": "query A { a }", cd: "query C { c }" }));
    const docs = TrustedDocuments.load(file);
    expect(docs.size).toBe(2);
    expect(docs.resolve({ documentId: "sha256:ab" })).toEqual({ document: "query A { a }" });
    expect(docs.resolve({ extensions: { persistedQuery: { sha256Hash: "ab" } } })).toEqual({ document: "query A { a }" });
    expect(docs.resolve({ documentId: "sha256:cd" })).toEqual({ document: "query C { c }" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

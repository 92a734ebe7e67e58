import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { print } from "graphql";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { sseClient, subscribe, wsClient } from "../helpers/liveClients";
import { editorKey } from "../helpers/liveInstances";

const ROOT = path.resolve(__dirname, "../..");

/** The manifest the package script writes (GraphQL Code Generator's client preset). */
function manifest(): Record<string, string> {
  execFileSync("npm", ["run", "--silent", "trusted-documents"], { cwd: ROOT, stdio: "pipe" });
  return JSON.parse(fs.readFileSync(path.join(ROOT, "dist/trusted-documents/persisted-documents.json"), "utf8"));
}

describe("trusted documents (TRUSTED_DOCUMENTS)", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  let docs: Record<string, string>;
  let dir: string;
  let key: string;
  const hashOf = (name: string) => Object.entries(docs).find(([, d]) => new RegExp(`(^| )(query|mutation|subscription) ${name}\\b`).test(d))![0];

  beforeAll(async () => {
    docs = manifest();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-trusted-"));
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(docs));
    gw = await createTestGateway("sqlite", { corpus: { articles: 20, seed: 8 } });
    http = await startHttpGateway(gw, { TRUSTED_DOCUMENTS: path.join(dir, "manifest.json") });
    key = await editorKey(gw.app);
  }, 60_000);
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the manifest holds every contract operation under its sha256 hash, as the client preset writes it", () => {
    expect(Object.keys(docs).length).toBe(fs.readdirSync(path.join(ROOT, "schema/operations")).filter((f) => f.endsWith(".graphql")).length);
    for (const hash of Object.keys(docs)) expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("an anonymous caller runs a manifest document by hash, as persistedQuery.sha256Hash or as documentId", async () => {
    const hash = hashOf("FrontPage");
    const byExtension = await http.post({ operationName: "FrontPage", variables: { first: 3 }, extensions: { persistedQuery: { version: 1, sha256Hash: hash.slice("sha256:".length) } } });
    expect(byExtension.status).toBe(200);
    expect(byExtension.body.errors).toBeUndefined();
    expect((byExtension.body.data as { latest: { edges: unknown[] } }).latest.edges).toHaveLength(3);
    const byDocumentId = await http.post({ documentId: hash, variables: { first: 3 } });
    expect(byDocumentId.status).toBe(200);
    expect(byDocumentId.body.data).toEqual(byExtension.body.data);
    const overGet = await fetch(`${http.url}?${new URLSearchParams({ documentId: hash, variables: JSON.stringify({ first: 3 }) })}`, { headers: { "apollo-require-preflight": "true" } });
    expect(overGet.status).toBe(200);
    expect(((await overGet.json()) as { data: unknown }).data).toEqual(byExtension.body.data);
  });

  test("an anonymous free-form document, or an unknown hash, is refused with 400 and a stable code before any SQL", async () => {
    const freeForm = await http.post({ query: "{ articles(first: 100) { edges { node { title body: paragraphs } } } }" });
    expect(freeForm.status).toBe(400);
    expect(freeForm.body.errors?.[0].extensions?.code).toBe("TRUSTED_DOCUMENT_REQUIRED");
    expect(freeForm.statements).toBe(0);
    // Even a manifest document's own text must come as its hash.
    const text = await http.post({ query: docs[hashOf("FrontPage")], variables: { first: 3 } });
    expect([text.status, text.body.errors?.[0].extensions?.code, text.statements]).toEqual([400, "TRUSTED_DOCUMENT_REQUIRED", 0]);
    const unknown = await http.post({ extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect([unknown.status, unknown.body.errors?.[0].extensions?.code, unknown.statements]).toEqual([400, "TRUSTED_DOCUMENT_NOT_FOUND", 0]);
    // A document that does not even parse is refused the same way: nothing is parsed for an anonymous caller.
    const garbage = await http.post({ query: "{{{" });
    expect([garbage.status, garbage.body.errors?.[0].extensions?.code]).toEqual([400, "TRUSTED_DOCUMENT_REQUIRED"]);
  });

  test("a caller with a key may send any document", async () => {
    const free = await http.post({ query: "{ articles(first: 2) { edges { node { title } } } }" }, { authorization: `Bearer ${key}` });
    expect(free.status).toBe(200);
    expect(free.body.errors).toBeUndefined();
    expect((free.body.data as { articles: { edges: unknown[] } }).articles.edges).toHaveLength(2);
  });

  test("subscriptions: an anonymous one runs by hash and is refused as text; an editor's runs as text", async () => {
    const ticker = print(operation("news-ticker.graphql"));
    const anonymousText = subscribe(wsClient(http.url), { query: ticker }).received;
    await anonymousText.until(() => anonymousText.error !== undefined);
    expect((anonymousText.error as { extensions: { code: string } }[])[0].extensions.code).toBe("TRUSTED_DOCUMENT_REQUIRED");
    const overSse = subscribe(sseClient(http.url), { query: ticker }).received;
    await overSse.until(() => overSse.error !== undefined);
    expect((overSse.error as { response: Response }).response.status).toBe(400);

    const byHash = wsClient(http.url);
    const editor = wsClient(http.url, { key });
    const hashed = subscribe(byHash, { query: "", extensions: { persistedQuery: { version: 1, sha256Hash: hashOf("NewsTicker") } } });
    const asText = subscribe(editor, { query: ticker });
    try {
      // Both run: an accepted subscription stays open; the article published below reaches both.
      const created = await gw.run<{ createArticle: { id: string } }>(`mutation { createArticle(input: { title: "Доверенная новость" }) { id } }`, undefined, { viewer: { role: "editor" } });
      const id = created.data!.createArticle.id;
      const deadline = Date.now() + 20_000;
      let attempt = 0;
      while (hashed.received.results.length === 0 || asText.received.results.length === 0) {
        if (Date.now() > deadline || hashed.received.error || asText.received.error) throw new Error(`not heard: ${String(hashed.received.error ?? asText.received.error)}`);
        // Published, then back to a draft, until both subscriptions have heard a publication.
        await gw.run(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, { viewer: { role: "editor" } });
        await new Promise((r) => setTimeout(r, 200 * ++attempt));
        if (hashed.received.results.length === 0 || asText.received.results.length === 0) await gw.run(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id }, { viewer: { role: "editor" } });
      }
      expect(hashed.received.data[0]).toMatchObject({ articlePublished: { id, title: "Доверенная новость" } });
      expect(asText.received.data[0]).toMatchObject({ articlePublished: { id, title: "Доверенная новость" } });
    } finally {
      hashed.stop();
      asText.stop();
      await byHash.dispose();
      await editor.dispose();
    }
  });
});

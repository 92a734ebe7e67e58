import { Command } from "commander";
import { createApiKey, findApiKey, revokeApiKey } from "../../src/write/keys/apiKeys";
import { registerKeysCommand } from "../../src/write/keys/keysCommand";
import { mediaOf } from "../../src/media/media";
import type { Viewer } from "../../src/read/viewer";
import { WebhookEvent } from "../../src/webhooks/events";
import { createWebhook } from "../../src/webhooks/webhookStore";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { photoWithGps } from "../helpers/media";

const ROLES: Record<"reader" | "editor" | "admin", Viewer> = {
  reader: { role: "reader" },
  editor: { role: "editor", keyName: "editor" },
  admin: { role: "admin", keyName: "admin" },
};

type Outcome = "ok" | "UNAUTHENTICATED" | "FORBIDDEN";

function outcomeOf(r: { errors?: readonly { extensions?: Record<string, unknown> }[] }): string {
  if (!r.errors) return "ok";
  return r.errors.map((e) => String(e.extensions?.code)).join(",");
}

describe("who may do what", () => {
  let gw: TestGateway;
  let draft: { id: string; slug: string; path: string };
  let published: string;
  let rubric: string;
  const hidden = "Черновик про секретный проект Бәйтерек";

  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 30, seed: 9 } });
    const first = await gw.run<{ articles: { edges: { node: { id: string } }[] }; rubrics: { id: string }[] }>(`{ articles(first: 1) { edges { node { id } } } rubrics { id } }`);
    published = first.data!.articles.edges[0].node.id;
    rubric = first.data!.rubrics[0].id;
    const created = await gw.run<{ createArticle: { id: string; slug: string; path: string } }>(
      `mutation($t: String!) { createArticle(input: { title: $t, paragraphs: ["Секретный проект Бәйтерек."] }) { id slug path } }`,
      { t: hidden },
      { viewer: ROLES.editor },
    );
    draft = created.data!.createArticle;
    // The draft is linked from a published article, from a collection and tagged with a rubric.
    await gw.run(`mutation($a: ID!, $d: ID!, $r: ID!) { setRelatedArticles(articleId: $a, relatedIds: [$d]) { id } setArticleRubrics(articleId: $d, rubricIds: [$r]) { id } }`, { a: published, d: draft.id, r: rubric }, { viewer: ROLES.editor });
    const ds = gw.database.db.dataSource;
    await ds.query("INSERT INTO collection (slug, name, captured_at) VALUES ('test-list', 'Test list', NULL)");
    const [{ id: collectionId }] = await ds.query("SELECT id FROM collection WHERE slug = 'test-list'");
    await ds.query("INSERT INTO collection_item (collection_id, position, article_id) VALUES (?, 0, ?)", [collectionId, Number(Buffer.from(draft.id, "base64").toString().split(":")[1])]);
  });
  afterAll(() => gw?.close());

  const MUTATIONS: [string, string, (role: string) => Record<string, unknown>, Record<keyof typeof ROLES, Outcome>][] = [
    ["createArticle", `mutation($t: String!) { createArticle(input: { title: $t }) { id } }`, (role) => ({ t: `Статья от ${role}` }), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["updateArticle", `mutation($id: ID!) { updateArticle(id: $id, input: { lead: "Новый лид" }) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["publishArticle", `mutation($id: ID!) { publishArticle(id: $id) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["unpublishArticle", `mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["setArticleRubrics", `mutation($id: ID!, $r: ID!) { setArticleRubrics(articleId: $id, rubricIds: [$r]) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["setArticleHashtags", `mutation($id: ID!) { setArticleHashtags(articleId: $id, hashtags: ["Проверка ролей"]) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["setRelatedArticles", `mutation($id: ID!, $p: ID!) { setRelatedArticles(articleId: $id, relatedIds: [$p]) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["createAuthor", `mutation($n: String!) { createAuthor(input: { name: $n }) { id } }`, (role) => ({ n: `Автор ${role}` }), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["updateAuthor", `mutation($a: ID!) { updateAuthor(id: $a, input: { email: "x@example.kz" }) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["deleteArticle", `mutation($id: ID!) { deleteArticle(id: $id) }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["importPages", `mutation { importPages(pages: ["not a page"]) { summary { failed } } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["startLiveBlog", `mutation($id: ID!) { startLiveBlog(articleId: $id) { live } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["endLiveBlog", `mutation($id: ID!) { endLiveBlog(articleId: $id) { live } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["addLiveEntry", `mutation($l: ID!) { addLiveEntry(articleId: $l, text: "Запись") { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["updateLiveEntry", `mutation($e: ID!) { updateLiveEntry(id: $e, text: "Исправлено") { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["deleteLiveEntry", `mutation($e: ID!) { deleteLiveEntry(id: $e) }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["createApiKey", `mutation($n: String!) { createApiKey(input: { name: $n, role: "editor" }) { key apiKey { id role } } }`, (role) => ({ n: `key-${role}-${Math.random().toString(36).slice(2)}` }), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
    ["revokeApiKey", `mutation($k: ID!) { revokeApiKey(id: $k) { revokedAt } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
    ["updateImage", `mutation($img: ID!) { updateImage(id: $img, input: { alt: "Фото" }) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["setMainImage", `mutation($id: ID!, $img: ID!) { setMainImage(articleId: $id, imageId: $img) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["setArticleImages", `mutation($id: ID!, $img: ID!) { setArticleImages(articleId: $id, imageIds: [$img]) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["deleteImage", `mutation($img: ID!) { deleteImage(id: $img) }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["unscheduleArticle", `mutation($id: ID!) { unscheduleArticle(id: $id) { status } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["addCorrection", `mutation($id: ID!) { addCorrection(articleId: $id, text: "Исправлена опечатка.") { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["restoreRevision", `mutation($rev: ID!) { restoreRevision(id: $rev) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["createPreviewToken", `mutation($id: ID!) { createPreviewToken(articleId: $id, expiresInSeconds: 60) { token } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    ["revokePreviewTokens", `mutation($id: ID!) { revokePreviewTokens(articleId: $id) }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "ok", admin: "ok" }],
    // A public address written as an IP, so that no DNS lookup is needed.
    ["createWebhook", `mutation { createWebhook(input: { url: "https://93.184.216.34/hook", events: [ARTICLE_PUBLISHED] }) { webhook { id url events } secret } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
    ["updateWebhook", `mutation($w: ID!) { updateWebhook(id: $w, input: { events: [ARTICLE_UPDATED] }) { id } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
    ["deleteWebhook", `mutation($w: ID!) { deleteWebhook(id: $w) }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
    ["webhooks", `query { webhooks { id url events } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
    ["webhookDeliveries", `query($w: ID!) { webhookDeliveries(webhookId: $w, first: 5) { edges { node { id status attempts } } } }`, () => ({}), { reader: "UNAUTHENTICATED", editor: "FORBIDDEN", admin: "ok" }],
  ];

  let pictures = 0;

  /** What a mutation's target needs first (done by an admin), and the variables that gives. */
  const PREPARE: Record<string, (articleId: string) => Promise<Record<string, unknown>>> = {
    unscheduleArticle: async (id) => {
      await gw.run(`mutation($id: ID!) { publishArticle(id: $id, publishedAt: "2099-01-01T00:00:00.000Z") { id } }`, { id }, { viewer: ROLES.admin });
      return {};
    },
    addCorrection: async (id) => {
      await gw.run(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, { viewer: ROLES.admin });
      return {};
    },
    restoreRevision: async (id) => {
      const r = await gw.run<{ article: { revisions: { edges: { node: { id: string } }[] } } }>(
        `query($id: ID!) { article(id: $id) { revisions(first: 1) { edges { node { id } } } } }`,
        { id },
        { viewer: ROLES.admin },
      );
      return { rev: r.data!.article.revisions.edges[0].node.id };
    },
  };

  test.each(MUTATIONS)("%s: reader, editor and admin each get the expected outcome", async (_name, doc, vars, expected) => {
    for (const role of ["reader", "editor", "admin"] as const) {
      // A fresh draft per attempt, so that one role's write (a delete) cannot decide another's outcome.
      const target = await gw.run<{ createArticle: { id: string } }>(`mutation { createArticle(input: { title: "Цель" }) { id } }`, undefined, { viewer: ROLES.admin });
      const author = await gw.run<{ createAuthor: { id: string } }>(`mutation($n: String!) { createAuthor(input: { name: $n }) { id } }`, { n: `Цель ${Math.random()}` }, { viewer: ROLES.admin });
      const key = await createApiKey(gw.database.db.dataSource, { name: `target-${Math.random().toString(36).slice(2)}`, role: "editor", rateLimit: 10 });
      // A new image, which no article uses yet.
      const image = await mediaOf(gw.app).upload(gw.database.db.dataSource, await photoWithGps(64, 48, pictures++), "image/jpeg");
      const img = Buffer.from(`Image:${image.id}`).toString("base64");
      const prepared = (await PREPARE[_name]?.(target.data!.createArticle.id)) ?? {};
      const hook = await createWebhook(gw.database.db.dataSource, { url: "https://93.184.216.34/hook", events: [WebhookEvent.ARTICLE_PUBLISHED], description: null });
      // A live blog running on a published article, with an entry of its own to change or delete.
      await gw.run(`mutation($l: ID!) { startLiveBlog(articleId: $l) { live } }`, { l: published }, { viewer: ROLES.admin });
      const entry = await gw.run<{ addLiveEntry: { id: string } }>(`mutation($l: ID!) { addLiveEntry(articleId: $l, text: "Цель") { id } }`, { l: published }, { viewer: ROLES.admin });
      const r = await gw.run(
        doc,
        {
          id: target.data!.createArticle.id,
          r: rubric,
          p: published,
          a: author.data!.createAuthor.id,
          k: String(key.apiKey.id),
          w: String(hook.webhook.id),
          l: published,
          e: entry.data!.addLiveEntry.id,
          img,
          ...prepared,
          ...vars(role),
        },
        { viewer: ROLES[role] },
      );
      expect([role, outcomeOf(r)]).toEqual([role, expected[role]]);
      if (expected[role] !== "ok") expect(r.data).toBeNull();
    }
  });

  test.each(["reader", "editor", "admin"] as const)("draft-revealing reads as %s", async (role) => {
    const seesDrafts = role !== "reader";
    const r = await gw.run<{
      bySlug: { id: string } | null;
      byPath: { id: string } | null;
      byId: { id: string } | null;
      node: { id: string } | null;
      linking: { related: { id: string }[] };
      collection: { articles: { id: string }[] };
      articles: { edges: { node: { id: string } }[] };
      search: { totalCount: number };
      rubrics: { id: string; articleCount: number; articles: { edges: { node: { id: string } }[] } }[];
    }>(
      `query($slug: String!, $path: String!, $id: ID!, $pub: ID!) {
        bySlug: article(slug: $slug) { id }
        byPath: article(path: $path) { id }
        byId: article(id: $id) { id }
        node(id: $id) { id }
        linking: article(id: $pub) { related(first: 10) { id } }
        collection(slug: "test-list") { articles { id } }
        articles(first: 100) { edges { node { id } } }
        search(query: "Бәйтерек") { totalCount }
      }`,
      { slug: draft.slug, path: draft.path, id: draft.id, pub: published },
      { viewer: ROLES[role] },
    );
    expect(r.errors).toBeUndefined();
    const d = r.data!;
    const expectedLookup = seesDrafts ? { id: draft.id } : null;
    expect([d.bySlug, d.byPath, d.byId, d.node]).toEqual([expectedLookup, expectedLookup, expectedLookup, expectedLookup]);
    expect(d.linking.related.map((a) => a.id).includes(draft.id)).toBe(seesDrafts);
    expect(d.collection.articles.map((a) => a.id).includes(draft.id)).toBe(seesDrafts);
    // Lists, counts and search show published articles only, to everyone.
    expect(d.articles.edges.map((e) => e.node.id)).not.toContain(draft.id);
    expect(d.search.totalCount).toBe(0);
    const tag = await gw.run<{ node: { articleCount: number; articles: { edges: { node: { id: string } }[] } } }>(
      `query($r: ID!) { node(id: $r) { ... on Tag { articleCount articles(first: 100) { edges { node { id } } } } } }`,
      { r: rubric },
      { viewer: ROLES[role] },
    );
    expect(tag.data!.node.articles.edges.map((e) => e.node.id)).not.toContain(draft.id);
    expect(tag.data!.node.articleCount).toBe(tag.data!.node.articles.edges.length);
  });

  test.each([
    ["reader", "FORBIDDEN"],
    ["editor", "ok"],
    ["admin", "ok"],
  ] as const)("Article.revisions as %s: %s", async (role, expected) => {
    // An edit keeps a revision that a reader's request could leak.
    await gw.run(`mutation($id: ID!) { updateArticle(id: $id, input: { lead: "Лид с ревизией." }) { id } }`, { id: published }, { viewer: ROLES.admin });
    const r = await gw.run<{ article: { revisions: { edges: { node: { title: string } }[] } } | null }>(
      `query($id: ID!) { article(id: $id) { revisions(first: 5) { edges { node { title } } } } }`,
      { id: published },
      { viewer: ROLES[role] },
    );
    expect(outcomeOf(r)).toBe(expected);
    if (expected === "ok") expect(r.data!.article!.revisions.edges.length).toBeGreaterThan(0);
    // A reader gets the refusal, never the data.
    else expect(r.data).toEqual({ article: null });
  });

  // Proves the search checks above could fail: the draft's word is findable
  // once the article is published, so their 0 came from the draft's status.
  test("once published, the draft is found by the same search", async () => {
    const published = await gw.run(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: draft.id }, { viewer: ROLES.editor });
    expect(published.errors).toBeUndefined();
    const r = await gw.run<{ search: { edges: { node: { id: string } }[] } }>(`{ search(query: "Бәйтерек") { edges { node { id } } } }`);
    expect(r.data!.search.edges.map((e) => e.node.id)).toEqual([draft.id]);
  });
});

describe("admins manage API keys through the API", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: false });
  });
  afterAll(() => gw?.close());

  test("a key made by createApiKey authenticates until revokeApiKey, and its secret is never listed", async () => {
    const made = await gw.run<{ createApiKey: { key: string; apiKey: { id: string; name: string; role: string; rateLimit: number } } }>(
      `mutation { createApiKey(input: { name: "front-end renderer", role: "editor", rateLimit: 1200 }) { key apiKey { id name role rateLimit } } }`,
      undefined,
      { viewer: ROLES.admin },
    );
    expect(made.errors).toBeUndefined();
    const { key, apiKey } = made.data!.createApiKey;
    expect(apiKey).toMatchObject({ name: "front-end renderer", role: "editor", rateLimit: 1200 });
    expect((await findApiKey(gw.database.db.dataSource, key))?.name).toBe("front-end renderer");
    const listed = await gw.run<{ apiKeys: Record<string, unknown>[] }>(`{ apiKeys { id name role revokedAt } }`, undefined, { viewer: ROLES.admin });
    expect(listed.data!.apiKeys).toEqual([{ id: apiKey.id, name: "front-end renderer", role: "editor", revokedAt: null }]);
    expect(JSON.stringify(listed)).not.toContain(key);
    const revoked = await gw.run<{ revokeApiKey: { revokedAt: string | null } }>(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id }, { viewer: ROLES.admin });
    expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
    expect(await findApiKey(gw.database.db.dataSource, key)).toBeNull();
  });

  test("bad input is refused by field and rule, and writes no key", async () => {
    const bad = await gw.run(`mutation { createApiKey(input: { name: "x", role: "reader" }) { key } }`, undefined, { viewer: ROLES.admin });
    expect(bad.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(bad.errors?.[0].extensions)).toContain("role");
    const twice = await gw.run(`mutation { a: createApiKey(input: { name: "same", role: "admin" }) { key } }`, undefined, { viewer: ROLES.admin });
    expect(twice.errors).toBeUndefined();
    const again = await gw.run(`mutation { createApiKey(input: { name: "same", role: "admin" }) { key } }`, undefined, { viewer: ROLES.admin });
    expect(again.errors?.[0]).toMatchObject({ message: "name is already used by another API key.", extensions: { code: "BAD_USER_INPUT" } });
    const unknown = await gw.run(`mutation { revokeApiKey(id: "999") { id } }`, undefined, { viewer: ROLES.admin });
    expect(unknown.errors?.[0]).toMatchObject({ message: "id names no API key.", extensions: { code: "BAD_USER_INPUT" } });
    const names = await gw.database.db.dataSource.query("SELECT name FROM api_key WHERE name IN ('x', 'same')");
    expect(names).toEqual([{ name: "same" }]);
  });
});

describe("API keys over HTTP", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  let draftSlug: string;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 10 } });
    http = await startHttpGateway(gw, { RATE_LIMIT: "0" });
    const r = await gw.run<{ createArticle: { slug: string } }>(`mutation { createArticle(input: { title: "Скрытый черновик" }) { slug } }`, undefined, { viewer: { role: "editor" } });
    draftSlug = r.data!.createArticle.slug;
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  const lookup = (slug: string) => ({ query: `query($s: String!) { article(slug: $s) { status } }`, variables: { s: slug } });

  test("a live key makes the request an editor's; no header makes it a reader's", async () => {
    const { key } = await createApiKey(gw.database.db.dataSource, { name: "cms", role: "editor", rateLimit: 100 });
    const asEditor = await http.post(lookup(draftSlug), { authorization: `Bearer ${key}` });
    expect(asEditor.body).toEqual({ data: { article: { status: "DRAFT" } }, extensions: expect.anything() });
    const anonymous = await http.post(lookup(draftSlug));
    expect(anonymous.body.data).toEqual({ article: null });
  });

  test("a wrong, malformed or revoked key is refused with 401 UNAUTHENTICATED, never served as a reader", async () => {
    const { key } = await createApiKey(gw.database.db.dataSource, { name: "old", role: "admin", rateLimit: 100 });
    await revokeApiKey(gw.database.db.dataSource, "old");
    for (const header of [`Bearer ${key}`, "Bearer ngk_made-up", "Basic dXNlcjpwYXNz", "Bearer"]) {
      const r = await http.post(lookup(draftSlug), { authorization: header });
      expect([header, r.status, r.body.errors?.[0].extensions?.code]).toEqual([header, 401, "UNAUTHENTICATED"]);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(r.body.data).toBeUndefined();
    }
  });

  test("only editors and admins upload images: a reader or a bad key gets 401 and nothing is stored", async () => {
    const base = http.url.replace(/\/graphql$/, "");
    const bytes = await photoWithGps(320, 200);
    const send = (headers: Record<string, string>) => fetch(`${base}/media`, { method: "POST", headers: { "content-type": "image/jpeg", ...headers }, body: bytes });
    for (const headers of [{}, { authorization: "Bearer ngk_made-up" }] as Record<string, string>[]) {
      const refused = await send(headers);
      expect([headers, refused.status]).toEqual([headers, 401]);
      expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    }
    expect(await mediaOf(gw.app).store.list("")).toEqual([]);
    const { key: editor } = await createApiKey(gw.database.db.dataSource, { name: "photo-desk", role: "editor", rateLimit: 100 });
    const { key: admin } = await createApiKey(gw.database.db.dataSource, { name: "photo-admin", role: "admin", rateLimit: 100 });
    expect((await send({ authorization: `Bearer ${editor}` })).status).toBe(201);
    expect((await send({ authorization: `Bearer ${admin}` })).status).toBe(200);
  });

  test("keys create prints the key once, list never shows it, revoke by name stops it", async () => {
    const lines: string[] = [];
    const program = new Command().exitOverride();
    registerKeysCommand(program, { withDatabase: (fn) => fn(gw.database.db.dataSource), defaultRate: 600, print: (l) => lines.push(l) });
    await program.parseAsync(["keys", "create", "--role", "editor", "--name", "ssr-renderer", "--rate", "5000"], { from: "user" });
    const key = lines.find((l) => l.startsWith("ngk_")) as string;
    expect(key).toMatch(/^ngk_[A-Za-z0-9_-]{43}$/);
    const stored = await gw.database.db.dataSource.query("SELECT key_hash, rate_limit FROM api_key WHERE name = 'ssr-renderer'");
    expect(stored).toEqual([{ key_hash: expect.stringMatching(/^[0-9a-f]{64}$/), rate_limit: 5000 }]);
    expect(JSON.stringify(stored)).not.toContain(key.slice(4));
    lines.length = 0;
    await program.parseAsync(["keys", "list"], { from: "user" });
    expect(lines.join("\n")).toContain("ssr-renderer\teditor\t5000/min");
    expect(lines.join("\n")).not.toContain(key);
    await program.parseAsync(["keys", "revoke", "ssr-renderer"], { from: "user" });
    const r = await http.post(lookup(draftSlug), { authorization: `Bearer ${key}` });
    expect(r.status).toBe(401);
  });
});

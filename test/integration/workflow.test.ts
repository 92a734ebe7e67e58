import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { createApiKey } from "../../src/write/keys/apiKeys";
import { toGlobalId } from "../../src/graphql/globalId";
import { formatPage } from "../../src/write/ingest/formatPage";
import { importPageTexts } from "../../src/write/ingest/importPages";
import type { PageRecord } from "../../src/write/ingest/pageRecord";
import { openDatabase } from "../../src/db/dataSource";
import { createLogger } from "../../src/logger";
import { createPreviewToken } from "../../src/workflow/previewTokens";
import { onArticlesWentLive, publishDueArticles } from "../../src/workflow/schedule";
import { WebhookEvent } from "../../src/webhooks/events";
import { createWebhook } from "../../src/webhooks/webhookStore";
import type { Viewer } from "../../src/read/viewer";
import { CONTRACT } from "../helpers/contract";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { RedisProbe, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";

const EDITOR: Viewer = { role: "editor", keyName: "desk-editor" };
const CHIEF: Viewer = { role: "admin", keyName: "chief-editor" };

const REVISIONS = `query($id: ID!, $first: Int, $after: String) {
  article(id: $id) { id revisions(first: $first, after: $after) {
    edges { cursor node { id createdAt keyName status title lead paragraphs hashtags author { name } rubrics { name } } }
    pageInfo { hasNextPage endCursor }
  } }
}`;

interface RevisionNode {
  id: string;
  keyName: string | null;
  status: string;
  title: string;
  lead: string | null;
  paragraphs: string[];
  hashtags: string[];
  rubrics: { name: string }[];
}

type Revisions = {
  article: {
    revisions: { edges: { cursor: string; node: RevisionNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
};

describe.each(databaseKinds())("the newsroom's workflow on %s", (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 30, seed: 17 } });
  });
  afterAll(() => gw?.close());

  async function ok<T>(query: string, variables: Record<string, unknown>, viewer: Viewer = EDITOR): Promise<T> {
    const r = await gw.run<T>(query, variables, { viewer });
    expect(r.errors).toBeUndefined();
    return r.data as T;
  }

  async function draft(title: string): Promise<string> {
    const d = await ok<{ createArticle: { id: string } }>(
      `mutation($t: String!) { createArticle(input: { title: $t, lead: "Первый лид.", paragraphs: ["Первый абзац."] }) { id } }`,
      { t: title },
    );
    return d.createArticle.id;
  }

  const updatedAtOf = async (id: string) =>
    (await ok<{ article: { updatedAt: string } }>(`query($id: ID!) { article(id: $id) { updatedAt } }`, { id })).article.updatedAt;
  const tick = () => new Promise((r) => setTimeout(r, 15));

  test("updatedAt moves with what readers see, not with publishing, related edges or view counts", async () => {
    const id = await draft("Обновления и поправки");
    const created = await updatedAtOf(id);
    await tick();
    await ok(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id });
    expect(await updatedAtOf(id)).toBe(created);
    const [other] = await gw.app.db.dataSource.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
    await ok(`mutation($id: ID!, $o: ID!) { setRelatedArticles(articleId: $id, relatedIds: [$o]) { id } }`, {
      id,
      o: toGlobalId("Article", Number(other.id)),
    });
    expect(await updatedAtOf(id)).toBe(created);
    await gw.run(`mutation($id: ID!) { recordView(articleId: $id) }`, { id });
    await gw.app.views.flush();
    const [{ views }] = await gw.app.db.dataSource.query("SELECT views FROM article WHERE id = ?", [
      Number(Buffer.from(id, "base64").toString().split(":")[1]),
    ]);
    expect(Number(views)).toBe(1);
    expect(await updatedAtOf(id)).toBe(created);

    await ok(`mutation($id: ID!) { updateArticle(id: $id, input: { lead: "Лид уточнён." }) { id } }`, { id });
    const edited = await updatedAtOf(id);
    expect(new Date(edited).getTime()).toBeGreaterThan(new Date(created).getTime());
    await tick();
    await ok(`mutation($id: ID!) { setArticleHashtags(articleId: $id, hashtags: ["Поправки"]) { id } }`, { id });
    expect(new Date(await updatedAtOf(id)).getTime()).toBeGreaterThan(new Date(edited).getTime());
  });

  test("corrections: added by editors in order, read by everyone, refused for drafts and empty text", async () => {
    const id = await draft("Статья с поправками");
    const onDraft = await gw.run(`mutation($id: ID!) { addCorrection(articleId: $id, text: "Рано.") { id } }`, { id }, { viewer: EDITOR });
    expect(onDraft.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "articleId" } });
    expect(onDraft.errors?.[0].message).toMatch(/DRAFT; corrections are for published articles/);
    const published = await ok<{ publishArticle: { slug: string } }>(`mutation($id: ID!) { publishArticle(id: $id) { slug } }`, { id });
    const empty = await gw.run(`mutation($id: ID!) { addCorrection(articleId: $id, text: "   ") { id } }`, { id }, { viewer: EDITOR });
    expect(empty.errors?.[0]).toMatchObject({
      message: "text must contain a visible character.",
      extensions: { code: "BAD_USER_INPUT", argument: "text" },
    });

    const slug = published.publishArticle.slug;
    const one = await gw.run(CONTRACT["article-corrections.graphql"], { slug });
    expect(one.data?.article?.corrections).toEqual([]);
    const texts = ["Исправлена фамилия министра.", "Уточнена дата заседания.", "Исправлена сумма."];
    for (const text of texts)
      await ok(`mutation($id: ID!, $t: String!) { addCorrection(articleId: $id, text: $t) { id } }`, { id, t: text });
    const after = await gw.run(CONTRACT["article-corrections.graphql"], { slug });
    expect(after.errors).toBeUndefined();
    expect(after.data?.article).toMatchObject({ id, slug });
    expect(after.data?.article?.corrections.map((c) => c.text)).toEqual(texts);
    const times = after.data!.article!.corrections.map((c) => new Date(c.publishedAt).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // A correction is not an edit of the text: updatedAt stays.
    expect(after.data?.article?.updatedAt).toBe(one.data?.article?.updatedAt);
    // One statement for the article and one for its corrections, however many there are.
    expect(after.statements).toBe(one.statements);
    for (let i = 0; i < 12; i++)
      await ok(`mutation($id: ID!) { addCorrection(articleId: $id, text: "Ещё одна поправка.") { id } }`, { id });
    const many = await gw.run(CONTRACT["article-corrections.graphql"], { slug });
    expect(many.data?.article?.corrections).toHaveLength(15);
    expect(many.statements).toBe(one.statements);
    // Across a list of articles, too.
    const list = `query { articles(first: $n) { edges { node { corrections { text } } } } }`;
    const five = await gw.run(list.replace("$n", "5"));
    const thirty = await gw.run(list.replace("$n", "30"));
    expect(thirty.statements).toBe(five.statements);
  });

  test("every editorial write keeps a revision with the key's name; readers get FORBIDDEN; restore writes the old content back as a new revision", async () => {
    const id = await draft("Версия первая");
    await ok(
      `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Версия вторая", paragraphs: ["Новый абзац.", "Ещё абзац."] }) { id } }`,
      { id },
      CHIEF,
    );
    await ok(`mutation($id: ID!) { setArticleHashtags(articleId: $id, hashtags: ["Версии"]) { id } }`, { id });
    await ok(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id });
    // Writing the same content again keeps no revision.
    await ok(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Версия вторая" }) { id } }`, { id });

    const all = (await ok<Revisions>(REVISIONS, { id, first: 10 })).article!.revisions;
    expect(all.edges.map((e) => [e.node.keyName, e.node.status, e.node.title, e.node.hashtags])).toEqual([
      ["desk-editor", "PUBLISHED", "Версия вторая", ["Версии"]],
      ["desk-editor", "DRAFT", "Версия вторая", ["Версии"]],
      ["chief-editor", "DRAFT", "Версия вторая", []],
      ["desk-editor", "DRAFT", "Версия первая", []],
    ]);
    expect(all.edges[3].node).toMatchObject({ lead: "Первый лид.", paragraphs: ["Первый абзац."] });
    expect(all.pageInfo.hasNextPage).toBe(false);

    // Pages of two, newest first.
    const first = (await ok<Revisions>(REVISIONS, { id, first: 2 })).article!.revisions;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok<Revisions>(REVISIONS, { id, first: 2, after: first.pageInfo.endCursor })).article!.revisions;
    expect([...first.edges, ...second.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
    expect(second.pageInfo.hasNextPage).toBe(false);

    // A reader gets FORBIDDEN and no revision data.
    const asReader = await gw.run(REVISIONS, { id, first: 10 });
    expect(asReader.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(JSON.stringify(asReader.data ?? null)).not.toContain("Версия первая");

    // Restore the first version: its content comes back as a new revision; status and date stay.
    const restored = await ok<{
      restoreRevision: { title: string; lead: string; paragraphs: string[]; hashtags: { name: string }[]; status: string };
    }>(
      `mutation($r: ID!) { restoreRevision(id: $r) { title lead paragraphs hashtags { name } status } }`,
      { r: all.edges[3].node.id },
      CHIEF,
    );
    expect(restored.restoreRevision).toEqual({
      title: "Версия первая",
      lead: "Первый лид.",
      paragraphs: ["Первый абзац."],
      hashtags: [],
      status: "PUBLISHED",
    });
    const now = (await ok<Revisions>(REVISIONS, { id, first: 10 })).article!.revisions;
    expect(now.edges).toHaveLength(5);
    expect(now.edges[0].node).toMatchObject({ keyName: "chief-editor", title: "Версия первая", status: "PUBLISHED" });
    // The restore can itself be undone.
    await ok(`mutation($r: ID!) { restoreRevision(id: $r) { id } }`, { r: now.edges[1].node.id });
    expect((await ok<{ article: { title: string } }>(`query($id: ID!) { article(id: $id) { title } }`, { id })).article.title).toBe(
      "Версия вторая",
    );

    const bad = await gw.run(`mutation { restoreRevision(id: "bm90IGEgcmV2aXNpb24=") { id } }`, {}, { viewer: EDITOR });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "id" } });
  });

  test("revisions cost the same statements whatever their number and the number of articles", async () => {
    const few = await draft("Мало версий");
    const many = await draft("Много версий");
    for (let i = 0; i < 12; i++)
      await ok(`mutation($id: ID!, $l: String!) { updateArticle(id: $id, input: { lead: $l }) { id } }`, { id: many, l: `Лид ${i}` });
    const one = await gw.run(REVISIONS, { id: few, first: 20 }, { viewer: EDITOR });
    const lots = await gw.run(REVISIONS, { id: many, first: 20 }, { viewer: EDITOR });
    expect((lots.data as Revisions).article!.revisions.edges).toHaveLength(13);
    expect(lots.statements).toBe(one.statements);
    const list = `query($n: Int!) { articles(first: $n) { edges { node { revisions(first: 5) { edges { node { title author { name } rubrics { name } } } } } } } }`;
    const two = await gw.run(list, { n: 2 }, { viewer: EDITOR });
    const thirty = await gw.run(list, { n: 30 }, { viewer: EDITOR });
    expect(two.errors).toBeUndefined();
    expect(thirty.statements).toBe(two.statements);
  });

  test("the preview page costs the same statements however many revisions and corrections its article has", async () => {
    const localId = (id: string) => Number(Buffer.from(id, "base64").toString("utf8").split(":")[1]);
    const plain = await draft("Черновик без истории");
    const busy = await draft("Черновик с историей");
    for (let i = 0; i < 10; i++)
      await ok(`mutation($id: ID!, $l: String!) { updateArticle(id: $id, input: { lead: $l }) { id } }`, { id: busy, l: `Лид ${i}` });
    const ds = gw.app.db.dataSource;
    const a = await gw.run(CONTRACT["preview-page.graphql"], { token: (await createPreviewToken(ds, localId(plain), 60, null)).token });
    const b = await gw.run(CONTRACT["preview-page.graphql"], { token: (await createPreviewToken(ds, localId(busy), 60, null)).token });
    expect(a.errors).toBeUndefined();
    expect(b.data?.preview).toMatchObject({ id: busy, status: "DRAFT", lead: "Лид 9" });
    expect(b.statements).toBe(a.statements);
  });

  test("scheduled articles that came due are published once, by exactly one of two instances racing, and announced once", async () => {
    // A webhook endpoint hears of each article once, when it goes live, and not when it is scheduled.
    const hook = await createWebhook(gw.app.db.dataSource, {
      url: "https://93.184.216.34/hook",
      events: [WebhookEvent.ARTICLE_PUBLISHED],
      description: null,
    });
    const deliveries = async () =>
      (
        await gw.app.db.dataSource.query("SELECT article_id FROM webhook_delivery WHERE webhook_id = ? ORDER BY article_id", [
          hook.webhook.id,
        ])
      ).map((r: { article_id: unknown }) => Number(r.article_id));
    const ids = [await draft("Гонка первая"), await draft("Гонка вторая"), await draft("Гонка третья")];
    // An hour ahead, so that scheduling them all is done long before; the runs below are told the time has come.
    const due = new Date(Date.now() + 3600_000);
    const then = new Date(due.getTime() + 1000);
    for (const id of ids) {
      const r = await ok<{ publishArticle: { status: string } }>(
        `mutation($id: ID!, $at: DateTimeISO!) { publishArticle(id: $id, publishedAt: $at) { status } }`,
        { id, at: due.toISOString() },
      );
      expect(r.publishArticle.status).toBe("SCHEDULED");
    }
    expect(await deliveries()).toEqual([]);
    const announced: number[] = [];
    const stop = onArticlesWentLive((published) => {
      announced.push(...published);
    });
    // A second instance: its own connection pool on the same database (SQLite has one writer; it shares the file through its own handle).
    const other = await openDatabase(gw.kind === "sqlite" ? { sqlitePath: gw.database.location } : { url: gw.database.location });
    try {
      expect(await publishDueArticles(gw.app.db.dataSource)).toEqual([]);
      const ds = gw.app.db.dataSource;
      const runs = await Promise.allSettled([publishDueArticles(ds, then), publishDueArticles(other.dataSource, then)]);
      const byRun = runs.map((r) => (r.status === "fulfilled" ? r.value : []));
      const all = byRun.flat().sort((x, y) => x - y);
      const expected = ids.map((id) => Number(Buffer.from(id, "base64").toString("utf8").split(":")[1])).sort((x, y) => x - y);
      // A run that lost a lock race (SQLite: database busy) publishes nothing; the next tick of a scheduler publishes what is left.
      const left = await publishDueArticles(ds, then);
      expect([...all, ...left].sort((x, y) => x - y)).toEqual(expected);
      expect([...announced].sort((x, y) => x - y)).toEqual(expected);
      expect(await deliveries()).toEqual(expected);
      const statuses = await ds.query(`SELECT status FROM article WHERE id IN (${expected.join(", ")})`);
      expect(statuses.map((r: { status: string }) => r.status)).toEqual(["PUBLISHED", "PUBLISHED", "PUBLISHED"]);
    } finally {
      stop();
      await other.dataSource.destroy();
    }
  });

  test("imports keep revisions, so re-importing a changed page can be undone", async () => {
    const record: PageRecord = {
      title: "Импортированная статья о ревизиях",
      publishedOn: "2025-09-21",
      rubrics: ["Общество"],
      views: 5,
      authorName: "Асель Омарова",
      authorEmail: "asel@example.kz",
      lead: "Лид из первого импорта.",
      photoCredit: null,
      paragraphs: ["Абзац из первого импорта."],
      hashtags: ["Импорт"],
      popular: [],
      readAlso: [],
    };
    const ds = gw.app.db.dataSource;
    const first = await importPageTexts(ds, [{ name: "a.txt", text: formatPage(record) }]);
    const articleId = toGlobalId("Article", first.results[0].articleId!);
    // The same page again changes nothing, and keeps no revision.
    await importPageTexts(ds, [{ name: "a.txt", text: formatPage(record) }]);
    await importPageTexts(
      ds,
      [{ name: "a.txt", text: formatPage({ ...record, lead: "Лид из второго импорта.", views: 9 }) }],
      undefined,
      "importer",
    );
    const revs = (await ok<Revisions>(REVISIONS, { id: articleId, first: 10 })).article!.revisions.edges.map((e) => e.node);
    expect(revs.map((r) => [r.keyName, r.lead])).toEqual([
      ["importer", "Лид из второго импорта."],
      [null, "Лид из первого импорта."],
    ]);
    await ok(`mutation($r: ID!) { restoreRevision(id: $r) { id } }`, { r: revs[1].id });
    const back = await ok<{ article: { lead: string; rubrics: { name: string }[]; hashtags: { name: string }[] } }>(
      `query($id: ID!) { article(id: $id) { lead rubrics { name } hashtags { name } } }`,
      { id: articleId },
    );
    expect(back.article).toEqual({ lead: "Лид из первого импорта.", rubrics: [{ name: "Общество" }], hashtags: [{ name: "Импорт" }] });
  });

  test("unscheduleArticle takes a scheduled article back to a draft, and refuses any other", async () => {
    const id = await draft("Эмбарго, которое сняли");
    const at = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const scheduled = await ok<{ publishArticle: { status: string } }>(
      `mutation($id: ID!, $at: DateTimeISO!) { publishArticle(id: $id, publishedAt: $at) { status } }`,
      { id, at },
    );
    expect(scheduled.publishArticle.status).toBe("SCHEDULED");
    // Editors see it as they see drafts; readers do not.
    expect((await gw.run(`query($id: ID!) { article(id: $id) { status } }`, { id }, { viewer: EDITOR })).data).toEqual({
      article: { status: "SCHEDULED" },
    });
    expect((await gw.run(`query($id: ID!) { article(id: $id) { status } }`, { id })).data).toEqual({ article: null });
    const back = await ok<{ unscheduleArticle: { status: string; publishedAt: string } }>(
      `mutation($id: ID!) { unscheduleArticle(id: $id) { status publishedAt } }`,
      { id },
    );
    expect(back.unscheduleArticle).toEqual({ status: "DRAFT", publishedAt: at });
    const again = await gw.run(`mutation($id: ID!) { unscheduleArticle(id: $id) { id } }`, { id }, { viewer: EDITOR });
    expect(again.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/not scheduled \(it is DRAFT\)/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    // A published article moved into the future is scheduled again: the embargo holds whichever mutation sets the date.
    const published = await ok<{ publishArticle: { status: string } }>(
      `mutation($id: ID!) { publishArticle(id: $id, publishedAt: "2025-01-01T00:00:00.000Z") { status } }`,
      { id },
    );
    expect(published.publishArticle.status).toBe("PUBLISHED");
    const moved = await ok<{ updateArticle: { status: string } }>(
      `mutation($id: ID!, $at: DateTimeISO!) { updateArticle(id: $id, input: { publishedAt: $at }) { status } }`,
      { id, at },
    );
    expect(moved.updateArticle.status).toBe("SCHEDULED");
  });
});

/** Every line the gateway logs, as written. */
function capturedLog() {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: createLogger("debug", stream), raw };
}

describe("preview links over HTTP, with Redis", () => {
  let tg: TestGateway;
  let http: HttpTestGateway;
  let probe: RedisProbe;
  let log: ReturnType<typeof capturedLog>;
  let editorKey: string;
  // The contract document's text, as a front end sends it.
  const PREVIEW = operation("preview-page.graphql").loc!.source.body;

  beforeAll(async () => {
    const prefix = testRedisPrefix();
    probe = new RedisProbe(prefix);
    tg = await createTestGateway("sqlite", { corpus: { articles: 20, seed: 4 } });
    log = capturedLog();
    http = await startHttpGateway(tg, { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT: "0" }, log.logger);
    editorKey = (await createApiKey(tg.app.db.dataSource, { name: "preview-editor", role: "editor", rateLimit: 10_000 })).key;
  });
  afterAll(async () => {
    await http?.close();
    await tg?.close();
    await probe?.cleanUp();
  });

  const asEditor = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const r = await http.post({ query, variables }, { authorization: `Bearer ${editorKey}` });
    expect(r.body.errors).toBeUndefined();
    return r.body.data as T;
  };

  async function newDraftWithToken(title: string, expiresInSeconds?: number) {
    const d = await asEditor<{ createArticle: { id: string } }>(
      `mutation($t: String!) { createArticle(input: { title: $t, lead: "Секретный лид.", paragraphs: ["Черновой текст."] }) { id } }`,
      { t: title },
    );
    const id = d.createArticle.id;
    const t = await asEditor<{ createPreviewToken: { token: string; expiresAt: string } }>(
      `mutation($id: ID!, $s: Int) { createPreviewToken(articleId: $id, expiresInSeconds: $s) { token expiresAt } }`,
      { id, s: expiresInSeconds },
    );
    return { id, token: t.createPreviewToken.token };
  }

  test("a valid token shows the draft, as it is now, to a caller with no key; the answer is neither cached nor logged with its token", async () => {
    const { id, token } = await newDraftWithToken("Черновик для предпросмотра");
    expect(token).toMatch(/^ngp_[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const [row] = await tg.app.db.dataSource.query("SELECT token_hash FROM preview_token ORDER BY id DESC LIMIT 1");
    expect(row.token_hash).toBe(createHash("sha256").update(token).digest("hex"));

    const first = await http.post({ query: PREVIEW, variables: { token } });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.preview).toMatchObject({
      id,
      title: "Черновик для предпросмотра",
      status: "DRAFT",
      lead: "Секретный лид.",
      paragraphs: ["Черновой текст."],
    });
    expect(first.headers.get("cache-control")).toBe("private, no-store");
    // A second reader's identical request is answered from the database again, not from a cache.
    const second = await http.post({ query: PREVIEW, variables: { token } });
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("cache-control")).toBe("private, no-store");
    expect(second.statements).toBeGreaterThan(0);

    // The latest edit shows at once.
    await asEditor(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Черновик, правка" }) { id } }`, { id });
    expect((await http.post({ query: PREVIEW, variables: { token } })).body.data?.preview).toMatchObject({ title: "Черновик, правка" });

    // Sent as an automatic persisted query, only the document is kept, never the token.
    const sha256Hash = createHash("sha256").update(PREVIEW).digest("hex");
    const apq = await http.post({ query: PREVIEW, variables: { token }, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(apq.body.data?.preview).toMatchObject({ id });
    await probe.waitForKey("apq:*");
    // A token written into the query text is refused before it could be stored.
    const literal = `query { preview(token: "${token}") { id } }`;
    const refused = await http.post({
      query: literal,
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(literal).digest("hex") } },
    });
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(refused.body.data ?? null).toBeNull();

    const keys = await probe.keys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await probe.client.type(key);
      const value = type === "string" ? await probe.client.get(key) : JSON.stringify(await probe.client.hgetall(key));
      expect([key, value?.includes(token)]).toEqual([key, false]);
      expect(key.includes(token)).toBe(false);
    }
    expect(log.raw.length).toBeGreaterThan(0);
    expect(log.raw.filter((line) => line.includes(token))).toEqual([]);
    expect(log.raw.filter((line) => line.includes(token.slice(4, 20)))).toEqual([]);
  });

  test("an expired, a revoked and a made-up token are each refused with FORBIDDEN and a sentence", async () => {
    const expiring = await newDraftWithToken("Черновик с коротким сроком", 1);
    const expiresAt = Date.now() + 1000;
    while (Date.now() <= expiresAt + 50) await new Promise((r) => setTimeout(r, 100));
    const expired = await http.post({ query: PREVIEW, variables: { token: expiring.token } });
    expect(expired.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^This preview link expired at .*; ask the editor for a new one\.$/),
      extensions: { code: "FORBIDDEN" },
    });
    expect(expired.body.data).toEqual({ preview: null });
    expect(expired.headers.get("cache-control")).toBe("private, no-store");

    const revoking = await newDraftWithToken("Черновик с отозванной ссылкой");
    expect((await http.post({ query: PREVIEW, variables: { token: revoking.token } })).body.data?.preview).toMatchObject({
      id: revoking.id,
    });
    const revoked = await asEditor<{ revokePreviewTokens: number }>(`mutation($id: ID!) { revokePreviewTokens(articleId: $id) }`, {
      id: revoking.id,
    });
    expect(revoked.revokePreviewTokens).toBe(1);
    const afterRevoke = await http.post({ query: PREVIEW, variables: { token: revoking.token } });
    expect(afterRevoke.body.errors?.[0]).toMatchObject({
      message: "This preview link was revoked by the editors.",
      extensions: { code: "FORBIDDEN" },
    });
    expect(afterRevoke.body.data).toEqual({ preview: null });

    for (const token of [`ngp_${"A".repeat(43)}`, "guess", revoking.token.slice(0, -1) + (revoking.token.endsWith("A") ? "B" : "A")]) {
      const madeUp = await http.post({ query: PREVIEW, variables: { token } });
      expect(madeUp.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/never issued/), extensions: { code: "FORBIDDEN" } });
      expect(madeUp.body.data).toEqual({ preview: null });
    }

    const tooLong = await http.post(
      { query: `mutation($id: ID!) { createPreviewToken(articleId: $id, expiresInSeconds: 0) { token } }`, variables: { id: revoking.id } },
      { authorization: `Bearer ${editorKey}` },
    );
    expect(tooLong.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argument: "expiresInSeconds" } });
  });
});

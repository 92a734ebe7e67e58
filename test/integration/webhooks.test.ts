import { toDbTime } from "../../src/db/time";
import fs from "node:fs";
import { loadConfig } from "../../src/config";
import { openDatabase, type Database } from "../../src/db/dataSource";
import { fromGlobalId } from "../../src/graphql/globalId";
import { importPageTexts } from "../../src/write/ingest/importPages";
import { WebhookWorker } from "../../src/webhooks/deliveryWorker";
import { WebhookEvent } from "../../src/webhooks/events";
import { announceLiveEntryAdded, enqueueWebhookEvent } from "../../src/webhooks/outbox";
import { createWebhook } from "../../src/webhooks/webhookStore";
import type { Viewer } from "../../src/read/viewer";
import { databaseKinds } from "../helpers/db";
import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import { createTestGateway, silentLogger, type TestGateway } from "../helpers/gateway";
import { type Received, signatureIsValid, startReceiver, type WebhookReceiver } from "../helpers/webhookReceiver";

const ADMIN: Viewer = { role: "admin", keyName: "admin" };
const EDITOR: Viewer = { role: "editor", keyName: "editor" };

interface Delivery {
  id: string;
  event: string;
  articleId: string | null;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  payload: string;
}

const DELIVERY_FIELDS = "id event articleId status attempts lastStatusCode lastError nextAttemptAt deliveredAt payload";

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const body = (r: Received) =>
  JSON.parse(r.body) as {
    id: string;
    event: string;
    time: string;
    article: { id: string; slug: string; path: string; status: string };
    liveEntry?: { id: string };
  };

describe.each(databaseKinds())("webhooks on %s", (kind) => {
  let gw: TestGateway;
  let receiver: WebhookReceiver;
  const workers: WebhookWorker[] = [];
  const extraDatabases: Database[] = [];

  /** A delivery worker over `ds` with quick retries; stopped after each test. */
  function worker(env: Record<string, string> = {}, ds = gw.database.db.dataSource): WebhookWorker {
    const settings = loadConfig({ WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_MS: "50", WEBHOOK_RETRY_BASE_MS: "200", ...env }).webhooks;
    const w = new WebhookWorker(ds, settings, silentLogger);
    workers.push(w);
    return w;
  }

  async function register(events: WebhookEvent[], url = receiver.url): Promise<{ id: string; secret: string }> {
    const r = await gw.run<{ createWebhook: { webhook: { id: string; url: string; events: string[] }; secret: string } }>(
      `mutation($url: String!, $events: [WebhookEvent!]!) { createWebhook(input: { url: $url, events: $events, description: "test receiver" }) { webhook { id url events } secret } }`,
      { url, events },
      { viewer: ADMIN },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.createWebhook.webhook).toMatchObject({ url, events });
    return { id: r.data!.createWebhook.webhook.id, secret: r.data!.createWebhook.secret };
  }

  async function mutate(
    doc: string,
    variables: Record<string, unknown>,
  ): Promise<Record<string, { id: string; slug: string; path: string }>> {
    const r = await gw.run<Record<string, { id: string; slug: string; path: string }>>(doc, variables, { viewer: EDITOR });
    expect(r.errors).toBeUndefined();
    return r.data!;
  }

  async function draft(title: string): Promise<string> {
    return (await mutate(`mutation($t: String!) { createArticle(input: { title: $t, paragraphs: ["Текст."] }) { id } }`, { t: title }))
      .createArticle.id;
  }

  const publish = (id: string) =>
    mutate(`mutation($id: ID!) { publishArticle(id: $id) { id slug path } }`, { id }).then((d) => d.publishArticle);
  const update = (id: string, lead: string) =>
    mutate(`mutation($id: ID!, $l: String!) { updateArticle(id: $id, input: { lead: $l }) { id } }`, { id, l: lead });

  async function deliveries(webhookId: string): Promise<Delivery[]> {
    const r = await gw.run<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
      `query($w: ID!) { webhookDeliveries(webhookId: $w, first: 100) { edges { node { ${DELIVERY_FIELDS} } } } }`,
      { w: webhookId },
      { viewer: ADMIN },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.webhookDeliveries.edges.map((e) => e.node);
  }

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 40, seed: 14 }, env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  });
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await receiver.close();
    // Each test registers its own endpoints; none hears the next test's writes.
    await gw.database.db.dataSource.query("DELETE FROM webhook_delivery");
    await gw.database.db.dataSource.query("DELETE FROM webhook");
  });
  afterAll(async () => {
    await Promise.all(extraDatabases.map((db) => db.dataSource.destroy()));
    await gw?.close();
  });

  test("a publication is POSTed as signed JSON; drafts are never announced", async () => {
    const { id: webhookId, secret } = await register([WebhookEvent.ARTICLE_PUBLISHED, WebhookEvent.ARTICLE_UPDATED]);
    const id = await draft("Вебхук: новость дня");
    await update(id, "Черновик правят");
    expect(await deliveries(webhookId)).toEqual([]);
    const published = await publish(id);
    worker().start();
    const [request] = await receiver.waitFor(1);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(signatureIsValid(secret, request)).toBe(true);
    expect(signatureIsValid("whsec_wrong", request)).toBe(false);
    const sent = body(request);
    expect(sent).toEqual({
      id: request.headers["x-newsgraph-delivery"],
      event: "ARTICLE_PUBLISHED",
      time: expect.any(String),
      article: { id, slug: published.slug, path: published.path, status: "PUBLISHED" },
    });
    expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Date.parse(sent.time) - Date.now())).toBeLessThan(60_000);
    expect(request.headers["x-newsgraph-event"]).toBe("ARTICLE_PUBLISHED");
    const [seen] = await until("the delivery to be recorded", async () => {
      const list = await deliveries(webhookId);
      return list[0]?.status === "DELIVERED" && list;
    });
    expect(seen).toMatchObject({
      id: sent.id,
      event: "ARTICLE_PUBLISHED",
      articleId: id,
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      payload: request.body,
    });
  });

  test("a receiver that fails twice gets the same delivery three times, backing off", async () => {
    const { id: webhookId, secret } = await register([WebhookEvent.ARTICLE_PUBLISHED]);
    receiver.answer = (_r, i) => ({ status: i < 2 ? 503 : 200 });
    const id = await draft("Вебхук: повтор");
    await publish(id);
    worker().start();
    const attempts = await receiver.waitFor(3);
    expect(new Set(attempts.map((r) => r.headers["x-newsgraph-delivery"])).size).toBe(1);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    expect(attempts.every((r) => signatureIsValid(secret, r))).toBe(true);
    // First retry after WEBHOOK_RETRY_BASE_MS (200), the next after twice that.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(190);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(390);
    const [d] = await until(
      "the third attempt to be recorded",
      async () => (await deliveries(webhookId)).find((x) => x.status === "DELIVERED") && deliveries(webhookId),
    );
    expect(d).toMatchObject({ id: body(attempts[0]).id, attempts: 3, lastStatusCode: 200 });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(3);
  });

  test("attempts are visible while they fail, and a delivery gives up when its retry window closes", async () => {
    const { id: webhookId } = await register([WebhookEvent.ARTICLE_UPDATED]);
    receiver.answer = () => ({ status: 500 });
    const [article] = await gw
      .run<{ articles: { edges: { node: { id: string } }[] } }>(`{ articles(first: 1) { edges { node { id } } } }`)
      .then((r) => r.data!.articles.edges.map((e) => e.node.id));
    await update(article, "Правка, которую не примут");
    worker({ WEBHOOK_RETRY_WINDOW_MS: "1000" }).start();
    const [failed] = await until("the delivery to fail for good", async () => {
      const list = await deliveries(webhookId);
      return list[0]?.status === "FAILED" && list;
    });
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed).toMatchObject({
      lastStatusCode: 500,
      lastError: "the endpoint answered HTTP 500",
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(receiver.received).toHaveLength(failed.attempts);
  });

  test("an article's deliveries arrive in order; other articles' are not held up", async () => {
    const { id: webhookId } = await register([WebhookEvent.ARTICLE_PUBLISHED, WebhookEvent.ARTICLE_UPDATED]);
    const a = await draft("Вебхук: статья А");
    const b = await draft("Вебхук: статья Б");
    let failuresLeft = 2;
    receiver.answer = (r) => ({ status: body(r).article.id === a && failuresLeft-- > 0 ? 500 : 200 });
    await publish(a);
    await update(a, "Первая правка");
    await publish(b);
    worker().start();
    const all = await receiver.waitFor(5);
    const of = (id: string) => all.filter((r) => body(r).article.id === id).map((r) => body(r).event);
    expect(of(a)).toEqual(["ARTICLE_PUBLISHED", "ARTICLE_PUBLISHED", "ARTICLE_PUBLISHED", "ARTICLE_UPDATED"]);
    expect(of(b)).toEqual(["ARTICLE_PUBLISHED"]);
    // B went out with A's first attempt, long before A's publication got through.
    expect(all.findIndex((r) => body(r).article.id === b)).toBeLessThan(2);
    await until("both articles' deliveries to be recorded", async () =>
      (await deliveries(webhookId)).every((d) => d.status === "DELIVERED"),
    );
  });

  test("a slow receiver is cut after WEBHOOK_TIMEOUT_MS and the delivery retried", async () => {
    const { id: webhookId } = await register([WebhookEvent.ARTICLE_PUBLISHED]);
    receiver.answer = (_r, i) => (i === 0 ? { status: 200, delayMs: 20_000 } : { status: 200 });
    const id = await draft("Вебхук: медленный приёмник");
    await publish(id);
    worker({ WEBHOOK_TIMEOUT_MS: "500", WEBHOOK_RETRY_BASE_MS: "3000" }).start();
    const [cut] = await until("the first attempt to be cut", async () => {
      const list = await deliveries(webhookId);
      return list[0]?.attempts === 1 && list;
    });
    expect(cut).toMatchObject({ status: "PENDING", lastStatusCode: null, lastError: "no answer within 500 ms", deliveredAt: null });
    const [first, second] = await receiver.waitFor(2);
    // The retry came after the cut and the back-off, not after the receiver's 20 s answer.
    expect(second.at - first.at).toBeGreaterThanOrEqual(3000);
    expect(second.at - first.at).toBeLessThan(15_000);
    await until("the retry to be recorded", async () => (await deliveries(webhookId))[0]?.status === "DELIVERED");
  });

  test("redirects are not followed: a 3xx is a failed attempt", async () => {
    const target = await startReceiver("/elsewhere");
    try {
      const { id: webhookId } = await register([WebhookEvent.ARTICLE_PUBLISHED]);
      receiver.answer = () => ({ status: 302, headers: { location: target.url } });
      await publish(await draft("Вебхук: перенаправление"));
      worker({ WEBHOOK_RETRY_BASE_MS: "60000" }).start();
      const [d] = await until("the attempt to be recorded", async () => {
        const list = await deliveries(webhookId);
        return list[0]?.attempts === 1 && list;
      });
      expect(d).toMatchObject({ status: "PENDING", lastStatusCode: 302, lastError: "the endpoint answered HTTP 302" });
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  test("a lease goes to one instance only, and to another once it has run out", async () => {
    await register([WebhookEvent.ARTICLE_UPDATED]);
    const ids = await gw
      .run<{ articles: { edges: { node: { id: string } }[] } }>(`{ articles(first: 3) { edges { node { id } } } }`)
      .then((r) => r.data!.articles.edges.map((e) => e.node.id));
    for (const id of ids) await update(id, "Правка для аренды");
    const other = await openDatabase(kind === "sqlite" ? { sqlitePath: gw.database.location } : { url: gw.database.location });
    extraDatabases.push(other);
    const one = worker();
    const two = worker({}, other.dataSource);
    const now = new Date();
    // Both instances see the same due rows; the conditional UPDATE gives them to the first to claim.
    const [seenByOne, seenByTwo] = await Promise.all([one.due(now), two.due(now)]);
    expect(seenByOne).toHaveLength(3);
    expect(seenByTwo).toEqual(seenByOne);
    expect(await one.lease(seenByOne, now)).toHaveLength(3);
    expect(await two.lease(seenByTwo, now)).toEqual([]);
    expect(await two.due(now)).toEqual([]);
    // The first instance died holding them: once the lease has run out the other takes over.
    const later = new Date(now.getTime() + one.leaseMs + 1000);
    const taken = await two.lease(await two.due(later), later);
    expect(taken.map((d) => d.id)).toEqual(seenByOne);
    expect(receiver.received).toHaveLength(0);
  });

  test("only one of two instances sharing the database delivers each delivery", async () => {
    await register([WebhookEvent.ARTICLE_UPDATED]);
    const ids = await gw
      .run<{ articles: { edges: { node: { id: string } }[] } }>(`{ articles(first: 24) { edges { node { id } } } }`)
      .then((r) => r.data!.articles.edges.map((e) => e.node.id));
    for (const [i, id] of ids.entries()) await update(id, `Правка ${i}`);
    // The second instance has its own connections, as another process would.
    const other = await openDatabase(kind === "sqlite" ? { sqlitePath: gw.database.location } : { url: gw.database.location });
    extraDatabases.push(other);
    const one = worker();
    const two = worker({}, other.dataSource);
    expect(one.owner).not.toBe(two.owner);
    await Promise.all([one.deliverDue(), two.deliverDue(), one.deliverDue(), two.deliverDue()]);
    one.start();
    two.start();
    await receiver.waitFor(ids.length);
    await new Promise((r) => setTimeout(r, 1000));
    const sent = receiver.received.map((r) => String(r.headers["x-newsgraph-delivery"]));
    expect(sent).toHaveLength(ids.length);
    expect(new Set(sent).size).toBe(ids.length);
    const rows: { status: string; attempts: unknown }[] = await gw.database.db.dataSource.query(
      "SELECT status, attempts FROM webhook_delivery",
    );
    expect(rows.map((r) => [r.status, Number(r.attempts)])).toEqual(ids.map(() => ["DELIVERED", 1]));
  });

  test("finished deliveries leave the history after WEBHOOK_HISTORY_DAYS; pending ones stay", async () => {
    const { id } = await register([WebhookEvent.ARTICLE_UPDATED]);
    const [hook] = await gw.database.db.dataSource.query("SELECT id FROM webhook ORDER BY id DESC LIMIT 1");
    const now = new Date();
    const daysAgo = (d: number) => toDbTime(new Date(now.getTime() - d * 86_400_000));
    const rows: [string, string][] = [
      ["DELIVERED", daysAgo(10)],
      ["FAILED", daysAgo(9)],
      ["PENDING", daysAgo(8)],
      ["DELIVERED", daysAgo(2)],
      ["FAILED", daysAgo(1)],
    ];
    for (const [i, [status, created]] of rows.entries()) {
      await gw.database.db.dataSource.query(
        `INSERT INTO webhook_delivery (delivery_id, webhook_id, event, article_id, payload, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, 'ARTICLE_UPDATED', NULL, '{}', ?, 1, ?, ?)`,
        [`00000000-0000-4000-8000-00000000000${i}`, hook.id, status, status === "PENDING" ? daysAgo(-1) : null, created],
      );
    }
    const w = worker({ WEBHOOK_HISTORY_DAYS: "7" });
    expect(await w.pruneHistory(now)).toBe(2);
    const left = (await deliveries(id)).map((d) => d.status).sort();
    expect(left).toEqual(["DELIVERED", "FAILED", "PENDING"]);
    expect(await w.pruneHistory(now)).toBe(0);
    expect(() => loadConfig({ WEBHOOK_HISTORY_DAYS: "0" })).toThrow(/WEBHOOK_HISTORY_DAYS/);
  });

  test("unpublish, delete, import and live entries are announced; a rolled-back write announces nothing", async () => {
    const all = Object.values(WebhookEvent);
    const { id: webhookId } = await register(all);
    const id = await draft("Вебхук: жизненный цикл");
    const { slug } = await publish(id);
    await mutate(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id });
    await publish(id);
    await mutate(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id });
    // A draft's deletion is not news.
    await mutate(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id: await draft("Вебхук: удалённый черновик") });
    const page = fs.readFileSync(REFERENCE_PAGE_FILE);
    const first = await importPageTexts(gw.database.db.dataSource, [{ name: "page.txt", text: page }]);
    const again = await importPageTexts(gw.database.db.dataSource, [{ name: "page.txt", text: page }]);
    expect([first.results[0].status, again.results[0].status]).toEqual(["imported", "unchanged"]);
    const live = await gw
      .run<{ articles: { edges: { node: { id: string } }[] } }>(`{ articles(first: 1) { edges { node { id } } } }`)
      .then((r) => r.data!.articles.edges[0].node.id);
    await gw.database.db.dataSource.transaction((m) => announceLiveEntryAdded(m, fromGlobalId(live).id, "TGl2ZUVudHJ5OjE="));
    await gw.database.db.dataSource
      .transaction(async (m) => {
        await enqueueWebhookEvent(m, WebhookEvent.ARTICLE_UPDATED, [fromGlobalId(live).id]);
        throw new Error("rolled back");
      })
      .catch(() => undefined);

    worker().start();
    const got = (await receiver.waitFor(6)).map(body);
    const imported = Buffer.from(`Article:${first.results[0].articleId}`).toString("base64");
    // In order per article; different articles may arrive in any order.
    const of = (articleId: string) => got.filter((b) => b.article.id === articleId).map((b) => [b.event, b.article.status]);
    expect(of(id)).toEqual([
      ["ARTICLE_PUBLISHED", "PUBLISHED"],
      ["ARTICLE_UNPUBLISHED", "DRAFT"],
      ["ARTICLE_PUBLISHED", "PUBLISHED"],
      ["ARTICLE_DELETED", "DELETED"],
    ]);
    expect(of(imported)).toEqual([["PAGES_IMPORTED", "PUBLISHED"]]);
    expect(of(live)).toEqual([["LIVE_ENTRY_ADDED", "PUBLISHED"]]);
    expect(got.find((b) => b.article.id === id)?.article.slug).toBe(slug);
    expect(got.find((b) => b.article.id === live)?.liveEntry).toEqual({ id: "TGl2ZUVudHJ5OjE=" });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(6);
    // webhookDeliveries lists them newest first, in the order the writes committed.
    expect((await deliveries(webhookId)).map((d) => d.event).reverse()).toEqual([
      "ARTICLE_PUBLISHED",
      "ARTICLE_UNPUBLISHED",
      "ARTICLE_PUBLISHED",
      "ARTICLE_DELETED",
      "PAGES_IMPORTED",
      "LIVE_ENTRY_ADDED",
    ]);
  });
});

describe("webhook endpoints on private addresses (server-side request forgery)", () => {
  let gw: TestGateway;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 5, seed: 3 } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await gw?.close();
  });

  const create = (url: string) =>
    gw.run<{ createWebhook: { webhook: { id: string } } }>(
      `mutation($url: String!) { createWebhook(input: { url: $url, events: [ARTICLE_PUBLISHED] }) { webhook { id } } }`,
      { url },
      { viewer: ADMIN },
    );

  test.each([
    ["the test receiver on loopback", () => receiver.url, "127.0.0.1 is a loopback address"],
    ["localhost, through DNS", () => `http://localhost:${receiver.port}/hook`, "localhost resolves to"],
    ["IPv6 loopback", () => "http://[::1]:8080/hook", "::1 is a loopback address"],
    ["an IPv4-mapped private address", () => "http://[::ffff:10.0.0.1]/hook", "is a private address"],
    ["a private range", () => "https://192.168.1.10/hook", "192.168.1.10 is a private address"],
    ["the cloud metadata service", () => "http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
    ["an IPv6 unique-local address", () => "http://[fd12:3456::1]/hook", "is a unique-local address"],
    ["IPv6 link-local", () => "http://[fe80::1]/hook", "is a link-local address"],
    ["the unspecified address", () => "http://0.0.0.0:4000/graphql", "0.0.0.0 is an unspecified address"],
    ["multicast", () => "http://224.0.0.1/hook", "224.0.0.1 is a multicast address"],
    ["another scheme", () => "ftp://93.184.216.34/hook", "url must start with http:// or https://."],
    ["credentials in the URL", () => "https://user:secret@93.184.216.34/hook", "must not carry a user name or password"],
  ])("%s is refused without WEBHOOK_ALLOW_PRIVATE", async (_what, url, message) => {
    const r = await create(url());
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "url" });
    expect(r.errors?.[0].message).toContain(message);
    expect(await gw.database.db.dataSource.query("SELECT id FROM webhook")).toEqual([]);
  });

  test("a public address is accepted (the refusals above are about the address)", async () => {
    const r = await create("https://93.184.216.34/hook");
    expect(r.errors).toBeUndefined();
    const moved = await gw.run(
      `mutation($id: ID!) { updateWebhook(id: $id, input: { url: "http://10.0.0.5/hook" }) { id } }`,
      { id: r.data!.createWebhook.webhook.id },
      { viewer: ADMIN },
    );
    expect(moved.errors?.[0]).toMatchObject({
      message: expect.stringContaining("10.0.0.5 is a private address"),
      extensions: { code: "BAD_USER_INPUT", argument: "url" },
    });
    await gw.run(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: r.data!.createWebhook.webhook.id }, { viewer: ADMIN });
  });

  test("the address is checked again when delivering: an endpoint that now resolves to a private one is not called", async () => {
    // As if its DNS had changed after it was saved: stored without the check.
    const { webhook } = await createWebhook(gw.database.db.dataSource, {
      url: receiver.url,
      events: [WebhookEvent.ARTICLE_UPDATED],
      description: null,
    });
    const [article] = await gw
      .run<{ articles: { edges: { node: { id: string } }[] } }>(`{ articles(first: 1) { edges { node { id } } } }`)
      .then((r) => r.data!.articles.edges.map((e) => e.node.id));
    await gw.run(`mutation($id: ID!) { updateArticle(id: $id, input: { lead: "Правка" }) { id } }`, { id: article }, { viewer: EDITOR });
    const worker = new WebhookWorker(gw.database.db.dataSource, loadConfig({ WEBHOOK_RETRY_BASE_MS: "60000" }).webhooks, silentLogger);
    expect(await worker.deliverDue()).toBe(1);
    const r = await gw.run<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
      `query($w: ID!) { webhookDeliveries(webhookId: $w) { edges { node { ${DELIVERY_FIELDS} } } } }`,
      { w: String(webhook.id) },
      { viewer: ADMIN },
    );
    expect(r.data!.webhookDeliveries.edges[0].node).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastStatusCode: null,
      lastError: expect.stringContaining("refused: url's host 127.0.0.1 is a loopback address"),
    });
    expect(receiver.received).toHaveLength(0);
  });
});

describe("managing webhooks", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: false });
  });
  afterAll(() => gw?.close());

  test("the secret is shown once; webhooks lists, updateWebhook changes, deleteWebhook removes", async () => {
    const made = await gw.run<{ createWebhook: { webhook: { id: string }; secret: string } }>(
      `mutation { createWebhook(input: { url: "https://93.184.216.34/purge", events: [ARTICLE_UPDATED, ARTICLE_DELETED], description: "CDN purge" }) { webhook { id } secret } }`,
      undefined,
      { viewer: ADMIN },
    );
    expect(made.errors).toBeUndefined();
    const { webhook, secret } = made.data!.createWebhook;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await gw.run<{ webhooks: unknown[] }>(`{ webhooks { id url events description } }`, undefined, { viewer: ADMIN });
    expect(listed.data!.webhooks).toEqual([
      { id: webhook.id, url: "https://93.184.216.34/purge", events: ["ARTICLE_UPDATED", "ARTICLE_DELETED"], description: "CDN purge" },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const changed = await gw.run(
      `mutation($id: ID!) { updateWebhook(id: $id, input: { events: [PAGES_IMPORTED], description: null }) { id url events description } }`,
      { id: webhook.id },
      { viewer: ADMIN },
    );
    expect(changed.data).toEqual({
      updateWebhook: { id: webhook.id, url: "https://93.184.216.34/purge", events: ["PAGES_IMPORTED"], description: null },
    });
    const empty = await gw.run(
      `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 5) { edges { cursor } pageInfo { hasNextPage endCursor } } }`,
      { id: webhook.id },
      { viewer: ADMIN },
    );
    expect(empty.data).toEqual({ webhookDeliveries: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    const deleted = await gw.run(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhook.id }, { viewer: ADMIN });
    expect(deleted.data).toEqual({ deleteWebhook: webhook.id });
    expect((await gw.run<{ webhooks: unknown[] }>(`{ webhooks { id } }`, undefined, { viewer: ADMIN })).data!.webhooks).toEqual([]);
  });

  test("bad input is refused with a sentence naming the field, and stores nothing", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [`mutation { createWebhook(input: { url: "https://93.184.216.34/", events: [] }) { secret } }`, {}, "events (arrayMinSize)"],
      [
        `mutation { createWebhook(input: { url: "https://93.184.216.34/", events: [ARTICLE_UPDATED, ARTICLE_UPDATED] }) { secret } }`,
        {},
        "events (arrayUnique)",
      ],
      [`mutation { createWebhook(input: { url: "not a url", events: [ARTICLE_UPDATED] }) { secret } }`, {}, "url is not an absolute URL."],
      [
        `mutation($u: String!) { createWebhook(input: { url: $u, events: [ARTICLE_UPDATED] }) { secret } }`,
        { u: `https://93.184.216.34/${"x".repeat(2100)}` },
        "url (maxLength)",
      ],
      [`mutation { updateWebhook(id: "77", input: { description: "x" }) { id } }`, {}, "id names no webhook."],
      [`mutation { updateWebhook(id: "1", input: { url: null }) { id } }`, {}, "url cannot be cleared"],
      [`mutation { deleteWebhook(id: "abc") }`, {}, 'id "abc" is not a webhook id.'],
      [`{ webhookDeliveries(webhookId: "12") { edges { cursor } } }`, {}, "webhookId names no webhook."],
      [`{ webhookDeliveries(webhookId: "12", first: 500) { edges { cursor } } }`, {}, "first must be between 0 and 100, got 500."],
    ];
    for (const [doc, vars, message] of cases) {
      const r = await gw.run(doc, vars, { viewer: ADMIN });
      expect([doc.slice(0, 60), r.errors?.[0].extensions?.code, r.errors?.[0].message]).toEqual([
        doc.slice(0, 60),
        "BAD_USER_INPUT",
        expect.stringContaining(message),
      ]);
    }
    expect(await gw.database.db.dataSource.query("SELECT id FROM webhook")).toEqual([]);
  });
});

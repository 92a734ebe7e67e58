import type { ExecutionResult } from "graphql";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { heard, subscribe, wsClient } from "../helpers/liveClients";
import { editorKey, type Instance, startInstance } from "../helpers/liveInstances";
import { type EntryAdded, LIVE_BLOG, LIVE_BLOG_UPDATES, NEWS_TICKER, type Ticker } from "../helpers/liveOperations";
import { idOf } from "../../src/graphql/globalId";
import { WebhookEvent } from "../../src/webhooks/events";
import { createWebhook } from "../../src/webhooks/webhookStore";

// Where scheduled publishing meets subscriptions and live blogs: a
// scheduled article is announced to readers when its time comes (by the
// gateway's own scheduler), never before; live blog entries move the
// article's updatedAt; and entries an editor prepares on a scheduled
// article reach no reader until the article is published.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sleeps until the clock reads `at` (or later), in short steps so a loaded machine cannot oversleep by much. */
async function sleepUntil(at: number): Promise<void> {
  while (Date.now() < at) await sleep(Math.min(200, at - Date.now()));
}

describe.each(databaseKinds())("scheduled articles and live announcements on %s", (kind) => {
  let tg: TestGateway;
  let inst: Instance;
  let key: string;
  let rubric: { id: string; slug: string };

  beforeAll(async () => {
    tg = await createTestGateway(kind, { corpus: { articles: 10, seed: 14 } });
    // In memory: one instance, its own scheduler, no Redis. Polled often: no per-address budget.
    inst = await startInstance(tg.database, { RATE_LIMIT: "0" });
    key = await editorKey(inst.app);
    rubric = (await inst.post<{ rubrics: { id: string; slug: string }[] }>("{ rubrics { id slug } }")).data!.rubrics[0];
    // An endpoint listening to both events: what it would be sent is in the outbox, written with each change.
    await createWebhook(tg.app.db.dataSource, {
      url: "https://hooks.example.com/newsroom",
      events: [WebhookEvent.ARTICLE_PUBLISHED, WebhookEvent.LIVE_ENTRY_ADDED],
      description: "partners",
    });
  }, 120_000);
  afterAll(async () => {
    await inst?.close();
    await tg?.close();
  });

  async function asEditor<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const r = await inst.post<T>(query, variables, key);
    expect(r.errors).toBeUndefined();
    return r.data!;
  }

  async function draft(title: string): Promise<string> {
    const { createArticle } = await asEditor<{ createArticle: { id: string } }>(
      `mutation($t: String!) { createArticle(input: { title: $t, paragraphs: ["Текст."] }) { id } }`,
      { t: title },
    );
    await asEditor(`mutation($id: ID!, $r: ID!) { setArticleRubrics(articleId: $id, rubricIds: [$r]) { id } }`, {
      id: createArticle.id,
      r: rubric.id,
    });
    return createArticle.id;
  }

  /** The webhook deliveries written for an article, of one event, as the endpoint will be sent them. */
  async function outbox(id: string, event: WebhookEvent): Promise<{ event: string; liveEntry?: { id: string } }[]> {
    const rows: { payload: string }[] = await tg.app.db.dataSource.query(
      "SELECT payload FROM webhook_delivery WHERE article_id = ? AND event = ? ORDER BY id",
      [idOf("Article", id), event],
    );
    return rows.map((r) => JSON.parse(r.payload));
  }

  const publishNow = (id: string) =>
    asEditor<{ publishArticle: { status: string } }>(
      `mutation($id: ID!, $at: DateTimeISO!) { publishArticle(id: $id, publishedAt: $at) { status } }`,
      {
        id,
        at: new Date().toISOString(),
      },
    );

  test("a reader's articlePublished hears a scheduled article once, when the scheduler publishes it, and not when it is scheduled", async () => {
    const client = wsClient(inst.url);
    const arrivals: { at: number; result: ExecutionResult<Ticker> }[] = [];
    const { received, stop } = subscribe<Ticker>(client, { query: NEWS_TICKER, variables: { rubric: rubric.slug } });
    const unhook = received.push.bind(received);
    received.push = (result) => {
      arrivals.push({ at: Date.now(), result });
      unhook(result);
    };
    const eventsFor = (id: string) => arrivals.filter((a) => a.result.data?.articlePublished.id === id);
    try {
      // Articles published now, until the reader hears one: its subscription is in place from here on.
      let n = 0;
      await heard(received, async () => publishNow(await draft(`Разминка ${++n}`)));

      const title = "Итоги голосования объявят в полдень";
      const id = await draft(title);
      // How long one editorial write takes here decides how far ahead to schedule.
      const started = Date.now();
      await asEditor(`mutation($id: ID!) { updateArticle(id: $id, input: { lead: "Под эмбарго." }) { id } }`, { id });
      const writeMs = Date.now() - started;
      const due = new Date(Math.ceil((Date.now() + Math.max(6000, writeMs * 10)) / 1000) * 1000);
      const scheduled = await asEditor<{ publishArticle: { status: string; publishedAt: string; slug: string; path: string } }>(
        `mutation($id: ID!, $at: DateTimeISO!) { publishArticle(id: $id, publishedAt: $at) { status publishedAt slug path } }`,
        { id, at: due.toISOString() },
      );
      expect(scheduled.publishArticle).toMatchObject({ status: "SCHEDULED", publishedAt: due.toISOString() });

      // Right before the time: nothing of it has reached the reader.
      await sleepUntil(due.getTime() - 1500);
      const checkedAt = Date.now();
      expect(eventsFor(id)).toEqual([]);
      expect(received.error).toBeUndefined();
      expect(checkedAt).toBeLessThan(due.getTime());
      expect(await outbox(id, WebhookEvent.ARTICLE_PUBLISHED)).toEqual([]);

      // From here on no request and no command: the gateway's scheduler publishes it and announces it.
      await received.until(() => eventsFor(id).length > 0, 90_000);
      const [event] = eventsFor(id);
      expect(event.at).toBeGreaterThanOrEqual(due.getTime());
      expect(event.result.errors).toBeUndefined();
      const article = event.result.data!.articlePublished;
      expect(article).toMatchObject({
        id,
        title,
        slug: scheduled.publishArticle.slug,
        path: scheduled.publishArticle.path,
        publishedAt: due.toISOString(),
      });
      expect(article.path).toContain(article.slug);
      expect(article.rubrics.map((r) => r.slug)).toContain(rubric.slug);
      const [row] = await tg.app.db.dataSource.query("SELECT status FROM article WHERE slug = ?", [article.slug]);
      expect(row.status).toBe("PUBLISHED");

      // Exactly once: an article published after it is heard, and nothing more of the scheduled one came before or since.
      const marker = await draft("Следующая новость");
      await publishNow(marker);
      await received.until(() => eventsFor(marker).length === 1, 30_000);
      expect(eventsFor(id)).toHaveLength(1);
      // Webhook endpoints are told once too, by the same write.
      expect((await outbox(id, WebhookEvent.ARTICLE_PUBLISHED)).map((p) => p.event)).toEqual([WebhookEvent.ARTICLE_PUBLISHED]);
      expect(inst.gateway.schedule.nextDueAt).toBeNull();
    } finally {
      stop();
      await client.dispose();
    }
  }, 180_000);

  test("Article.updatedAt moves to the time of a live blog entry added to it", async () => {
    const id = await draft("Матч в прямом эфире");
    await publishNow(id);
    await asEditor(`mutation($id: ID!) { startLiveBlog(articleId: $id) { live } }`, { id });
    const UPDATED = `query($id: ID!) { article(id: $id) { updatedAt live liveEntries(first: 5) { edges { node { id postedAt } } } } }`;
    type Read = { article: { updatedAt: string; live: boolean; liveEntries: { edges: { node: { id: string; postedAt: string } }[] } } };
    const before = (await inst.post<Read>(UPDATED, { id })).data!.article;
    expect(before.live).toBe(true);
    // A later second than the one stored (a database may keep whole seconds).
    await sleepUntil(new Date(before.updatedAt).getTime() + 1100);
    const { addLiveEntry } = await asEditor<{ addLiveEntry: { id: string; postedAt: string } }>(
      `mutation($id: ID!) { addLiveEntry(articleId: $id, text: "Счёт открыт", pinned: false) { id postedAt } }`,
      { id },
    );
    // What a reader sees, read again through GraphQL (and past any cached answer).
    const after = (await inst.post<Read>(UPDATED, { id })).data!.article;
    expect(after.liveEntries.edges.map((e) => e.node.id)).toEqual([addLiveEntry.id]);
    expect(new Date(after.updatedAt).getTime()).toBeGreaterThan(new Date(before.updatedAt).getTime());
    expect(after.updatedAt).toBe(addLiveEntry.postedAt);
  }, 60_000);

  test("an entry an editor adds to a scheduled article is accepted but reaches no reader until the article is published", async () => {
    const id = await draft("Прямая трансляция под эмбарго");
    await publishNow(id);
    await asEditor(`mutation($id: ID!) { startLiveBlog(articleId: $id) { live } }`, { id });
    const client = wsClient(inst.url);
    const { received, stop } = subscribe<EntryAdded>(client, { query: LIVE_BLOG_UPDATES, variables: { articleId: id } });
    try {
      // While it is published the reader hears entries: its subscription is in place from here on.
      let n = 0;
      await heard(received, () =>
        asEditor(`mutation($id: ID!, $t: String!) { addLiveEntry(articleId: $id, text: $t, pinned: false) { id } }`, {
          id,
          t: `Разминка ${++n}`,
        }),
      );
      const warmUp = received.results.length;
      const warmUpDeliveries = (await outbox(id, WebhookEvent.LIVE_ENTRY_ADDED)).length;
      expect(warmUpDeliveries).toBe(n);

      // Put back under embargo for an hour; the editor keeps preparing the live blog.
      const scheduled = await asEditor<{ publishArticle: { status: string; slug: string } }>(
        `mutation($id: ID!, $at: DateTimeISO!) { publishArticle(id: $id, publishedAt: $at) { status slug } }`,
        { id, at: new Date(Date.now() + 3600_000).toISOString() },
      );
      expect(scheduled.publishArticle.status).toBe("SCHEDULED");
      const secret = await asEditor<{ addLiveEntry: { id: string; text: string } }>(
        `mutation($id: ID!) { addLiveEntry(articleId: $id, text: "Заготовка под эмбарго", pinned: true) { id text } }`,
        { id },
      );
      expect(secret.addLiveEntry.text).toBe("Заготовка под эмбарго");

      // A reader: the article, and so its live blog, is not there.
      const hidden = await inst.post<{ article: unknown }>(LIVE_BLOG, { slug: scheduled.publishArticle.slug });
      expect(hidden.errors).toBeUndefined();
      expect(hidden.data!.article).toBeNull();
      expect(JSON.stringify(hidden)).not.toContain("Заготовка");
      // Nor is any webhook endpoint told of it.
      expect(await outbox(id, WebhookEvent.LIVE_ENTRY_ADDED)).toHaveLength(warmUpDeliveries);
      // The editor sees the prepared entry.
      const editorView = await asEditor<{ article: { liveEntries: { edges: { node: { id: string } }[] } } }>(LIVE_BLOG, {
        slug: scheduled.publishArticle.slug,
      });
      expect(editorView.article.liveEntries.edges.map((e) => e.node.id)).toContain(secret.addLiveEntry.id);

      // Published again, a new entry reaches the reader; the bus keeps a topic's order, so the embargoed one would have come first.
      await publishNow(id);
      const { addLiveEntry: open } = await asEditor<{ addLiveEntry: { id: string } }>(
        `mutation($id: ID!) { addLiveEntry(articleId: $id, text: "Трансляция началась", pinned: false) { id } }`,
        { id },
      );
      await received.until(() => received.results.length > warmUp, 30_000);
      expect(received.error).toBeUndefined();
      const heardAfter = received.results.slice(warmUp);
      expect(heardAfter.map((r) => r.data?.liveEntryAdded.id)).toEqual([open.id]);
      expect(JSON.stringify(received.results)).not.toContain("Заготовка");
      const told = (await outbox(id, WebhookEvent.LIVE_ENTRY_ADDED)).slice(warmUpDeliveries);
      expect(told.map((p) => p.liveEntry?.id)).toEqual([open.id]);

      // Once published, the prepared entry is part of the live blog readers see.
      const shown = await inst.post<{ article: { liveEntries: { edges: { node: { id: string } }[] } } }>(LIVE_BLOG, {
        slug: scheduled.publishArticle.slug,
      });
      expect(shown.data!.article.liveEntries.edges.map((e) => e.node.id)).toEqual(
        expect.arrayContaining([secret.addLiveEntry.id, open.id]),
      );
    } finally {
      stop();
      await client.dispose();
    }
  }, 120_000);
});

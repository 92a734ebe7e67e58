import Redis from "ioredis";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, type TestGateway } from "../helpers/gateway";
import { type Received, sseClient, subscribe, wsClient } from "../helpers/liveClients";
import { editorKey, type Instance, startInstance } from "../helpers/liveInstances";
import { RedisProbe, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";
import { print } from "graphql";

const NEWS_TICKER = print(operation("news-ticker.graphql"));
const LIVE_BLOG_UPDATES = print(operation("live-blog-updates.graphql"));
const LIVE_BLOG = print(operation("live-blog.graphql"));

interface Ticker {
  articlePublished: { id: string; slug: string; path: string; title: string; publishedAt: string; rubrics: { slug: string; name: string }[] };
}
interface EntryAdded {
  liveEntryAdded: { id: string; postedAt: string; text: string; pinned: boolean; author: { id: string; name: string } | null };
}

/** Resolves once an instance's Redis subscriber listens on the channel, so that a publication cannot overtake the subscription. */
async function listening(redis: Redis, prefix: string, topic: string, count = 1): Promise<void> {
  const channel = `${prefix}:live:${topic}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [, n] = (await redis.pubsub("NUMSUB", channel)) as [string, number];
    if (Number(n) >= count) return;
    if (Date.now() > deadline) throw new Error(`no instance subscribed to ${channel}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function draft(inst: Instance, key: string, title: string, rubricId?: string): Promise<string> {
  const created = await inst.post<{ createArticle: { id: string } }>(`mutation($t: String!) { createArticle(input: { title: $t, paragraphs: ["Текст."] }) { id } }`, { t: title }, key);
  const id = created.data!.createArticle.id;
  if (rubricId) await inst.post(`mutation($id: ID!, $r: ID!) { setArticleRubrics(articleId: $id, rubricIds: [$r]) { id } }`, { id, r: rubricId }, key);
  return id;
}

describe.each(databaseKinds())("subscriptions across instances sharing Redis, on %s", (kind) => {
  let tg: TestGateway;
  let a: Instance;
  let b: Instance;
  let key: string;
  let prefix: string;
  let probe: RedisProbe;
  let rubric: { id: string; slug: string };
  const latencies: Record<string, number> = {};

  beforeAll(async () => {
    tg = await createTestGateway(kind, { corpus: { articles: 20, seed: 5 } });
    prefix = testRedisPrefix();
    probe = new RedisProbe(prefix);
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix };
    a = await startInstance(tg.database, env);
    b = await startInstance(tg.database, env);
    key = await editorKey(b.app);
    const rubrics = await b.post<{ rubrics: { id: string; slug: string }[] }>("{ rubrics { id slug } }");
    rubric = rubrics.data!.rubrics[0];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await tg?.close();
    await probe?.cleanUp();
    // eslint-disable-next-line no-console
    console.log(`live event latency on ${kind} (publish answered -> event received): ${JSON.stringify(latencies)}`);
  });

  async function publishAndWait(received: Received<Ticker>, title: string, label: string): Promise<string> {
    const id = await draft(b, key, title, rubric.id);
    const before = received.results.length;
    await b.post(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, key);
    const published = Date.now();
    await received.until(() => received.results.length > before);
    latencies[label] = Date.now() - published;
    return id;
  }

  test.each(["graphql-ws", "graphql-sse"] as const)(
    "%s: articlePublished subscribed on one instance hears a publication through the other, with its fields",
    async (protocol) => {
      const client = protocol === "graphql-ws" ? wsClient(a.url) : sseClient(a.url);
      const { received, stop } = subscribe<Ticker>(client, { query: NEWS_TICKER, variables: { rubric: rubric.slug } });
      try {
        await listening(probe.client, prefix, "articlePublished");
        // A draft is not announced, and neither is an article of another rubric.
        await draft(b, key, `Черновик ${protocol}`, rubric.id);
        const id = await publishAndWait(received, `Новость ${protocol}`, protocol);
        expect(received.error).toBeUndefined();
        expect(received.results).toHaveLength(1);
        const event = received.results[0];
        expect(event.errors).toBeUndefined();
        const article = event.data!.articlePublished;
        expect(article.id).toBe(id);
        expect(article.title).toBe(`Новость ${protocol}`);
        expect(article.slug).toBeTruthy();
        expect(article.path).toContain(article.slug);
        expect(new Date(article.publishedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
        expect(article.rubrics.map((r) => r.slug)).toContain(rubric.slug);
        // The event went through Redis: instance b has no subscriber of its own.
        expect(latencies[protocol]).toBeLessThan(10_000);
      } finally {
        stop();
        await (client as { dispose(): unknown }).dispose();
      }
    },
  );

  test("a live blog: entries an editor adds reach a subscriber and the live-blog query; a reader can add none", async () => {
    const id = await draft(b, key, "Прямая трансляция");
    await b.post(`mutation($id: ID!) { publishArticle(id: $id) { id } startLiveBlog(articleId: $id) { live } }`, { id }, key);
    const client = wsClient(a.url);
    const { received, stop } = subscribe<EntryAdded>(client, { query: LIVE_BLOG_UPDATES, variables: { articleId: id } });
    try {
      const articleId = Buffer.from(id, "base64").toString().split(":")[1];
      await listening(probe.client, prefix, `liveEntryAdded:${articleId}`);
      const added = await b.post<{ addLiveEntry: { id: string } }>(
        `mutation($id: ID!) { addLiveEntry(articleId: $id, text: "Первый гол!", pinned: false) { id } }`,
        { id },
        key,
      );
      expect(added.errors).toBeUndefined();
      const sent = Date.now();
      await received.until(() => received.results.length === 1);
      latencies.liveEntryAdded = Date.now() - sent;
      const entry = received.data[0].liveEntryAdded;
      expect(entry).toMatchObject({ id: added.data!.addLiveEntry.id, text: "Первый гол!", pinned: false });

      const refused = await a.post(`mutation($id: ID!) { addLiveEntry(articleId: $id, text: "Читатель") { id } }`, { id });
      expect(refused.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");

      const slug = (await a.post<{ node: { slug: string } }>(`query($id: ID!) { node(id: $id) { ... on Article { slug } } }`, { id })).data!.node.slug;
      const blog = await a.post<{ article: { live: boolean; liveEntries: { edges: { node: { id: string; text: string } }[] } } }>(LIVE_BLOG, { slug });
      expect(blog.errors).toBeUndefined();
      expect(blog.data!.article.live).toBe(true);
      expect(blog.data!.article.liveEntries.edges.map((e) => e.node.text)).toEqual(["Первый гол!"]);
      expect(received.results).toHaveLength(1);
    } finally {
      stop();
      await client.dispose();
    }
  });
});

describe("subscriptions on one instance without Redis", () => {
  let tg: TestGateway;
  let inst: Instance;
  let key: string;

  beforeAll(async () => {
    tg = await createTestGateway("sqlite", { corpus: { articles: 10, seed: 4 } });
    // Every connection from loopback is one address; opening one counts as a request against RATE_LIMIT.
    inst = await startInstance(tg.database, { CONNECTIONS_PER_ADDRESS: "1100", RATE_LIMIT: "0" });
    key = await editorKey(inst.app);
  });
  afterAll(async () => {
    await inst?.close();
    await tg?.close();
  });

  const UPDATED = "subscription($id: ID!) { articleUpdated(id: $id) { id status title } }";
  const retitle = (id: string, title: string) => inst.post(`mutation($id: ID!, $t: String!) { updateArticle(id: $id, input: { title: $t }) { id } }`, { id, t: title }, key);

  /** Writes until the subscriber has heard something: proof that its subscription is in place. */
  async function heard(received: Received, write: () => Promise<unknown>): Promise<void> {
    const before = received.results.length;
    const deadline = Date.now() + 20_000;
    while (received.results.length === before) {
      if (Date.now() > deadline) throw new Error("the subscriber heard nothing");
      await write();
      await received.until(() => received.results.length > before, 300).catch(() => undefined);
    }
  }

  test("articleUpdated: an editor hears changes to a draft, a reader only ever hears the published article", async () => {
    const id = await draft(inst, key, "Черновик");
    const editorClient = wsClient(inst.url, { key });
    const readerClient = wsClient(inst.url);
    const editor = subscribe<{ articleUpdated: { status: string; title: string } }>(editorClient, { query: UPDATED, variables: { id } });
    const reader = subscribe<{ articleUpdated: { status: string; title: string } }>(readerClient, { query: UPDATED, variables: { id } });
    try {
      await heard(editor.received, () => retitle(id, "секрет редакции"));
      expect(editor.received.data[0].articleUpdated).toMatchObject({ status: "DRAFT", title: "секрет редакции" });
      // Published: the reader hears it, so its subscription is in place from here on.
      await retitle(id, "Публичный заголовок");
      await inst.post(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, key);
      await heard(reader.received, () => retitle(id, "Опубликовано"));
      // Back to a draft: nothing of it may reach the reader.
      await inst.post(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id }, key);
      for (let i = 0; i < 3; i++) await retitle(id, `секрет ${i}`);
      await retitle(id, "Публичный заголовок");
      await inst.post(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, key);
      await heard(reader.received, () => retitle(id, "Снова опубликовано"));
      expect(reader.received.error).toBeUndefined();
      const seen = reader.received.data.map((d) => d.articleUpdated);
      expect(seen.length).toBeGreaterThan(1);
      for (const article of seen) {
        expect(article.status).toBe("PUBLISHED");
        expect(article.title).not.toMatch(/секрет/);
      }
      // The editor heard the draft's changes all along.
      expect(editor.received.data.some((d) => d.articleUpdated.title === "секрет 2" && d.articleUpdated.status === "DRAFT")).toBe(true);
    } finally {
      editor.stop();
      reader.stop();
      await editorClient.dispose();
      await readerClient.dispose();
    }
  });

  test("1,000 concurrent subscribers on one instance all receive one publication, resolved with shared loaders", async () => {
    const clients = Array.from({ length: 1000 }, () => wsClient(inst.url));
    const subs: ReturnType<typeof subscribe<Ticker>>[] = [];
    try {
      // Connected a hundred at a time, as reconnecting readers would: a thousand at once would overflow the listen backlog.
      for (let i = 0; i < clients.length; i += 100) {
        const batch = clients.slice(i, i + 100);
        subs.push(...batch.map((c) => subscribe<Ticker>(c, { query: NEWS_TICKER })));
        const deadline = Date.now() + 30_000;
        while (!batch.every((c) => c.connected())) {
          const failed = subs.find((s) => s.received.error !== undefined);
          if (failed) throw new Error(`a subscriber failed: ${String(failed.received.error)}`);
          if (Date.now() > deadline) throw new Error("subscribers did not connect");
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      // Every subscription is in place once each has heard an article go live.
      const first = await draft(inst, key, "Проверка связи");
      await inst.post(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: first }, key);
      const deadline = Date.now() + 120_000;
      let warmups = 0;
      while (subs.some((s) => s.received.results.length === 0)) {
        const failed = subs.find((s) => s.received.error !== undefined);
        if (failed) throw new Error(`a subscriber failed: ${JSON.stringify(failed.received.error)}`);
        if (Date.now() > deadline) throw new Error(`${subs.filter((s) => s.received.results.length === 0).length} subscribers heard nothing`);
        const again = await draft(inst, key, `Проверка связи ${++warmups}`);
        await inst.post(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: again }, key);
        await new Promise((r) => setTimeout(r, 500));
      }
      const id = await draft(inst, key, "Главная новость");
      const statementsBefore = inst.app.db.statements.total;
      await inst.post(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, key);
      const published = Date.now();
      const heardIt = (s: (typeof subs)[number]) => s.received.results.find((r) => r.data?.articlePublished.id === id);
      await Promise.all(subs.map((s) => s.received.until(() => heardIt(s) !== undefined, 60_000)));
      const ms = Date.now() - published;
      for (const s of subs) {
        expect(s.received.results.every((r) => r.errors === undefined)).toBe(true);
        expect(heardIt(s)!.data!.articlePublished).toMatchObject({ id, title: "Главная новость", rubrics: [] });
      }
      // The publication's own statements plus one read per relation for all 1,000, not 1,000 of each.
      expect(inst.app.db.statements.total - statementsBefore).toBeLessThan(60);
      // eslint-disable-next-line no-console
      console.log(`1,000 subscribers received one publication in ${ms} ms`);
    } finally {
      for (const s of subs) s.stop();
      await Promise.all(clients.map((c) => c.dispose()));
    }
  }, 240_000);
});

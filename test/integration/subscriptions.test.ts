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

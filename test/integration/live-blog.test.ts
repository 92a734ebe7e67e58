import type { Viewer } from "../../src/read/viewer";
import { CONTRACT } from "../helpers/contract";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { startHttpGateway } from "../helpers/httpGateway";

const EDITOR: Viewer = { role: "editor", keyName: "editor" };
const LIVE_BLOG = CONTRACT["live-blog.graphql"];

describe.each(databaseKinds())("live blogs on %s", (kind) => {
  let gw: TestGateway;
  let article: { id: string; slug: string };

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 12, seed: 11 } });
    const first = await gw.run<{ articles: { edges: { node: { id: string; slug: string } }[] } }>("{ articles(first: 1) { edges { node { id slug } } } }");
    article = first.data!.articles.edges[0].node;
  });
  afterAll(() => gw?.close());

  const add = (text: string, pinned = false, articleId = article.id) =>
    gw.run<{ addLiveEntry: { id: string; text: string; pinned: boolean; author: { name: string } | null } }>(
      `mutation($a: ID!, $t: String!, $p: Boolean!) { addLiveEntry(articleId: $a, text: $t, pinned: $p) { id text pinned author { name } } }`,
      { a: articleId, t: text, p: pinned },
      { viewer: EDITOR },
    );
  const texts = (r: { data?: { article: { liveEntries: { edges: { node: { text: string } }[] } } | null } | null }) =>
    r.data!.article!.liveEntries.edges.map((e) => e.node.text);

  test("an editor runs a live blog: entries pinned first, then newest first, paged; readers see it through live-blog.graphql", async () => {
    const notLive = await add("Слишком рано");
    expect(notLive.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "articleId" });

    const started = await gw.run(`mutation($a: ID!) { startLiveBlog(articleId: $a) { live } }`, { a: article.id }, { viewer: EDITOR });
    expect(started).toMatchObject({ data: { startLiveBlog: { live: true } } });
    const before = await gw.run(LIVE_BLOG, { slug: article.slug, first: 3 });
    expect(texts(before)).toEqual([]);

    const added: string[] = [];
    for (const [text, pinned] of [["08:00 Начало"], ["08:05 Важное", true], ["08:10 Гол"], ["08:15 Замена"], ["08:20 Пенальти"]] as [string, boolean?][]) {
      const r = await add(text, pinned ?? false);
      expect(r.errors).toBeUndefined();
      expect(r.data!.addLiveEntry).toMatchObject({ text, pinned: pinned ?? false });
      added.push(r.data!.addLiveEntry.id);
    }
    // The answer cached before the first entry is not served after it: the content version moved.
    const page1 = await gw.run(LIVE_BLOG, { slug: article.slug, first: 3 });
    expect(page1.errors).toBeUndefined();
    expect(page1.data!.article).toMatchObject({ id: article.id, live: true });
    expect(texts(page1)).toEqual(["08:05 Важное", "08:20 Пенальти", "08:15 Замена"]);
    expect(page1.data!.article!.liveEntries.pageInfo.hasNextPage).toBe(true);
    const page2 = await gw.run(LIVE_BLOG, { slug: article.slug, first: 3, after: page1.data!.article!.liveEntries.pageInfo.endCursor });
    expect(texts(page2)).toEqual(["08:10 Гол", "08:00 Начало"]);
    expect(page2.data!.article!.liveEntries.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    const node = page1.data!.article!.liveEntries.edges[0].node;
    expect(node.author).toEqual(expect.objectContaining({ name: expect.any(String) }));
    expect(new Date(node.postedAt).getTime()).toBeLessThanOrEqual(new Date(node.updatedAt).getTime());

    // Unpinned, edited and deleted entries take their places.
    const updated = await gw.run(`mutation($e: ID!) { updateLiveEntry(id: $e, text: "08:05 Уточнение", pinned: false) { text pinned updatedAt postedAt } }`, { e: added[1] }, { viewer: EDITOR });
    expect(updated.data).toMatchObject({ updateLiveEntry: { text: "08:05 Уточнение", pinned: false } });
    const deleted = await gw.run(`mutation($e: ID!) { deleteLiveEntry(id: $e) }`, { e: added[4] }, { viewer: EDITOR });
    expect(deleted.data).toEqual({ deleteLiveEntry: added[4] });
    expect(texts(await gw.run(LIVE_BLOG, { slug: article.slug }))).toEqual(["08:15 Замена", "08:10 Гол", "08:05 Уточнение", "08:00 Начало"]);

    const ended = await gw.run(`mutation($a: ID!) { endLiveBlog(articleId: $a) { live } }`, { a: article.id }, { viewer: EDITOR });
    expect(ended.data).toEqual({ endLiveBlog: { live: false } });
    const after = await gw.run(LIVE_BLOG, { slug: article.slug });
    expect(after.data!.article!.live).toBe(false);
    expect(texts(after)).toHaveLength(4);
    expect((await add("После конца")).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  test("a page of entries costs the same statements for 2 entries as for 50", async () => {
    await gw.run(`mutation($a: ID!) { startLiveBlog(articleId: $a) { live } }`, { a: article.id }, { viewer: EDITOR });
    for (let i = 0; i < 12; i++) await add(`Запись ${i}`, i % 5 === 0);
    const small = await gw.run(LIVE_BLOG, { slug: article.slug, first: 2 });
    const large = await gw.run(LIVE_BLOG, { slug: article.slug, first: 50 });
    expect(texts(large).length).toBeGreaterThan(12);
    expect(small.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBeGreaterThan(0);
  });

  test("wrong input is refused with BAD_USER_INPUT naming the argument", async () => {
    await gw.run(`mutation($a: ID!) { startLiveBlog(articleId: $a) { live } }`, { a: article.id }, { viewer: EDITOR });
    expect((await add("   ")).errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "text" });
    expect((await add("x".repeat(20_001))).errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "text" });
    const badId = await gw.run(`mutation { deleteLiveEntry(id: "${Buffer.from("LiveEntry:999999").toString("base64")}") }`, undefined, { viewer: EDITOR });
    expect(badId.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "id" });
    const badCursor = await gw.run(LIVE_BLOG, { slug: article.slug, after: "nonsense" });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "after" });
  });

  test("readers cannot write, and a draft's live blog is seen by editors only", async () => {
    const reader = await gw.run(`mutation($a: ID!) { addLiveEntry(articleId: $a, text: "Читатель") { id } }`, { a: article.id });
    expect(reader.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(reader.data).toBeNull();
    const created = await gw.run<{ createArticle: { id: string; slug: string } }>(`mutation { createArticle(input: { title: "Черновая трансляция" }) { id slug } }`, undefined, { viewer: EDITOR });
    const draft = created.data!.createArticle;
    await gw.run(`mutation($a: ID!) { startLiveBlog(articleId: $a) { live } }`, { a: draft.id }, { viewer: EDITOR });
    expect((await add("Секретная запись", false, draft.id)).errors).toBeUndefined();
    expect((await gw.run(LIVE_BLOG, { slug: draft.slug })).data).toEqual({ article: null });
    expect(texts(await gw.run(LIVE_BLOG, { slug: draft.slug }, { viewer: EDITOR }))).toEqual(["Секретная запись"]);
  });

  test("entries carry a short cache hint of their own over HTTP", async () => {
    const http = await startHttpGateway(gw);
    try {
      const answer = await http.post({ query: "query($slug: String!) { article(slug: $slug) { title liveEntries { edges { node { text } } } } }", variables: { slug: article.slug } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("cache-control")).toBe("max-age=10, public");
      const plain = await http.post({ query: "query($slug: String!) { article(slug: $slug) { title live } }", variables: { slug: article.slug } });
      expect(plain.headers.get("cache-control")).toBe("max-age=300, public");
    } finally {
      await http.close();
    }
  });
});

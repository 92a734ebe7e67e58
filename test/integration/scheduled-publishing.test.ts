import { refreshPopularRanking } from "../../src/write/derived/popularRanking";
import { createApiKey } from "../../src/write/keys/apiKeys";
import { createCacheStore } from "../../src/cache/store";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/dataSource";
import { toDbTime, utcDay } from "../../src/db/time";
import { toGlobalId } from "../../src/graphql/globalId";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, operation, silentLogger, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { RedisProbe, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis";

// An article scheduled a few seconds ahead is unreachable for readers by
// every path, then, with no request or command, appears on all of them,
// while the HTTP server keeps running with the response cache on and a
// front page was cached before the time.

const FRONT = operation("front-page.graphql").loc!.source.body;
const WORD = "Зеравшанский";

const LOOKUPS = `query Lookups($id: ID!, $slug: String!, $path: String!, $reps: [_Any!]!) {
  byId: article(id: $id) { id }
  bySlug: article(slug: $slug) { id }
  byPath: article(path: $path) { id }
  node(id: $id) { id }
  _entities(representations: $reps) { ... on Article { id title } }
}`;

const LISTS = `query Lists($from: DateTimeISO!, $rubric: String!, $hashtag: String!, $author: String!, $linked: ID!) {
  latest: articles(first: 50) { totalCount edges { node { id } } }
  fromNow: articles(first: 50, filter: { from: $from }) { totalCount edges { node { id } } }
  rubric: tag(slug: $rubric) { articleCount articles(first: 50) { totalCount edges { node { id } } } }
  hashtag: tag(kind: HASHTAG, slug: $hashtag) { articleCount articles(first: 50) { totalCount edges { node { id } } } }
  author(slug: $author) { articles(first: 50) { totalCount edges { node { id } } } }
  popular(first: 10, window: WEEK) { id }
  linked: article(id: $linked) { related(first: 10) { id } }
  collection(slug: "scheduled-test") { articles { id } }
}`;

const FOUND = `query Found($q: String!, $year: Int!, $month: Int!) {
  search(query: $q, first: 10) { edges { node { id } } }
  archive(year: $year, month: $month) { years { year count months { month count days { day count } } } }
}`;

interface Edges {
  totalCount: number;
  edges: { node: { id: string } }[];
}

/** Everything a reader can see of the article, by path: true = reachable there; counts as the lists report them. */
interface ReaderView {
  byId: boolean;
  bySlug: boolean;
  byPath: boolean;
  node: boolean;
  entity: boolean;
  latest: boolean;
  fromNow: boolean;
  rubric: boolean;
  hashtag: boolean;
  author: boolean;
  popular: boolean;
  related: boolean;
  collection: boolean;
  search: boolean;
  counts: Record<string, number>;
}

describe.each(databaseKinds())("scheduled publishing on %s", (kind) => {
  let tg: TestGateway;
  let http: HttpTestGateway;
  let editorKey: string;
  let scheduled: { id: string; slug: string; path: string };
  let linked: string;
  let names: { rubric: string; hashtag: string; author: string };

  async function editor<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const r = await http.post({ query, variables }, { authorization: `Bearer ${editorKey}` });
    expect(r.body.errors).toBeUndefined();
    return r.body.data as T;
  }

  async function reader(query: string, variables: Record<string, unknown>) {
    const r = await http.post({ query, variables });
    expect([r.status, r.body.errors]).toEqual([200, undefined]);
    return r;
  }

  const has = (list: { id: string }[] | undefined | null) => (list ?? []).some((a) => a.id === scheduled.id);
  const inEdges = (c: Edges | undefined | null) => has(c?.edges.map((e) => e.node));

  async function readerView(due: Date): Promise<ReaderView> {
    const id = scheduled.id;
    const a = (await reader(LOOKUPS, { id, slug: scheduled.slug, path: scheduled.path, reps: [{ __typename: "Article", id }] })).body
      .data as { byId: unknown; bySlug: unknown; byPath: unknown; node: unknown; _entities: ({ id: string } | null)[] };
    const l = (
      await reader(LISTS, {
        from: new Date(due.getTime() - 1000).toISOString(),
        rubric: names.rubric,
        hashtag: names.hashtag,
        author: names.author,
        linked,
      })
    ).body.data as {
      latest: Edges;
      fromNow: Edges;
      rubric: { articleCount: number; articles: Edges };
      hashtag: { articleCount: number; articles: Edges };
      author: { articles: Edges };
      popular: { id: string }[];
      linked: { related: { id: string }[] };
      collection: { articles: { id: string }[] };
    };
    const f = (await reader(FOUND, { q: WORD, year: due.getUTCFullYear(), month: due.getUTCMonth() + 1 })).body.data as {
      search: Edges;
      archive: {
        years: { year: number; count: number; months: { month: number; count: number; days: { day: number; count: number }[] }[] }[];
      };
    };
    const year = f.archive.years.find((y) => y.year === due.getUTCFullYear());
    const month = year?.months.find((m) => m.month === due.getUTCMonth() + 1);
    return {
      byId: a.byId !== null,
      bySlug: a.bySlug !== null,
      byPath: a.byPath !== null,
      node: a.node !== null,
      entity: a._entities[0] !== null,
      latest: inEdges(l.latest),
      fromNow: inEdges(l.fromNow),
      rubric: inEdges(l.rubric.articles),
      hashtag: inEdges(l.hashtag.articles),
      author: inEdges(l.author.articles),
      popular: has(l.popular),
      related: has(l.linked.related),
      collection: has(l.collection.articles),
      search: inEdges(f.search),
      counts: {
        latest: l.latest.totalCount,
        fromNow: l.fromNow.totalCount,
        rubric: l.rubric.articles.totalCount,
        rubricArticleCount: l.rubric.articleCount,
        hashtag: l.hashtag.articles.totalCount,
        hashtagArticleCount: l.hashtag.articleCount,
        author: l.author.articles.totalCount,
        archiveYear: year?.count ?? 0,
        archiveMonth: month?.count ?? 0,
        archiveDay: month?.days.find((d) => d.day === due.getUTCDate())?.count ?? 0,
      },
    };
  }

  beforeAll(async () => {
    tg = await createTestGateway(kind, { corpus: { articles: 40, seed: 21 } });
    // The reader paths below are polled many times: no per-address budget. No poll either: the
    // scheduler's own timer, armed by the editor's request, must publish on time by itself.
    http = await startHttpGateway(tg, { RATE_LIMIT: "0", SCHEDULE_POLL_SECONDS: "0" });
    const ds = tg.app.db.dataSource;
    editorKey = (await createApiKey(ds, { name: `scheduler-editor-${kind}`, role: "editor", rateLimit: 100_000 })).key;
    const [author] = await ds.query("SELECT id, slug FROM author ORDER BY id LIMIT 1");
    const [rubric] = await ds.query("SELECT id, slug FROM tag WHERE kind = 'RUBRIC' ORDER BY id LIMIT 1");
    const [published] = await ds.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY published_at DESC LIMIT 1");
    linked = toGlobalId("Article", Number(published.id));
    const created = await editor<{ createArticle: { id: string; slug: string; path: string } }>(
      `mutation($a: ID!) { createArticle(input: { title: "${WORD} канал откроют весной", lead: "Эмбарго до объявления.", paragraphs: ["${WORD} канал."], authorId: $a }) { id slug path } }`,
      { a: toGlobalId("Author", Number(author.id)) },
    );
    const id = created.createArticle.id;
    await editor(
      `mutation($id: ID!, $r: ID!, $l: ID!) {
        setArticleRubrics(articleId: $id, rubricIds: [$r]) { id }
        setArticleHashtags(articleId: $id, hashtags: ["Эмбарго проверка"]) { id }
        setRelatedArticles(articleId: $l, relatedIds: [$id]) { id }
      }`,
      { id, r: toGlobalId("Tag", Number(rubric.id)), l: linked },
    );
    const localId = Number(Buffer.from(id, "base64").toString("utf8").split(":")[1]);
    // The most viewed article of the week, and first on a site list.
    await ds.query("INSERT INTO article_view_day (article_id, day, views) VALUES (?, ?, ?)", [localId, utcDay(new Date()), 1_000_000]);
    await ds.query("UPDATE article SET views = 1000000 WHERE id = ?", [localId]);
    // As the view counter's flush does with the views it writes: the kept popular rankings take them in.
    await ds.transaction((m) => refreshPopularRanking(m, [localId], utcDay(new Date())));
    await ds.query("INSERT INTO collection (slug, name, captured_at) VALUES ('scheduled-test', 'Scheduled test', NULL)");
    const [{ id: collectionId }] = await ds.query("SELECT id FROM collection WHERE slug = 'scheduled-test'");
    await ds.query("INSERT INTO collection_item (collection_id, position, article_id) VALUES (?, 0, ?)", [collectionId, localId]);
    const [hashtag] = await ds.query("SELECT slug FROM tag WHERE kind = 'HASHTAG' AND name = 'Эмбарго проверка'");
    names = { rubric: rubric.slug, hashtag: hashtag.slug, author: author.slug };
    scheduled = created.createArticle;
  }, 120_000);

  afterAll(async () => {
    await http?.close();
    await tg?.close();
  });

  test("absent from every reader path until its time, then present on all of them by itself", async () => {
    // How long one look at every path takes on this machine decides how far ahead to schedule.
    const started = Date.now();
    await readerView(new Date(Date.now() + 60_000));
    const lookMs = Date.now() - started;
    // Later than the editor's request deadline (REQUEST_TIMEOUT_MS, 10 s): the publication must not run under it.
    const due = new Date(Math.ceil((Date.now() + Math.max(12_000, lookMs * 5)) / 1000) * 1000);
    // The counts while the article is a draft, for the day it will be published on.
    const baseline = await readerView(due);
    expect(baseline.latest).toBe(false);
    const published = await editor<{ publishArticle: { status: string; slug: string; path: string; publishedAt: string } }>(
      `mutation($id: ID!, $at: DateTimeISO!) { publishArticle(id: $id, publishedAt: $at) { status slug path publishedAt } }`,
      { id: scheduled.id, at: due.toISOString() },
    );
    expect(published.publishArticle).toMatchObject({ status: "SCHEDULED", publishedAt: due.toISOString() });
    scheduled = { id: scheduled.id, slug: published.publishArticle.slug, path: published.publishArticle.path };

    // The front page, cached before the time: the second request is answered from the cache, with a max-age cut to the time left.
    const frontBody = { query: FRONT, variables: { first: 10 } };
    const firstFront = await reader(frontBody.query, frontBody.variables);
    const cachedFront = await reader(frontBody.query, frontBody.variables);
    expect(cachedFront.statements).toBe(0);
    const maxAge = Number(/max-age=(\d+)/.exec(cachedFront.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge * 1000).toBeLessThanOrEqual(due.getTime() - Date.now() + 1000);
    expect(JSON.stringify(firstFront.body)).not.toContain(scheduled.id);

    // Every reader path, before the time.
    const before = await readerView(due);
    const checkedAt = Date.now();
    const hidden = { ...before, counts: undefined };
    expect(hidden).toEqual({
      byId: false,
      bySlug: false,
      byPath: false,
      node: false,
      entity: false,
      latest: false,
      fromNow: false,
      rubric: false,
      hashtag: false,
      author: false,
      popular: false,
      related: false,
      collection: false,
      search: false,
      counts: undefined,
    });
    // Scheduling it changed no count a reader sees: lists, tags, the author, the archive summary.
    expect(before.counts).toEqual(baseline.counts);
    expect(before.counts.fromNow).toBe(0);
    // Right before the time: the look above finished while the article was still scheduled.
    expect(checkedAt).toBeLessThan(due.getTime());
    const recordView = await reader(`mutation($id: ID!) { recordView(articleId: $id) }`, { id: scheduled.id });
    expect(recordView.body.data).toEqual({ recordView: false });

    // From here on, nothing but reading: the scheduler inside the running server publishes it.
    let after = await readerView(due);
    const deadline = Date.now() + 90_000;
    const everywhere = (v: ReaderView) => Object.entries(v).every(([k, value]) => k === "counts" || value === true);
    while (!everywhere(after) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      after = await readerView(due);
    }
    expect(Date.now()).toBeGreaterThanOrEqual(due.getTime());
    expect({ ...after, counts: undefined }).toEqual({
      byId: true,
      bySlug: true,
      byPath: true,
      node: true,
      entity: true,
      latest: true,
      fromNow: true,
      rubric: true,
      hashtag: true,
      author: true,
      popular: true,
      related: true,
      collection: true,
      search: true,
      counts: undefined,
    });
    // Every count now includes it, and the maintained summaries count it from its publication time.
    expect(after.counts).toEqual({
      latest: before.counts.latest + 1,
      fromNow: 1,
      rubric: before.counts.rubric + 1,
      rubricArticleCount: before.counts.rubricArticleCount + 1,
      hashtag: 1,
      hashtagArticleCount: 1,
      author: before.counts.author + 1,
      archiveYear: before.counts.archiveYear + 1,
      archiveMonth: before.counts.archiveMonth + 1,
      archiveDay: before.counts.archiveDay + 1,
    });
    const [row] = await tg.app.db.dataSource.query("SELECT status FROM article WHERE slug = ?", [scheduled.slug]);
    expect(row.status).toBe("PUBLISHED");

    // The front page cached before the time is not served any more: the same request now shows the article first.
    const front = await reader(frontBody.query, frontBody.variables);
    const latest = (front.body.data as { latest: { edges: { node: { id: string } }[] } }).latest.edges.map((e) => e.node.id);
    expect(latest[0]).toBe(scheduled.id);
    expect(http.gateway.schedule.nextDueAt).toBeNull();
  }, 180_000);
});

describe("a schedule written by another instance", () => {
  let tg: TestGateway;
  let http: HttpTestGateway;
  let probe: RedisProbe;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const prefix = testRedisPrefix();
    probe = new RedisProbe(prefix);
    env = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, SCHEDULE_POLL_SECONDS: "1", RATE_LIMIT: "0" };
    tg = await createTestGateway("sqlite", { corpus: { articles: 20, seed: 8 } });
    http = await startHttpGateway(tg, env);
  });
  afterAll(async () => {
    await http?.close();
    await tg?.close();
    await probe?.cleanUp();
  });

  test("is picked up by the poll once the shared content version moves, and cuts this instance's max-age", async () => {
    expect(http.gateway.schedule.nextDueAt).toBeNull();
    const due = new Date(Math.ceil((Date.now() + 3600_000) / 1000) * 1000);
    // The other instance: its own connection and its own cache client; it writes, then moves the shared version.
    const other = await openDatabase({ sqlitePath: tg.database.location });
    const store = createCacheStore(loadConfig({ NODE_ENV: "test", ...env }), silentLogger);
    try {
      const [draft] = await other.dataSource.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
      await other.dataSource.query("UPDATE article SET status = 'SCHEDULED', published_at = ? WHERE id = ?", [toDbTime(due), draft.id]);
      await store.version.bump();
    } finally {
      await store.close();
      await other.dataSource.destroy();
    }
    const deadline = Date.now() + 30_000;
    while (http.gateway.schedule.nextDueAt === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(http.gateway.schedule.nextDueAt?.toISOString()).toBe(due.toISOString());
    const r = await http.post({ query: "{ articles(first: 1) { totalCount } }" });
    const maxAge = Number(/max-age=(\d+)/.exec(r.headers.get("cache-control") ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge * 1000).toBeLessThanOrEqual(due.getTime() - Date.now() + 1000);
  }, 60_000);
});

import { createReader, type Reader } from "../../src/read/reader";
import { createLoaders } from "../../src/read/loaders";
import { RequestBatcher } from "../../src/read/loaders/batcher";
import { generateCorpus, DEMO_CORPUS } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { ArticleOrder } from "../../src/read/paging/articleOrder";
import { READER } from "../../src/read/viewer";
import { TagKind } from "../../entities";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

// Like graphql/dataloader's own tests: record every batch a loader sends and
// assert how the keys were grouped.
let database: TestDatabase;
let batches: string[];
let reader: Reader;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  await writeCorpus(database.db.dataSource, generateCorpus({ ...DEMO_CORPUS, articles: 80 }));
  const direct = createReader(database.db.dataSource);
  reader = {
    read(sql, params) {
      batches.push(sql.replace(/\s+/g, " ").slice(0, 60));
      return direct.read(sql, params);
    },
  };
});
afterAll(() => database.drop());
beforeEach(() => {
  batches = [];
});

function loaders() {
  const batcher = new RequestBatcher();
  const tracked: Reader = { read: (sql, params) => batcher.track(reader.read(sql, params)) };
  return Object.assign(createLoaders(tracked, READER, batcher), { tracked });
}

test("loads of one tick become one statement, in key order, with nulls for misses", async () => {
  const l = loaders();
  const found = await Promise.all([3, 1, 2, 999999, 1].map((id) => l.articleById.load(id)));
  expect(batches).toHaveLength(1);
  expect(found.map((a) => a?.id ?? null)).toEqual([3, 1, 2, null, 1]);
});

test("a loader's cache answers a repeated key without a statement, and priming works across lookups", async () => {
  const l = loaders();
  const bySlug = await l.articleById.load(5);
  expect(batches).toHaveLength(1);
  await l.articleBySlug.load(bySlug!.slug);
  await l.articleById.load(5);
  expect(batches).toHaveLength(1);
});

test("tags of many articles are one statement, each list in page order", async () => {
  const l = loaders();
  const lists = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => l.tagsByArticleId.load(id)));
  expect(batches).toHaveLength(1);
  for (const list of lists) {
    expect(list.length).toBeGreaterThan(0);
    expect(list[0].kind).toBe(TagKind.RUBRIC);
  }
});

test("a batch waits for statements still in flight, so keys from a slower sibling join it", async () => {
  const l = loaders();
  const fast = l.articleById.load(1).then((a) => l.authorById.load(a!.authorId!));
  // The sibling's statement is still running when the first author key is queued.
  const slow = l.articleById.load(2).then(async (a) => {
    await l.tracked.read("SELECT 1 AS one");
    return l.authorById.load(a!.authorId!);
  });
  await Promise.all([fast, slow]);
  const authorBatches = batches.filter((b) => b.includes("FROM author"));
  expect(authorBatches).toHaveLength(1);
});

test("pages of several tags' articles are one statement, limited per tag", async () => {
  const l = loaders();
  const page = { limit: 3, backward: false, cursor: null };
  const pages = await Promise.all([1, 2, 3].map((parentId) => l.articlesOfTag.load({ parentId, page, order: ArticleOrder.PUBLISHED_AT_DESC })));
  expect(batches).toHaveLength(1);
  for (const rows of pages) {
    expect(rows.length).toBeLessThanOrEqual(4);
    const times = rows.map((a) => a.publishedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  }
});

test("counts of several authors are one statement", async () => {
  const l = loaders();
  const counts = await Promise.all([1, 2, 3].map((id) => l.articleCountOfAuthor.load(id)));
  expect(batches).toHaveLength(1);
  expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
});

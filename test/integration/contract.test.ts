import { buildASTSchema, parse, validate } from "graphql";
import fs from "node:fs";
import path from "node:path";
import { createApollo } from "../../src/graphql/apollo";
import { loadConfig } from "../../src/config";
import { createContext } from "../../src/graphql/context";
import { getSchema } from "../../src/graphql/schema";
import { toGlobalId } from "../../src/graphql/globalId";
import { unpublishArticle } from "../../src/write/articleWrites";
import { addCorrection } from "../../src/workflow/corrections";
import { createPreviewToken } from "../../src/workflow/previewTokens";
import { databaseKinds } from "../helpers/db";
import { CONTRACT, checkContractDocuments, type ContractFile } from "../helpers/contract";
import { createTestGateway, operation, operationFiles, requestFiles, silentLogger, type TestGateway } from "../helpers/gateway";

// A dense corpus (about 130 articles a month) so that every list in the
// contract has more than 50 rows to page through.
const DENSE = { articles: 400, from: new Date(Date.UTC(2025, 0, 1)), to: new Date(Date.UTC(2025, 2, 31)), seed: 7 };

interface Sample {
  articleSlug: string;
  articleId: string;
  rubricSlug: string;
  hashtagSlug: string;
  authorSlug: string;
  /** A preview token of a draft. */
  previewToken: string;
}

async function sample(gw: TestGateway): Promise<Sample> {
  const ds = gw.app.db.dataSource;
  const [article] = await ds.query("SELECT id, slug FROM article WHERE status = 'PUBLISHED' ORDER BY views DESC, id LIMIT 1");
  const [rubric] = await ds.query(
    "SELECT t.slug FROM tag t JOIN article_tag x ON x.tag_id = t.id WHERE t.kind = 'RUBRIC' GROUP BY t.id, t.slug ORDER BY COUNT(*) DESC, t.slug LIMIT 1",
  );
  const [hashtag] = await ds.query(
    "SELECT t.slug FROM tag t JOIN article_tag x ON x.tag_id = t.id WHERE t.kind = 'HASHTAG' GROUP BY t.id, t.slug ORDER BY COUNT(*) DESC, t.slug LIMIT 1",
  );
  const [author] = await ds.query(
    "SELECT au.slug FROM author au JOIN article a ON a.author_id = au.id GROUP BY au.id, au.slug ORDER BY COUNT(*) DESC, au.slug LIMIT 1",
  );
  // The article page's article carries a correction; a draft has a preview link.
  await addCorrection(ds, Number(article.id), "Уточнена дата заседания.", null);
  const [draft] = await ds.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY id DESC LIMIT 1");
  await unpublishArticle(ds, Number(draft.id));
  const { token } = await createPreviewToken(ds, Number(draft.id), 3600, null);
  return {
    previewToken: token,
    articleSlug: article.slug,
    articleId: Buffer.from(`Article:${article.id}`).toString("base64"),
    rubricSlug: rubric.slug,
    hashtagSlug: hashtag.slug,
    authorSlug: author.slug,
  };
}

function variablesFor(file: string, s: Sample, first: number): Record<string, unknown> {
  switch (file) {
    case "article-page.graphql":
    case "article-media.graphql":
    case "article-head.graphql":
    case "article-corrections.graphql":
      return { slug: s.articleSlug };
    case "preview-page.graphql":
      return { token: s.previewToken };
    case "front-page.graphql":
      return { first };
    case "rubric-page.graphql":
      return { slug: s.rubricSlug, first };
    case "archive-page.graphql":
      return { year: 2025, month: 2, first };
    case "search.graphql":
      return { query: "министр", first };
    case "author-page.graphql":
      return { slug: s.authorSlug, first };
    case "record-view.graphql":
      return { articleId: s.articleId };
    case "site-lists.graphql":
      return {};
    case "live-blog.graphql":
      return { slug: s.articleSlug, first };
    default:
      throw new Error(`no variables for ${file}`);
  }
}

test("every contract document validates against the schema and the committed SDL", () => {
  const committed = buildASTSchema(parse(fs.readFileSync(path.resolve(__dirname, "../../schema/schema.graphql"), "utf8")));
  for (const file of operationFiles()) {
    expect([file, validate(getSchema(), operation(file))]).toEqual([file, []]);
    expect([file, validate(committed, operation(file))]).toEqual([file, []]);
  }
});

test("the typed documents codegen made are the contract's operations", () => {
  expect(checkContractDocuments).not.toThrow();
});

test("schema/operations holds the front-end contract unchanged", () => {
  const contract = path.resolve(__dirname, "../../../shared/contract");
  if (!fs.existsSync(contract)) return;
  for (const file of fs.readdirSync(contract).filter((f) => f.endsWith(".graphql"))) {
    expect([file, fs.readFileSync(path.join(contract, file), "utf8")]).toEqual([file, operation(file).loc?.source.body]);
  }
});

test("the workflow's operations are the upcoming contract documents, unchanged", () => {
  const upcoming = path.resolve(__dirname, "../../../shared/contract/upcoming");
  if (!fs.existsSync(upcoming)) return;
  for (const file of ["article-corrections.graphql", "preview-page.graphql"]) {
    expect([file, fs.readFileSync(path.join(upcoming, file), "utf8")]).toEqual([file, operation(file).loc?.source.body]);
  }
});

describe.each(databaseKinds())("contract operations on %s", (kind) => {
  let gw: TestGateway;
  let s: Sample;

  beforeAll(async () => {
    // Statement counts are what a request costs the database, so no response comes from the cache.
    gw = await createTestGateway(kind, { corpus: DENSE, pictures: true });
    s = await sample(gw);
  });
  afterAll(() => gw?.close());

  test.each(requestFiles())("%s returns data without errors", async (file) => {
    const result = await gw.run(CONTRACT[file as ContractFile], variablesFor(file, s, 20) as never);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
    for (const value of Object.values(result.data as object)) expect(value).not.toBeNull();
  });

  test.each(requestFiles().filter((f) => f !== "record-view.graphql"))(
    "%s costs the same statements for a page of 5 and of 50",
    async (file) => {
      // Warm nothing: every run gets fresh loaders, as a request does.
      const small = await gw.run(CONTRACT[file as ContractFile], variablesFor(file, s, 5) as never);
      const large = await gw.run(CONTRACT[file as ContractFile], variablesFor(file, s, 50) as never);
      expect(small.errors).toBeUndefined();
      expect(large.errors).toBeUndefined();
      expect(large.statements).toBe(small.statements);
      expect(small.statements).toBeGreaterThan(0);
    },
  );

  test("authors come with their articles and the rubrics' counts with the rubrics, each as its own read would give it", async () => {
    // The article with its author, its tags, read-also, popular, the archive months.
    const page = await gw.run(CONTRACT["article-page.graphql"], { slug: s.articleSlug });
    expect(page.statements).toBe(5);
    // The latest and the popular teasers with their authors, the rubrics with their counts, the teasers' rubrics.
    const front = await gw.run(CONTRACT["front-page.graphql"], { first: 20 });
    expect(front.statements).toBe(4);
    const teasers = [page.data!.article!, ...front.data!.latest.edges.map((e) => e.node), ...front.data!.popular];
    expect(teasers.filter((t) => t.author !== null).length).toBeGreaterThan(10);
    for (const t of teasers) {
      const [row] = await gw.app.db.dataSource.query("SELECT au.id, au.name, au.slug FROM article a LEFT JOIN author au ON au.id = a.author_id WHERE a.slug = ?", [t.slug]);
      expect([t.slug, t.author && { id: t.author.id, name: t.author.name, slug: t.author.slug }]).toEqual([
        t.slug,
        row.id === null ? null : { id: toGlobalId("Author", Number(row.id)), name: row.name, slug: row.slug },
      ]);
    }
    // Each rubric's count as the rubric alone gives it (through the count loader).
    for (const r of front.data!.rubrics) {
      const one = await gw.run<{ tag: { articleCount: number } | null }>(`query($slug: String!) { tag(slug: $slug) { articleCount } }`, { slug: r.slug });
      expect([r.slug, r.articleCount]).toEqual([r.slug, one.data?.tag?.articleCount]);
    }
    expect(front.data!.rubrics.some((r) => r.articleCount > 0)).toBe(true);
  });

  test("graphql-jit answers every operation as graphql-js does: the same data, errors and statements", async () => {
    const interpreted = createApollo(loadConfig({ NODE_ENV: "test", GRAPHQL_EXECUTOR: "graphql-js" }), silentLogger);
    await interpreted.start();
    try {
      const files = requestFiles().filter((f) => f !== "record-view.graphql");
      // Answers without errors first: after an error graphql-js answers while
      // sibling fields may still be reading, which would blur the next count.
      const clean: [string, Record<string, unknown>][] = [
        ...files.map((f): [string, Record<string, unknown>] => [f, variablesFor(f, s, 20)]),
        ["article-page.graphql", { slug: "no-such-article" }],
      ];
      const failing: [string, Record<string, unknown>][] = [
        ...files
          // Operations without a page size have no page that can be too large.
          .filter((f) => !["article-page.graphql", "article-head.graphql", "site-lists.graphql", "article-corrections.graphql", "preview-page.graphql", "article-media.graphql"].includes(f))
          .map((f): [string, Record<string, unknown>] => [f, variablesFor(f, s, 101)]),
        ["rubric-page.graphql", { slug: s.rubricSlug, first: 5, after: "not a cursor" }],
      ];
      for (const [file, variables] of [...clean, ...failing]) {
        const query = operation(file).loc!.source.body;
        // A document is compiled when it comes a second time; the first run is graphql-js's.
        await gw.run(query, variables);
        const before = gw.database.db.statements.total;
        const jit = await gw.run(query, variables);
        const middle = gw.database.db.statements.total;
        const response = await interpreted.executeOperation({ query, variables }, { contextValue: createContext(gw.app) });
        const js = response.body.kind === "single" ? response.body.singleResult : null;
        expect([file, variables, jit.data, jit.errors]).toEqual([file, variables, js?.data, js?.errors]);
        if (clean.some(([f, v]) => f === file && v === variables)) {
          expect(jit.errors).toBeUndefined();
          expect([file, middle - before]).toEqual([file, gw.database.db.statements.total - middle]);
        } else {
          expect(jit.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
        }
      }
    } finally {
      await interpreted.stop();
    }
  });

  test("article-media.graphql gives the main image, its credit and rendition URLs", async () => {
    const r = await gw.run(CONTRACT["article-media.graphql"], { slug: s.articleSlug });
    const image = r.data?.article?.mainImage;
    expect(image).toBeTruthy();
    expect(image?.credit).toBe(r.data?.article?.photoCredit);
    expect(image?.url).toMatch(/^\/media\/\d+\/[0-9a-f]{12}\/1200\.jpg$/);
    expect(image?.thumbnail).toMatch(/\/320\.webp$/);
    expect(image?.srcSet.split(", ").map((e) => e.split(" ")[1])).toEqual(["320w", "640w", "1024w"]);
  });

  test("lists really hold more than 50 rows, so the comparison above means something", async () => {
    const front = await gw.run(CONTRACT["front-page.graphql"], { first: 50 });
    expect(front.data?.latest.edges).toHaveLength(50);
    expect(front.data?.latest.pageInfo.hasNextPage).toBe(true);
    const rubric = await gw.run(CONTRACT["rubric-page.graphql"], { slug: s.rubricSlug, first: 50 });
    expect(rubric.data?.tag?.articles.edges).toHaveLength(50);
    const archive = await gw.run(CONTRACT["archive-page.graphql"], { year: 2025, month: 2, first: 50 });
    expect(archive.data?.articles.edges).toHaveLength(50);
    expect(archive.data?.articles.totalCount).toBeGreaterThan(50);
  });
});

// The demo content `npm start` writes (DEMO_CORPUS) answers every contract
// operation too, on each database.
describe.each(databaseKinds())("contract operations on the demo content on %s", (kind) => {
  let gw: TestGateway;
  let s: Sample;
  let month: { year: number; month: number };
  beforeAll(async () => {
    gw = await createTestGateway(kind, { pictures: true });
    s = await sample(gw);
    const [latest] = await gw.app.db.dataSource.query(
      "SELECT year, month FROM archive_day WHERE article_count > 0 ORDER BY year DESC, month DESC LIMIT 1",
    );
    month = { year: Number(latest.year), month: Number(latest.month) };
  });
  afterAll(() => gw?.close());

  test.each(requestFiles())("%s returns data without errors", async (file) => {
    const variables = file === "archive-page.graphql" ? { ...month, first: 20 } : variablesFor(file, s, 20);
    const result = await gw.run(CONTRACT[file as ContractFile], variables as never);
    expect(result.errors).toBeUndefined();
    for (const value of Object.values(result.data as object)) expect(value).not.toBeNull();
  });
});

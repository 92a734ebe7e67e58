import { createContext } from "../../src/graphql/context";
import { clearArticleLoaders } from "../../src/write/clearLoaders";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

describe.each(databaseKinds())("a request's loaders on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 30, seed: 7 } });
  });
  afterAll(() => gw?.close());

  test("are made a group at a time when first asked for, load, prime each other and clear", async () => {
    const ctx = createContext(gw.app);
    const loaders = ctx.loaders;
    // Nothing is made until a loader is asked for.
    expect(Object.values(loaders)).toEqual([]);
    const [row] = await gw.app.db.dataSource.query("SELECT id, slug, path FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
    const byId = await loaders.articleById.load(Number(row.id));
    expect(byId?.slug).toBe(row.slug);
    // The article group was made whole: its loaders primed each other, so these read nothing.
    expect(Object.keys(loaders).sort()).toEqual(["articleById", "articleByPath", "articleBySlug"]);
    const statements = gw.app.db.statements.total;
    expect(await loaders.articleBySlug.load(String(row.slug))).toBe(byId);
    expect(await loaders.articleByPath.load(String(row.path))).toBe(byId);
    expect(gw.app.db.statements.total).toBe(statements);
    // The same loader object every time it is asked for.
    expect(loaders.articleById).toBe(loaders.articleById);
    // Another group, made on its own.
    const tags = await loaders.tagsByArticleId.load(Number(row.id));
    expect(tags.length).toBeGreaterThan(0);
    expect(Object.keys(loaders).sort()).toEqual(["articleById", "articleByPath", "articleBySlug", "tagById", "tagByKindSlug", "tagsByArticleId"]);
    // Clearing reaches every loader made: the next load reads again.
    clearArticleLoaders(loaders);
    await loaders.articleById.load(Number(row.id));
    expect(gw.app.db.statements.total).toBe(statements + 2);
    // Each request has its own.
    expect(createContext(gw.app).loaders.articleById).not.toBe(loaders.articleById);
  });
});

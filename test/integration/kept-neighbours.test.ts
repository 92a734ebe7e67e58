import { createArticle, deleteArticle, publishArticle, setArticleHashtags, setArticleRubrics, unpublishArticle, updateArticle } from "../../src/write/articleWrites";
import { fromDbTime } from "../../src/db/time";
import { rebuildNeighbours, refreshQueuedNeighbours } from "../../src/write/derived/keptNeighbours";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

// The kept read-also neighbours (src/write/derived/keptNeighbours.ts) after a mix
// of writes: refreshed from the queue the writers filled, they must equal
// what a rebuild from the articles themselves gives; until the refresh runs,
// an unpublished neighbour is still never shown to readers. The test
// gateway runs no background worker: the test works the queue off itself.

describe.each(databaseKinds())("kept neighbours on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Three months of articles: windows of hundreds, so lists fill to the largest `first` (100).
    gw = await createTestGateway(kind, { corpus: { articles: 800, from: new Date(Date.UTC(2025, 0, 1)), to: new Date(Date.UTC(2025, 3, 1)) } });
  });
  afterAll(() => gw?.close());

  async function kept(): Promise<Map<number, number[]>> {
    const rows: { article_id: unknown; neighbour_ids: unknown }[] = await gw.app.db.dataSource.query("SELECT article_id, neighbour_ids FROM article_neighbours");
    return new Map(rows.map((r) => [Number(r.article_id), JSON.parse(String(r.neighbour_ids)) as number[]]));
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await refreshQueuedNeighbours(gw.app.db.dataSource); n > 0; n = await refreshQueuedNeighbours(gw.app.db.dataSource)) total += n;
    return total;
  }

  test("the seed keeps a full list for the articles that have enough neighbours", async () => {
    const lists = await kept();
    const [{ n }] = await gw.app.db.dataSource.query("SELECT COUNT(*) AS n FROM article WHERE deleted_at IS NULL AND published_at IS NOT NULL");
    expect(lists.size).toBe(Number(n));
    expect(Math.max(...[...lists.values()].map((l) => l.length))).toBe(100);
  });

  test("after retags, an unpublish, a delete, a new date and a new article, the refreshed lists equal a rebuild", async () => {
    const ds = gw.app.db.dataSource;
    const before = await kept();
    const listed: { id: unknown; published_at: unknown }[] = await ds.query("SELECT id, published_at FROM article WHERE status = 'PUBLISHED' AND deleted_at IS NULL ORDER BY published_at, id");
    const at = (i: number) => ({ id: Number(listed[i].id), time: fromDbTime(listed[i].published_at) as Date });
    const rubrics: { id: unknown }[] = await ds.query("SELECT id FROM tag WHERE kind = 'RUBRIC' ORDER BY id");
    // A neighbour to unpublish: the best kept neighbour of an article in the middle of the archive.
    const parent = at(Math.floor(listed.length / 2));
    const gone = (before.get(parent.id) ?? [])[0];
    expect(gone).toBeDefined();

    await setArticleRubrics(ds, at(20).id, [Number(rubrics[rubrics.length - 1].id)]);
    await setArticleHashtags(ds, at(21).id, ["соседи", "новый тег"]);
    await unpublishArticle(ds, gone);
    await deleteArticle(ds, at(150).id);
    await updateArticle(ds, at(60).id, { publishedAt: at(200).time });
    const fresh = await createArticle(ds, { title: "Новая статья о соседях", publishedAt: at(100).time });
    await setArticleRubrics(ds, fresh, rubrics.slice(0, 2).map((r) => Number(r.id)));
    await setArticleHashtags(ds, fresh, ["соседи"]);
    await publishArticle(ds, fresh, at(100).time);

    // Not refreshed yet: the list still names the unpublished article, readers are not shown it.
    expect((await kept()).get(parent.id)).toContain(gone);
    const slugs: { id: unknown; slug: unknown }[] = await ds.query("SELECT id, slug FROM article WHERE id IN (?, ?)", [parent.id, gone]);
    const slugOf = (id: number) => String(slugs.find((s) => Number(s.id) === id)?.slug);
    const r = await gw.run<{ article: { related: { slug: string }[] } }>(`query($slug: String!) { article(slug: $slug) { related(first: 100) { slug } } }`, {
      slug: slugOf(parent.id),
    });
    expect(r.errors).toBeUndefined();
    expect(r.data!.article.related.length).toBeGreaterThan(0);
    expect(r.data!.article.related.map((a) => a.slug)).not.toContain(slugOf(gone));
    // A short page stays full: the hidden first neighbour's place goes to the next one.
    expect((before.get(parent.id) ?? []).length).toBeGreaterThan(4);
    const short = await gw.run<{ article: { related: { slug: string }[] } }>(`query($slug: String!) { article(slug: $slug) { related(first: 4) { slug } } }`, {
      slug: slugOf(parent.id),
    });
    expect(short.data!.article.related.map((a) => a.slug)).toEqual(r.data!.article.related.slice(0, 4).map((a) => a.slug));

    expect(await drain()).toBeGreaterThan(0);
    const refreshed = await kept();
    expect(refreshed.get(parent.id)).not.toContain(gone);
    expect(refreshed.get(fresh)?.length).toBeGreaterThan(0);
    // Lists that changed at all: the refresh did real work, and the rebuild must agree with every one.
    expect([...refreshed].filter(([id, l]) => JSON.stringify(before.get(id)) !== JSON.stringify(l)).length).toBeGreaterThan(10);
    await rebuildNeighbours(ds);
    expect(refreshed).toEqual(await kept());
  });
});

import type { EntityManager } from "typeorm";
import { toDbTime } from "../../src/db/time";
import { articleCountGroupBySql } from "../../src/write/derived/articleCounts";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

type CountRow = [string, number, string, number];

function sortRows(rows: Record<string, unknown>[]): CountRow[] {
  return rows
    .map((r) => [String(r.dimension), Number(r.key_id), String(r.language), Number(r.article_count)] as CountRow)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
}

async function kept(gw: TestGateway): Promise<CountRow[]> {
  return sortRows(await gw.app.db.dataSource.query("SELECT dimension, key_id, language, article_count FROM article_count WHERE article_count <> 0"));
}

async function groupBy(gw: TestGateway): Promise<CountRow[]> {
  return sortRows(await gw.app.db.dataSource.query(articleCountGroupBySql()));
}

const TAG_COUNTS = `query($slug: String!, $kind: TagKind!, $language: String) {
  tag(slug: $slug, kind: $kind) { articleCount all: articleCount(language: $language) articles(first: 1) { totalCount } }
}`;
const AUTHOR_COUNTS = `query($slug: String!) { author(slug: $slug) { articleCount articles(first: 1) { totalCount } } }`;
const RUBRICS = `query($language: String) { rubrics(language: $language) { slug articleCount(language: $language) } }`;
const LIST_COUNT = `query($filter: ArticleFilter) { articles(first: 1, filter: $filter) { totalCount } }`;

describe.each(databaseKinds())("kept article counts on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 150, seed: 7, from: new Date(Date.UTC(2023, 10, 1)), to: new Date(Date.UTC(2024, 2, 31)) } });
  });
  afterAll(() => gw?.close());

  test("imports, publishes, unpublishes, deletes, retags, new authors, dates and languages keep the counts equal to a GROUP BY", async () => {
    const ds = gw.app.db.dataSource;
    // The seed's set-wise rebuild.
    const seeded = await kept(gw);
    expect(seeded).toEqual(await groupBy(gw));
    expect(seeded.filter((r) => r[0] === "site")).toEqual([["site", 0, "ru", 150]]);

    /** One writer transaction: the change, then articlesChanged, as every writer does. */
    const write = (id: number, change: (m: EntityManager) => Promise<unknown>) =>
      ds.transaction(async (m) => {
        await change(m);
        await articlesChanged(m, { ids: [id], days: [] });
      });
    const ids: number[] = (await ds.query("SELECT id FROM article WHERE status = 'PUBLISHED' ORDER BY published_at, id")).map((r: { id: unknown }) => Number(r.id));
    const tagIds: number[] = (await ds.query("SELECT id FROM tag ORDER BY id")).map((r: { id: unknown }) => Number(r.id));
    const authorIds: number[] = (await ds.query("SELECT id FROM author ORDER BY id")).map((r: { id: unknown }) => Number(r.id));
    const now = toDbTime(new Date());
    let nextId = 100_000;
    const importArticle = async (status: string, language: string, authorId: number | null, tags: number[]) => {
      const id = nextId++;
      await ds.transaction(async (m) => {
        await m.query(
          `INSERT INTO article (id, slug, path, title, title_key, published_at, status, views, language, author_id, created_at, updated_at)
           VALUES (?, ?, ?, 'Импорт', 'импорт', ?, ?, 0, ?, ?, ?, ?)`,
          [id, `imported-${id}`, `/imported/${id}`, now, status, language, authorId, now, now],
        );
        for (const [i, t] of tags.entries()) await m.query("INSERT INTO article_tag (article_id, tag_id, position) VALUES (?, ?, ?)", [id, t, i]);
        await articlesChanged(m, { ids: [id], days: [] });
      });
      return id;
    };
    const retag = (id: number, tags: number[]) =>
      write(id, async (m) => {
        await m.query("DELETE FROM article_tag WHERE article_id = ?", [id]);
        for (const [i, t] of tags.entries()) await m.query("INSERT INTO article_tag (article_id, tag_id, position) VALUES (?, ?, ?)", [id, t, i]);
      });

    // Imports: published in Kazakh with two tags, published without an author, a draft with tags.
    await importArticle("PUBLISHED", "kk", authorIds[0], [tagIds[0], tagIds.at(-1)!]);
    await importArticle("PUBLISHED", "ru", null, [tagIds[1]]);
    const draft = await importArticle("DRAFT", "ru", authorIds[1], [tagIds[0], tagIds[2]]);
    // Publish the draft, unpublish one, delete one, schedule one, make one a stub.
    await write(draft, (m) => m.query("UPDATE article SET status = 'PUBLISHED' WHERE id = ?", [draft]));
    await write(ids[0], (m) => m.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [ids[0]]));
    await write(ids[1], (m) => m.query("UPDATE article SET deleted_at = ? WHERE id = ?", [now, ids[1]]));
    await write(ids[2], (m) => m.query("UPDATE article SET status = 'SCHEDULED' WHERE id = ?", [ids[2]]));
    await write(ids[3], (m) => m.query("UPDATE article SET status = 'STUB' WHERE id = ?", [ids[3]]));
    // Retags: to other tags, to none, a deleted article's tags (counted nowhere either way), and a written article that changed nothing.
    await retag(ids[4], [tagIds[3], tagIds[0]]);
    await retag(ids[5], []);
    await retag(ids[1], [tagIds[4]]);
    await write(ids[6], async () => undefined);
    // Another author, no author; a date change; language changes, there and back.
    await write(ids[7], (m) => m.query("UPDATE article SET author_id = ? WHERE id = ?", [authorIds.at(-1), ids[7]]));
    await write(ids[8], (m) => m.query("UPDATE article SET author_id = NULL WHERE id = ?", [ids[8]]));
    await write(ids[9], (m) => m.query("UPDATE article SET published_at = ? WHERE id = ?", [toDbTime(new Date(Date.UTC(2025, 0, 1))), ids[9]]));
    await write(ids[10], (m) => m.query("UPDATE article SET language = 'kk' WHERE id = ?", [ids[10]]));
    await write(ids[11], (m) => m.query("UPDATE article SET language = 'en' WHERE id = ?", [ids[11]]));
    await write(ids[11], (m) => m.query("UPDATE article SET language = 'ru' WHERE id = ?", [ids[11]]));
    // Back again: the unpublished and the deleted article return (the latter with its new tag), then go once more.
    await write(ids[0], (m) => m.query("UPDATE article SET status = 'PUBLISHED' WHERE id = ?", [ids[0]]));
    await write(ids[1], (m) => m.query("UPDATE article SET deleted_at = NULL WHERE id = ?", [ids[1]]));
    await write(ids[1], (m) => m.query("UPDATE article SET deleted_at = ? WHERE id = ?", [now, ids[1]]));
    // Several articles in one transaction, as the importer writes them.
    await ds.transaction(async (m) => {
      await m.query(`UPDATE article SET language = 'kk' WHERE id IN (?, ?)`, [ids[20], ids[21]]);
      await m.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [ids[22]]);
      await m.query("DELETE FROM article_tag WHERE article_id = ?", [ids[21]]);
      await articlesChanged(m, { ids: [ids[20], ids[21], ids[22], ids[20]], days: [] });
    });
    // A rolled-back write leaves the counts as they were.
    const before = await kept(gw);
    await expect(
      ds.transaction(async (m) => {
        await m.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [ids[30]]);
        await articlesChanged(m, { ids: [ids[30]], days: [] });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await kept(gw)).toEqual(before);

    const truth = await groupBy(gw);
    expect(await kept(gw)).toEqual(truth);
    const [{ negative }] = await ds.query("SELECT COUNT(*) AS negative FROM article_count WHERE article_count < 0");
    expect(Number(negative)).toBe(0);
    // The mix did move the counts: Kazakh and English keys exist or existed, the site lost and gained articles.
    expect(truth.filter((r) => r[0] === "site")).toEqual([
      ["site", 0, "kk", 4],
      // 150 seeded, + 2 published in Russian (an import, the draft), - 7 gone (deleted, scheduled, stub, a draft, 3 to Kazakh).
      ["site", 0, "ru", 145],
    ]);
    expect(truth.some((r) => r[0] === "tag" && r[1] === tagIds[0] && r[2] === "kk")).toBe(true);

    // The API shows the kept counts: tags (all languages and one), authors, lists' totalCount, rubrics(language).
    const count = (dimension: string, key: number, language?: string) =>
      truth.filter((r) => r[0] === dimension && r[1] === key && (!language || r[2] === language)).reduce((s, r) => s + r[3], 0);
    const tags: { id: number; kind: string; slug: string }[] = (await ds.query("SELECT id, kind, slug FROM tag ORDER BY id")).map((r: Record<string, unknown>) => ({ id: Number(r.id), kind: String(r.kind), slug: String(r.slug) }));
    for (const tag of [tags[0], tags[1], tags[3], tags.at(-1)!]) {
      const r = await gw.run<{ tag: { articleCount: number; all: number; articles: { totalCount: number } } }>(TAG_COUNTS, { slug: tag.slug, kind: tag.kind, language: "kk" });
      expect(r.errors).toBeUndefined();
      expect(r.data!.tag).toEqual({ articleCount: count("tag", tag.id), all: count("tag", tag.id, "kk"), articles: { totalCount: count("tag", tag.id) } });
      const filtered = await gw.run<{ articles: { totalCount: number } }>(LIST_COUNT, { filter: { [tag.kind === "RUBRIC" ? "rubric" : "hashtag"]: tag.slug, language: "kk" } });
      expect(filtered.data!.articles.totalCount).toBe(count("tag", tag.id, "kk"));
    }
    const authors: { id: number; slug: string }[] = (await ds.query("SELECT id, slug FROM author ORDER BY id")).map((r: Record<string, unknown>) => ({ id: Number(r.id), slug: String(r.slug) }));
    for (const author of [authors[0], authors[1], authors.at(-1)!]) {
      const r = await gw.run<{ author: { articleCount: number; articles: { totalCount: number } } }>(AUTHOR_COUNTS, { slug: author.slug });
      expect(r.data!.author).toEqual({ articleCount: count("author", author.id), articles: { totalCount: count("author", author.id) } });
    }
    const rubricsKk = await gw.run<{ rubrics: { slug: string; articleCount: number }[] }>(RUBRICS, { language: "kk" });
    const kkRubrics = tags.filter((t) => t.kind === "RUBRIC" && count("tag", t.id, "kk") > 0);
    expect(rubricsKk.data!.rubrics.map((r) => r.slug).sort()).toEqual(kkRubrics.map((t) => t.slug).sort());
    for (const r of rubricsKk.data!.rubrics) expect(r.articleCount).toBe(count("tag", tags.find((t) => t.slug === r.slug && t.kind === "RUBRIC")!.id, "kk"));
    const site = await gw.run<{ articles: { totalCount: number } }>(LIST_COUNT, {});
    expect(site.data!.articles.totalCount).toBe(count("site", 0));
    const siteKk = await gw.run<{ articles: { totalCount: number } }>(LIST_COUNT, { filter: { language: "kk" } });
    expect(siteKk.data!.articles.totalCount).toBe(4);
    // A filter the kept counts cannot answer is still counted over the articles, and agrees.
    const both = await gw.run<{ articles: { totalCount: number } }>(LIST_COUNT, { filter: { rubric: tags[0].slug, author: authors[0].slug } });
    const [{ n }] = await ds.query(
      "SELECT COUNT(*) AS n FROM article a JOIN article_tag at ON at.article_id = a.id WHERE at.tag_id = ? AND a.author_id = ? AND a.status = 'PUBLISHED' AND a.deleted_at IS NULL",
      [tags[0].id, authors[0].id],
    );
    expect(both.data!.articles.totalCount).toBe(Number(n));
  });

  test("article_tag's listed copies follow writes and view flushes, and a tag's list by views is ordered by them", async () => {
    const ds = gw.app.db.dataSource;
    const [tag] = await ds.query(
      "SELECT t.id, t.kind, t.slug FROM tag t JOIN article_tag at ON at.tag_id = t.id WHERE at.listed_at IS NOT NULL GROUP BY t.id, t.kind, t.slug ORDER BY COUNT(*) DESC, t.id LIMIT 1",
    );
    const members: number[] = (await ds.query("SELECT article_id FROM article_tag WHERE tag_id = ? AND listed_at IS NOT NULL ORDER BY article_id", [tag.id])).map(
      (r: { article_id: unknown }) => Number(r.article_id),
    );
    // Views through the counter, an unpublished member, and a member's views written by an editor's article write.
    for (const [i, id] of members.slice(0, 6).entries()) for (let n = 0; n < 50 * (i + 1); n++) gw.app.views.record(id);
    await gw.app.views.flush();
    await ds.transaction(async (m) => {
      await m.query("UPDATE article SET status = 'DRAFT' WHERE id = ?", [members[5]]);
      await articlesChanged(m, { ids: [members[5]], days: [] });
    });
    const copies = await ds.query(
      `SELECT at.article_id, at.listed_views, at.listed_at, a.views, a.published_at, a.status, a.deleted_at FROM article_tag at JOIN article a ON a.id = at.article_id`,
    );
    for (const c of copies) {
      const listed = c.status === "PUBLISHED" && c.deleted_at === null;
      expect([c.article_id, c.listed_views === null ? null : Number(c.listed_views)]).toEqual([c.article_id, listed ? Number(c.views) : null]);
      expect(c.listed_at === null).toBe(!listed);
    }
    const byViews = await ds.query(
      `SELECT a.slug FROM article a JOIN article_tag at ON at.article_id = a.id WHERE at.tag_id = ? AND a.status = 'PUBLISHED' AND a.deleted_at IS NULL
       ORDER BY a.views DESC, a.id DESC`,
      [tag.id],
    );
    const slugs: string[] = [];
    let after: string | null = null;
    do {
      const r: { data?: null | { tag: { articles: { edges: { node: { slug: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } } = await gw.run(
        `query($slug: String!, $kind: TagKind!, $after: String) { tag(slug: $slug, kind: $kind) { articles(first: 4, after: $after, orderBy: VIEWS_DESC) { edges { node { slug } } pageInfo { hasNextPage endCursor } } } }`,
        { slug: tag.slug, kind: tag.kind, after },
      );
      slugs.push(...r.data!.tag.articles.edges.map((e) => e.node.slug));
      after = r.data!.tag.articles.pageInfo.hasNextPage ? r.data!.tag.articles.pageInfo.endCursor : null;
    } while (after);
    expect(slugs).toEqual(byViews.map((r: { slug: string }) => r.slug));
    expect(slugs.length).toBeGreaterThan(8);
  });

  test("counts are read from the kept table, not from the articles", async () => {
    const seen: string[] = [];
    gw.app.db.statements.onStatement = (sql) => seen.push(sql);
    try {
      const r = await gw.run(`{ rubrics { articleCount } kk: rubrics(language: "kk") { slug } articles(first: 0) { totalCount } }`);
      expect(r.errors).toBeUndefined();
    } finally {
      gw.app.db.statements.onStatement = null;
    }
    const counting = seen.filter((sql) => /article_count|COUNT\(/.test(sql));
    expect(counting.length).toBeGreaterThan(0);
    for (const sql of counting) {
      expect(sql).toMatch(/\barticle_count\b/);
      expect(sql).not.toMatch(/\bFROM article\b|\barticle_tag\b/);
    }
  });
});

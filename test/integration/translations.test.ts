import fs from "node:fs";
import path from "node:path";
import { config } from "../../src/config";
import { toGlobalId } from "../../src/graphql/globalId";
import { importPageTexts } from "../../src/write/ingest/importPages";
import type { Viewer } from "../../src/read/viewer";
import { CONTRACT } from "../helpers/contract";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const EDITOR: Viewer = { role: "editor", keyName: "test-editor" };
const PAGES = path.resolve(__dirname, "../fixtures/pages/translations");
const page = (language: string) => ({ name: `${language}.txt`, text: fs.readFileSync(path.join(PAGES, `${language}.txt`), "utf8") });

const TITLES = {
  ru: "Министр культуры открыла выставку казахских мастеров в Париже",
  kk: "Мәдениет министрі Парижде қазақ шеберлерінің көрмесін ашты",
  en: "Culture minister opens Kazakh crafts exhibition in Paris",
};

const LINK = `mutation($ids: [ID!]!) { linkTranslations(articleIds: $ids) { slug language } }`;
const UNLINK = `mutation($id: ID!) { unlinkTranslation(articleId: $id) { slug translations { slug } } }`;

describe.each(databaseKinds())("language versions on %s", (kind) => {
  let gw: TestGateway;
  const ids: Record<string, number> = {};
  const slugs: Record<string, string> = {};

  const head = (slug: string, viewer?: Viewer) => gw.run(CONTRACT["article-head.graphql"], { slug }, viewer ? { viewer } : {});
  const gid = (language: string) => toGlobalId("Article", ids[language]);

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 20, seed: 3 } });
    // Russian first: its versions do not exist yet; Kazakh then links itself to it, English to both.
    const report = await importPageTexts(gw.app.db.dataSource, [page("ru"), page("kk"), page("en")]);
    expect(report.results.map((r) => [r.name, r.status, r.error?.message])).toEqual([["ru.txt", "imported", undefined], ["kk.txt", "imported", undefined], ["en.txt", "imported", undefined]]);
    for (const [language, title] of Object.entries(TITLES)) {
      const [row] = await gw.app.db.dataSource.query("SELECT id, slug, language FROM article WHERE title = ?", [title]);
      expect(row.language).toBe(language);
      ids[language] = Number(row.id);
      slugs[language] = row.slug;
    }
  });
  afterAll(() => gw?.close());

  test("the importer links the versions its pages name; importing them again changes nothing", async () => {
    const { data, errors } = await head(slugs.ru);
    expect(errors).toBeUndefined();
    expect(data?.article?.language).toBe("ru");
    expect(data?.article?.translations.map((t) => [t.language, t.slug, t.title])).toEqual([
      ["en", slugs.en, TITLES.en],
      ["kk", slugs.kk, TITLES.kk],
    ]);
    expect(data?.article?.translations.every((t) => t.path.startsWith("/2025/09/26/"))).toBe(true);
    const again = await importPageTexts(gw.app.db.dataSource, [page("ru"), page("kk"), page("en")]);
    expect(again.results.map((r) => r.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });

  test("jsonLd is a schema.org NewsArticle with the article's fields, the site's publisher and the other versions", async () => {
    const { data } = await head(slugs.kk);
    const ld = JSON.parse(JSON.stringify(data?.article?.jsonLd)) as Record<string, any>;
    const [row] = await gw.app.db.dataSource.query("SELECT path FROM article WHERE id = ?", [ids.kk]);
    const url = `${config.site.url}${row.path}`;
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("NewsArticle");
    expect(ld.headline).toBe(TITLES.kk);
    expect(ld.description).toBe("Парижде қазақ қолөнер шеберлерінің көрмесі ашылды.");
    expect(ld.inLanguage).toBe("kk");
    expect(ld.datePublished).toBe("2025-09-26T00:00:00.000Z");
    expect(ld.url).toBe(url);
    expect(ld.mainEntityOfPage).toEqual({ "@type": "WebPage", "@id": url });
    expect(ld.author).toEqual({ "@type": "Person", name: "Жанна Амангельдиева" });
    expect(ld.publisher).toEqual(expect.objectContaining({ "@type": "Organization", name: config.site.name, url: config.site.url }));
    expect(ld.articleSection).toEqual(["Мәдениет", "Көрмелер"]);
    expect(ld.keywords).toEqual(["Қазақстан", "Франция", "көрме"]);
    expect(ld.workTranslation.map((t: Record<string, string>) => [t["@type"], t.inLanguage, t.headline])).toEqual([
      ["NewsArticle", "en", TITLES.en],
      ["NewsArticle", "ru", TITLES.ru],
    ]);
    for (const t of ld.workTranslation) expect(t.url.startsWith(`${config.site.url}/2025/09/26/`)).toBe(true);
  });

  test("readers never see an unpublished version; editors do", async () => {
    const unpublish = await gw.run(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: gid("en") }, { viewer: EDITOR });
    expect(unpublish.errors).toBeUndefined();
    try {
      const reader = await head(slugs.ru);
      expect(reader.data?.article?.translations.map((t) => t.language)).toEqual(["kk"]);
      const ld = reader.data?.article?.jsonLd as { workTranslation: Array<{ inLanguage: string }> };
      expect(ld.workTranslation.map((t) => t.inLanguage)).toEqual(["kk"]);
      // Through a list of articles too, in one loader batch.
      const list = await gw.run(`{ articles(first: 5, filter: { year: 2025, month: 9, day: 26 }) { edges { node { language translations { language } } } } }`);
      const byLanguage = Object.fromEntries((list.data as any).articles.edges.map((e: any) => [e.node.language, e.node.translations.map((t: any) => t.language)]));
      expect(byLanguage).toEqual({ ru: ["kk"], kk: ["ru"] });
      const editor = await head(slugs.ru, EDITOR);
      expect(editor.data?.article?.translations.map((t) => t.language)).toEqual(["en", "kk"]);
    } finally {
      await gw.run(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: gid("en") }, { viewer: EDITOR });
    }
  });

  test("one article per language in a group: linking a second Russian version is refused with a reason", async () => {
    const created = await gw.run<{ createArticle: { id: string; slug: string } }>(
      `mutation { createArticle(input: { title: "Вторая русская версия", language: "ru" }) { id slug } }`,
      {},
      { viewer: EDITOR },
    );
    const second = created.data!.createArticle;
    const refused = await gw.run(LINK, { ids: [second.id, gid("kk")] }, { viewer: EDITOR });
    expect(refused.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0].message).toBe(
      `articleIds: "${slugs.ru}" and "${second.slug}" are both in "ru"; a translation group holds at most one article per language.`,
    );
    const [{ n }] = await gw.app.db.dataSource.query("SELECT COUNT(*) AS n FROM article_translation");
    expect(Number(n)).toBe(3);
    for (const [ids2, message] of [
      [[gid("ru")], "articleIds must name at least two different articles."],
      [[gid("ru"), gid("ru")], "articleIds must name at least two different articles."],
      [[gid("ru"), toGlobalId("Article", 999999)], "articleIds names an article that does not exist (or a deleted one)."],
    ] as const) {
      const r = await gw.run(LINK, { ids: ids2 }, { viewer: EDITOR });
      expect([r.errors?.[0].extensions?.code, r.errors?.[0].message]).toEqual(["BAD_USER_INPUT", message]);
    }
    // Changing a version's language onto another's is refused the same way.
    const clash = await gw.run(`mutation($id: ID!) { updateArticle(id: $id, input: { language: "ru" }) { id } }`, { id: gid("en") }, { viewer: EDITOR });
    expect(clash.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(clash.errors?.[0].message).toContain(`"${slugs.ru}" is already the "ru" version`);
    // Readers may not link or unlink.
    const reader = await gw.run(LINK, { ids: [second.id, gid("en")] });
    expect(reader.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  test("unlinking takes one version out; a group left with one article is dissolved; then they can be linked again", async () => {
    const out = await gw.run(UNLINK, { id: gid("ru") }, { viewer: EDITOR });
    expect(out.errors).toBeUndefined();
    expect((out.data as any).unlinkTranslation.translations).toEqual([]);
    expect((await head(slugs.kk)).data?.article?.translations.map((t) => t.language)).toEqual(["en"]);
    await gw.run(UNLINK, { id: gid("en") }, { viewer: EDITOR });
    expect((await head(slugs.kk)).data?.article?.translations).toEqual([]);
    const [{ n }] = await gw.app.db.dataSource.query("SELECT COUNT(*) AS n FROM article_translation");
    expect(Number(n)).toBe(0);
    const notInGroup = await gw.run(UNLINK, { id: gid("kk") }, { viewer: EDITOR });
    expect(notInGroup.errors?.[0].message).toBe("articleId names an article that is in no translation group.");

    const linked = await gw.run(LINK, { ids: [gid("kk"), gid("ru")] }, { viewer: EDITOR });
    expect(linked.errors).toBeUndefined();
    // Linking merges with the group an article is already in.
    const merged = await gw.run(LINK, { ids: [gid("en"), gid("kk")] }, { viewer: EDITOR });
    expect(((merged.data as any).linkTranslations as Array<{ language: string }>).map((a) => a.language).sort()).toEqual(["en", "kk", "ru"]);
    expect((await head(slugs.en)).data?.article?.translations.map((t) => t.language)).toEqual(["kk", "ru"]);
  });

  test("lists, counts, rubrics and search narrow by language", async () => {
    const q = `query($l: String) {
      articles(first: 50, filter: { language: $l }) { totalCount edges { node { language } } }
      rubrics(language: $l) { name articleCount(language: $l) }
    }`;
    const kk = await gw.run<any>(q, { l: "kk" });
    expect(kk.errors).toBeUndefined();
    expect(kk.data.articles.totalCount).toBe(1);
    expect(kk.data.articles.edges.map((e: any) => e.node.language)).toEqual(["kk"]);
    expect(kk.data.rubrics).toEqual([
      { name: "Көрмелер", articleCount: 1 },
      { name: "Мәдениет", articleCount: 1 },
    ]);
    const all = await gw.run<any>(q, {});
    const ru = await gw.run<any>(q, { l: "ru" });
    expect(ru.data.articles.totalCount + kk.data.articles.totalCount + 1).toBe(all.data.articles.totalCount);
    expect(ru.data.rubrics.map((r: any) => r.name)).not.toContain("Мәдениет");
    const search = await gw.run<any>(`{ search(query: "Paris", language: "en") { totalCount } kk: search(query: "парижде", language: "kk") { totalCount edges { node { language } } } }`);
    expect(search.errors).toBeUndefined();
    expect(search.data.search.totalCount).toBe(1);
    expect(search.data.kk.edges.map((e: any) => e.node.language)).toEqual(["kk"]);
    const bad = await gw.run(`{ articles(filter: { language: "de" }) { totalCount } }`);
    expect([bad.errors?.[0].extensions?.code, bad.errors?.[0].message]).toEqual(["BAD_USER_INPUT", 'language must be one of ru, kk, en, got "de".']);
  });
});

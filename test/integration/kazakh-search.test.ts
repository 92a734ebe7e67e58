import { createArticle, publishArticle } from "../../src/write/articleWrites";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

const SEARCH = `query($q: String!, $l: String) { search(query: $q, language: $l, first: 20) { totalCount edges { snippet node { title language } } } }`;

// Kazakh articles with the letters a Russian fold would confuse, capitals, Latin look-alikes and two forms of a word.
const ARTICLES = [
  { title: "Қала әкімі жаңа мектеп ашты", lead: "ҚАЗАҚСТАННЫҢ оңтүстігінде жаңа мектеп ашылды.", language: "kk" },
  { title: "Кала ауылының тұрғындары жиналды", lead: "Кала ауылында жиналыс өтті.", language: "kk" },
  { title: "Балалар бiлiм алады", lead: "Мектепте бала оқиды.", language: "kk" },
  { title: "Бала и мама на балу", lead: "Русская статья про бал.", language: "ru" },
];

describe.each(databaseKinds())("Kazakh search on %s", (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: false });
    for (const a of ARTICLES) {
      const id = await createArticle(gw.app.db.dataSource, a);
      await publishArticle(gw.app.db.dataSource, id, new Date(Date.UTC(2025, 8, 1 + ARTICLES.indexOf(a))));
    }
  });
  afterAll(() => gw?.close());

  async function titles(query: string, language: string | null): Promise<string[]> {
    const r = await gw.run<any>(SEARCH, { q: query, l: language });
    expect(r.errors).toBeUndefined();
    return r.data.search.edges.map((e: any) => e.node.title).sort();
  }

  test("case folds the Kazakh letters: a query in capitals finds the word in small letters, and back", async () => {
    expect(await titles("ҚАЗАҚСТАННЫҢ", "kk")).toEqual(["Қала әкімі жаңа мектеп ашты"]);
    expect(await titles("қала әкімі", "kk")).toEqual(["Қала әкімі жаңа мектеп ашты"]);
    expect(await titles("ӘКІМІ", "kk")).toEqual(["Қала әкімі жаңа мектеп ашты"]);
  });

  test("қ is not к: қала and кала find different articles", async () => {
    expect(await titles("қала", "kk")).toEqual(["Қала әкімі жаңа мектеп ашты"]);
    expect(await titles("кала", "kk")).toEqual(["Кала ауылының тұрғындары жиналды"]);
  });

  test("Latin look-alikes typed inside a Kazakh word match the Kazakh letters, both ways", async () => {
    expect(await titles("білім", "kk")).toEqual(["Балалар бiлiм алады"]);
    expect(await titles("бiлiм", "kk")).toEqual(["Балалар бiлiм алады"]);
  });

  test("words are kept whole: бала and балалар are two words, a prefix finds both, with the match marked", async () => {
    expect(await titles("бала", "kk")).toEqual(["Балалар бiлiм алады"]);
    expect(await titles("балалар", "kk")).toEqual(["Балалар бiлiм алады"]);
    const r = await gw.run<any>(SEARCH, { q: "бала*", l: "kk" });
    expect(r.data.search.totalCount).toBe(1);
    expect(r.data.search.edges[0].snippet).toContain("<mark>бала</mark>");
  });

  test("language narrows to one language's articles, each searched by its own rules", async () => {
    // Russian rules stem бала to бал, which the Russian article holds in балу; the Kazakh ones keep бала whole.
    expect(await titles("бала", "ru")).toEqual(["Бала и мама на балу"]);
    // Without a language: Russian rules over every article, as before; Kazakh words with Kazakh letters still match.
    expect(await titles("қала", null)).toEqual(["Қала әкімі жаңа мектеп ашты"]);
    const bad = await gw.run(SEARCH, { q: "бала", l: "xx" });
    expect(bad.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

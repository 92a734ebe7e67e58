import type { DataSource } from "typeorm";
import { ArticleStatus } from "../../entities";
import { insertedId } from "../../src/write/ingest/rows";
import { fromDbTime, toDbTime } from "../../src/db/time";
import { foldTitle } from "../../src/text/fold";
import { articlesChanged } from "../../src/write/derived/articleChanges";
import { drainSearchPostings, type PostingLimits, rebuildSearchPostings, termsOf, TITLE_WEIGHT } from "../../src/write/derived/searchPostings";
import { occurrenceScoreSql, RECENT_WINDOW, titleTierSql } from "../../src/read/search/recentWindow";
import { createReader } from "../../src/read/reader";
import { SearchOrder } from "../../src/read/search/cursor";
import { searchArticles } from "../../src/read/search/searchArticles";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/db";

/*
 * The search's kept postings on MariaDB (src/write/derived/searchPostings.ts),
 * checked against what they are defined to be, recomputed from the search
 * text: every list holds exactly the listed articles with the term published
 * at or after its covered_from (all of them when NULL), its count says how
 * many, a cut list still holds at least `kept`, and each posting's title flag
 * and weight are the article's. Small limits, so that
 * lists are cut after a few articles.
 */
const LIMITS: PostingLimits = { kept: 4, trimAt: 6 };
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);

async function write(ds: DataSource, title: string, body: string, day: number, status = ArticleStatus.PUBLISHED): Promise<number> {
  const slug = `postings-${Math.random().toString(36).slice(2, 10)}`;
  const at = new Date(START + day * DAY);
  const now = toDbTime(new Date());
  return ds.transaction(async (m) => {
    const id = insertedId(
      await m.query(
        "INSERT INTO article (slug, path, title, title_key, lead, body, published_at, status, views, language, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 0, 'ru', ?, ?)",
        [slug, `/${slug}`, title, foldTitle(title), body, toDbTime(at), status, now, now],
      ),
    );
    await articlesChanged(m, { ids: [id], days: [at] });
    return id;
  });
}

async function change(ds: DataSource, id: number, sql: string, params: unknown[]): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query(sql, params);
    await articlesChanged(m, { ids: [id], days: [] });
  });
}

/**
 * Every list against its definition; returns the lists' state for further
 * checks. `cutHoldKept`: a cut list holds at least `kept` (true until
 * articles leave a list: an unpublished or deleted article's posting goes,
 * and nothing older comes back in its place).
 */
async function expectListsHold(ds: DataSource, cutHoldKept: boolean): Promise<Map<string, { kept: number; coveredFrom: number | null; ids: number[] }>> {
  const texts: { id: unknown; published_at: unknown; title: string; body: string }[] = await ds.query(
    `SELECT a.id, a.published_at, s.title, s.body FROM article a JOIN article_search s ON s.article_id = a.id
     WHERE a.status = 'PUBLISHED' AND a.deleted_at IS NULL`,
  );
  const holders = new Map<string, { id: number; time: number; use: string }[]>();
  for (const t of texts) {
    for (const [term, use] of termsOf(t.title, t.body)) {
      if (!holders.has(term)) holders.set(term, []);
      holders.get(term)!.push({ id: Number(t.id), time: (fromDbTime(t.published_at) as Date).getTime(), use: `${use.inTitle ? 1 : 0}/${use.weight}` });
    }
  }
  const terms: { term: string; kept: unknown; covered_from: unknown }[] = await ds.query("SELECT term, kept, covered_from FROM search_term");
  const postings: { term: string; article_id: unknown; published_at: unknown; in_title: unknown; weight: unknown }[] = await ds.query(
    "SELECT term, article_id, published_at, in_title, weight FROM search_posting",
  );
  const posted = new Map<string, string[]>();
  for (const p of postings) {
    if (!posted.has(p.term)) posted.set(p.term, []);
    posted.get(p.term)!.push(`${p.article_id}@${(fromDbTime(p.published_at) as Date).getTime()}:${Number(p.in_title)}/${Number(p.weight)}`);
  }
  const state = new Map<string, { kept: number; coveredFrom: number | null; ids: number[] }>();
  for (const r of terms) {
    const coveredFrom = r.covered_from === null ? null : (fromDbTime(r.covered_from) as Date).getTime();
    const expected = (holders.get(r.term) ?? []).filter((h) => coveredFrom === null || h.time >= coveredFrom);
    expect([r.term, [...(posted.get(r.term) ?? [])].sort()]).toEqual([r.term, expected.map((h) => `${h.id}@${h.time}:${h.use}`).sort()]);
    expect([r.term, Number(r.kept)]).toEqual([r.term, expected.length]);
    if (coveredFrom !== null && cutHoldKept) expect(expected.length).toBeGreaterThanOrEqual(LIMITS.kept);
    expect(expected.length).toBeLessThanOrEqual(LIMITS.trimAt);
    state.set(r.term, { kept: Number(r.kept), coveredFrom, ids: expected.map((h) => h.id) });
  }
  // Every term some listed article holds has its row; no posting without one.
  for (const term of holders.keys()) expect([term, state.has(term)]).toEqual([term, true]);
  for (const term of posted.keys()) expect([term, state.has(term)]).toEqual([term, true]);
  return state;
}

const kinds = databaseKinds().filter((k) => k === "mysql");
(kinds.length > 0 ? describe.each(kinds) : describe.skip.each(["mysql"]))("kept search postings on %s", () => {
  let t: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestDatabase("mysql");
    ds = t.db.dataSource;
  });
  afterAll(() => t?.drop());

  test("lists follow imports, publishes, unpublishes, deletes, retitles and date changes, and a rebuild agrees", async () => {
    // "альфа" in ten articles over ten days, "бета" in three, a draft with both.
    const alpha: number[] = [];
    // Repeated words (and a run of them) weigh as the search's SQL counts them.
    for (let d = 0; d < 10; d++) alpha.push(await write(ds, `Альфа новость ${d}`, d % 3 === 0 ? "Бета рядом. Бета бета бета, и альфа." : "Текст.", d));
    const draft = await write(ds, "Альфа черновик", "Бета.", 20, ArticleStatus.DRAFT);
    await drainSearchPostings(ds, LIMITS);
    let lists = await expectListsHold(ds, true);
    const alphaToken = [...lists.keys()].find((k) => k.startsWith("альф")) as string;
    const betaToken = [...lists.keys()].find((k) => k.startsWith("бет")) as string;
    // Ten matches: cut back to the newest four (days 6..9), reaching back to day 6.
    expect(lists.get(alphaToken)).toEqual({ kept: 4, coveredFrom: START + 6 * DAY, ids: expect.arrayContaining(alpha.slice(6)) });
    expect(lists.get(betaToken)?.coveredFrom).toBeNull();
    expect(lists.get(betaToken)?.ids.sort()).toEqual([alpha[0], alpha[3], alpha[6], alpha[9]].sort());

    // A posting's weight and title flag are what the window's SQL computes from the text, so both sources rank alike.
    for (const term of [alphaToken, betaToken, ...[...lists.keys()].slice(0, 5)]) {
      const query = { terms: [{ kind: "word" as const, tokens: [term], raw: term }] };
      const score = occurrenceScoreSql(query, TITLE_WEIGHT);
      const tier = titleTierSql(query, "s.title");
      const rows: { tier: unknown; score: unknown; in_title: unknown; weight: unknown }[] = await ds.query(
        `SELECT ${tier.sql} AS tier, ${score.sql} AS score, p.in_title, p.weight FROM search_posting p JOIN article_search s ON s.article_id = p.article_id WHERE p.term = ?`,
        [...tier.params, ...score.params, term],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect([term, Number(r.tier), -Number(r.score)]).toEqual([term, Number(r.in_title) === 1 ? 0 : 2, Number(r.weight)]);
    }

    // Publish the draft, unpublish the newest, delete another, retitle one away from the word,
    // move an old one to the newest date and one posted article back before the list's reach.
    await change(ds, draft, "UPDATE article SET status = 'PUBLISHED' WHERE id = ?", [draft]);
    await change(ds, alpha[9], "UPDATE article SET status = 'DRAFT' WHERE id = ?", [alpha[9]]);
    await change(ds, alpha[8], "UPDATE article SET deleted_at = ? WHERE id = ?", [toDbTime(new Date()), alpha[8]]);
    await change(ds, alpha[7], "UPDATE article SET title = ?, title_key = ? WHERE id = ?", ["Гамма новость", "гамма новость", alpha[7]]);
    await change(ds, alpha[1], "UPDATE article SET published_at = ? WHERE id = ?", [toDbTime(new Date(START + 30 * DAY)), alpha[1]]);
    await change(ds, alpha[6], "UPDATE article SET published_at = ? WHERE id = ?", [toDbTime(new Date(START - 5 * DAY)), alpha[6]]);
    for (let d = 40; d < 43; d++) await write(ds, `Бета сводка ${d}`, "Альфа упомянута.", d);
    await drainSearchPostings(ds, LIMITS);
    lists = await expectListsHold(ds, false);
    const queued: { n: unknown }[] = await ds.query("SELECT COUNT(*) AS n FROM search_posting_queue");
    expect(Number(queued[0].n)).toBe(0);
    // The moved-back article lies before the word's reach now, the moved-forward one inside it.
    expect(lists.get(alphaToken)?.ids).not.toContain(alpha[6]);
    expect(lists.get(alphaToken)?.ids).toContain(alpha[1]);
    for (const gone of [alpha[9], alpha[8], alpha[7]]) expect(lists.get(alphaToken)?.ids).not.toContain(gone);

    // A rebuild from scratch holds the same definition, and for complete lists the same articles.
    await rebuildSearchPostings(ds, LIMITS);
    const rebuilt = await expectListsHold(ds, true);
    for (const [term, list] of rebuilt) {
      if (list.coveredFrom === null && lists.get(term)?.coveredFrom === null) expect([term, list.ids.sort()]).toEqual([term, lists.get(term)?.ids.sort()]);
    }
  });
  test("a search of words beyond the window: lists that cover a candidate rank and check it, the text checks the rest", async () => {
    // Two thousand newer articles fill the window of newest articles, so these searches go to the postings.
    const filler = Array.from({ length: RECENT_WINDOW }, (_, i) => i);
    const now = toDbTime(new Date());
    for (let i = 0; i < filler.length; i += 500) {
      await ds.transaction(async (m) => {
        const part = filler.slice(i, i + 500);
        const slugs = part.map((n) => `postings-filler-${n}`);
        await m.query(
          `INSERT INTO article (slug, path, title, title_key, lead, body, published_at, status, views, language, created_at, updated_at) VALUES ${part
            .map(() => "(?, ?, ?, ?, NULL, ?, ?, 'PUBLISHED', 0, 'ru', ?, ?)")
            .join(", ")}`,
          part.flatMap((n, k) => [slugs[k], `/${slugs[k]}`, `Наполнитель ${n}`, `наполнитель ${n}`, "Текст.", toDbTime(new Date(START + (1000 + n) * DAY)), now, now]),
        );
        const ids: { id: unknown }[] = await m.query(`SELECT id FROM article WHERE slug IN (${slugs.map(() => "?").join(", ")})`, slugs);
        await articlesChanged(m, { ids: ids.map((r) => Number(r.id)), days: [] });
      });
    }
    // "омега" in twelve articles, "сигма" in thirty (commoner), both in the even days up to 10.
    const both: number[] = [];
    for (let d = 200; d < 230; d++) {
      const title = d < 212 && d % 2 === 0 ? `Омега и сигма ${d}` : d < 212 ? `Омега ${d}` : `Сигма ${d}`;
      const id = await write(ds, title, "Текст.", d);
      if (d < 212 && d % 2 === 0) both.push(id);
    }
    // "каппа" and "лямбда": complete lists (four articles each), ranked from their postings.
    const ranked = [
      await write(ds, "Каппа лямбда", "Текст.", 300),
      await write(ds, "Каппа", "Лямбда лямбда лямбда.", 301),
      await write(ds, "Отчёт", "Каппа и лямбда, каппа.", 302),
      await write(ds, "Каппа лямбда снова", "Каппа.", 303),
    ];
    await drainSearchPostings(ds, LIMITS);
    const lists = await expectListsHold(ds, false);
    const token = (prefix: string) => [...lists.keys()].find((k) => k.startsWith(prefix)) as string;
    // Cut lists: "омега" reaches back to day 208, "сигма" only to day 226, so "омега"'s candidates are checked in their text.
    expect(lists.get(token("омег"))?.coveredFrom).toBe(START + 208 * DAY);
    expect(lists.get(token("сигм"))?.coveredFrom).toBe(START + 226 * DAY);
    expect(lists.get(token("капп"))?.coveredFrom).toBeNull();

    const reader = createReader(ds);
    const search = (query: string) => searchArticles(reader, "mysql", { query, first: 10, after: null, orderBy: SearchOrder.RELEVANCE });
    const omega = await search("омега сигма");
    // The matches within "омега"'s list (days 208 and 210), newest first at equal rank; older ones are not reached.
    expect(omega.hits.map((h) => h.article.id)).toEqual([both[5], both[4]]);
    expect([omega.total, omega.totalIsExact]).toEqual([2, false]);

    // Covered by both complete lists: ranked by the postings exactly as the text would rank them.
    const kappa = await search("каппа лямбда");
    const texts = new Map<number, { title: string; body: string }>(
      (await ds.query(`SELECT article_id, title, body FROM article_search WHERE article_id IN (${ranked.map(() => "?").join(", ")})`, ranked)).map(
        (r: { article_id: unknown; title: string; body: string }) => [Number(r.article_id), { title: r.title, body: r.body }],
      ),
    );
    const rank = (id: number) => {
      const terms = termsOf(texts.get(id)!.title, texts.get(id)!.body);
      const uses = [token("капп"), token("лямбд")].map((t) => terms.get(t)!);
      const inTitle = uses.filter((u) => u.inTitle).length;
      return { tier: inTitle === 2 ? 0 : inTitle === 1 ? 1 : 2, score: -(uses[0].weight + uses[1].weight) };
    };
    const expected = [...ranked].sort((a, b) => rank(a).tier - rank(b).tier || rank(a).score - rank(b).score || b - a);
    expect(kappa.hits.map((h) => h.article.id)).toEqual(expected);
    expect([kappa.total, kappa.totalIsExact]).toEqual([4, true]);
  });
});

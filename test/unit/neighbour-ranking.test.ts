import { NEIGHBOUR_WINDOW_MS, NeighbourRanker, NeighbourSpan, type SpanArticle } from "../../src/write/derived/neighbourRanking";
import { Random } from "../../src/write/seed/random";

// The in-memory "read also" ranking (src/write/derived/neighbourRanking.ts)
// against the rule written out plainly: every listed article of the window
// that shares a tag, scored with every shared weight, sorted, cut.

/** The seed's own generator (mulberry32). */
function random(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}

const DAY = 86_400_000;

/** Articles in publication order (time, then id), with skewed tags so that some lists are long. */
function span(seed: number): SpanArticle[] {
  const r = random(seed);
  const n = 1 + Math.floor(r() * 400);
  const days = 1 + Math.floor(r() * 150);
  const tagPool = 1 + Math.floor(r() * 20);
  const articles: SpanArticle[] = [];
  for (let id = 1; id <= n; id++) {
    const tags = new Set<number>();
    // A few articles have many tags (past the ranking's table of tag subsets).
    const k = r() < 0.05 ? 8 + Math.floor(r() * 8) : Math.floor(r() * 5);
    while (tags.size < Math.min(k, tagPool)) tags.add(1 + Math.floor(Math.pow(r(), 2) * tagPool));
    // Several articles share a time, so that ties fall to the id.
    const time = Date.UTC(2024, 0, 1) + Math.floor(r() * days) * DAY + Math.floor(r() * 3) * 3_600_000;
    articles.push({ id: 1000 + ((id * 7919) % 100_003), time, listed: r() < 0.85, tagIds: [...tags] });
  }
  return articles.sort((a, b) => a.time - b.time || a.id - b.id);
}

/** The rule, article by article: no index, no heap, no shortcut. */
function plainRanking(articles: SpanArticle[], i: number, keep: number): number[] {
  const me = articles[i];
  const inWindow = (k: number) => k !== i && articles[k].listed && Math.abs(articles[k].time - me.time) <= NEIGHBOUR_WINDOW_MS;
  const weights = me.tagIds.map((tag) => {
    const others = articles.filter((a, k) => inWindow(k) && a.tagIds.includes(tag)).length;
    return others > 0 ? 1 / Math.log(2 + others) : 0;
  });
  const scored: { k: number; score: number }[] = [];
  for (let k = 0; k < articles.length; k++) {
    if (!inWindow(k)) continue;
    let score = 0;
    let shares = false;
    me.tagIds.forEach((tag, j) => {
      if (articles[k].tagIds.includes(tag)) {
        score += weights[j];
        shares = true;
      }
    });
    if (shares) scored.push({ k, score });
  }
  scored.sort((x, y) => y.score - x.score || y.k - x.k);
  return scored.slice(0, keep).map((s) => articles[s.k].id);
}

describe("neighbour ranking", () => {
  test("equals the plain rule on random spans, for every article and several list lengths", () => {
    let compared = 0;
    let full = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const articles = span(seed);
      const indexed = new NeighbourSpan(articles);
      for (const keep of [1, 4, 10, 100]) {
        const ranker = new NeighbourRanker(keep);
        for (let i = 0; i < articles.length; i++) {
          const expected = plainRanking(articles, i, keep);
          expect({ seed, keep, i, ranked: ranker.rank(indexed, i) }).toEqual({ seed, keep, i, ranked: expected });
          compared++;
          if (expected.length === keep) full++;
        }
      }
    }
    // The spans are varied enough that lists are cut as well as short.
    expect(compared).toBeGreaterThan(10_000);
    expect(full).toBeGreaterThan(compared / 4);
  });

  test("a candidate found in a short list and the longest one scores both weights", () => {
    const t = Date.UTC(2024, 0, 1);
    // Tag 1 is long (every article), tag 2 short: article 3 shares both with article 1.
    const articles: SpanArticle[] = [1, 2, 3, 4, 5, 6].map((id) => ({ id, time: t + id, listed: true, tagIds: id === 1 || id === 3 ? [1, 2] : [1] }));
    const ranked = new NeighbourRanker(3).rank(new NeighbourSpan(articles), 0);
    expect(ranked).toEqual([3, 6, 5]);
  });
});

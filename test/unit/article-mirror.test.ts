import { ArticleStatus } from "../../entities";
import { ArticleMirror } from "../../src/write/ingest/articleMirror";
import { completableStubsOf, type KnownArticle } from "../../src/write/ingest/titleMatch";
import { Random } from "../../src/write/seed/random";

// A group's titles are resolved against the articles it holds in memory
// (src/write/ingest/articleMirror.ts). The cut-off stubs a new full title
// completes are found there by walking the stubs' sorted keys; the database
// path asks for every prefix of the title instead. Both must find the same.

/** The seed's own generator (mulberry32). */
function random(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}

// Few letters, so that keys share long heads; a space, and a character outside the BMP (two code units).
// Keys are folded from decoded text, so they are well-formed: no lone surrogate.
const LETTERS = ["а", "б", "в", "a", " ", "😀", "ё"];

function text(r: () => number, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min + 1));
  let s = "";
  for (let i = 0; i < n; i++) s += LETTERS[Math.floor(r() * LETTERS.length)];
  // Keys are folded: no white space at either end, none doubled.
  return s.replace(/\s+/g, " ").trim() || "а";
}

function article(id: number, key: string, stub: "cut" | "full" | "none"): KnownArticle {
  return {
    id,
    title: stub === "cut" ? `${key}…` : key,
    key,
    status: stub === "none" ? ArticleStatus.PUBLISHED : ArticleStatus.STUB,
    publishedAt: null,
    cutOffStub: stub === "cut",
    views: 0,
    lead: null,
    body: null,
    photoCredit: null,
    authorId: null,
    slug: `a-${id}`,
    path: `/a-${id}`,
    language: "ru",
  };
}

describe("the articles a group holds in memory", () => {
  test("find the cut-off stubs a new full title completes as the prefix query does", async () => {
    let matched = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const mirror = new ArticleMirror();
      const keys: string[] = [];
      const count = Math.floor(r() * 40);
      for (let id = 1; id <= count; id++) {
        // Stub keys short and long (past the 24 code points of the query's shared head), some a prefix of another.
        const key = r() < 0.3 && keys.length > 0 ? [...keys[Math.floor(r() * keys.length)]].slice(0, 1 + Math.floor(r() * 30)).join("").trim() || "б" : text(r, 1, r() < 0.2 ? 40 : 6);
        keys.push(key);
        mirror.put(article(id, key, r() < 0.6 ? "cut" : r() < 0.5 ? "full" : "none"));
      }
      // Some articles change key, as a group fills stubs.
      for (let k = 0; k < count / 4; k++) {
        const id = 1 + Math.floor(r() * count);
        mirror.put(article(id, text(r, 1, 8), r() < 0.5 ? "cut" : "none"));
      }
      const asked = Array.from({ length: 1 + Math.floor(r() * 6) }, () =>
        r() < 0.6 && keys.length > 0 ? `${keys[Math.floor(r() * keys.length)]}${text(r, 0, 30)}` : text(r, 1, 40),
      );
      const walked = await mirror.completableStubs(asked);
      const queried = await completableStubsOf(mirror.articlesByKey)(asked);
      expect({ seed, asked, ids: walked.map((a) => a.id) }).toEqual({ seed, asked, ids: queried.map((a) => a.id) });
      matched += walked.length;
    }
    expect(matched).toBeGreaterThan(100);
  });
});

import { createHash } from "node:crypto";
import { TagKind } from "../../../entities";
import { corpusOptions, generateCorpus } from "../seed/corpus";
import { Random } from "../seed/random";
import * as V from "../seed/vocabulary";
import { foldTitle } from "../../text/fold";
import { formatPage } from "./formatPage";
import type { PageRecord } from "./pageRecord";

// Synthetic crawled pages, deterministic from a seed, built on the seed
// corpus: each page's popular list ranks other pages of the same weeks and
// its read-also list names related pages, cut off at the site's 59
// characters with "…", so importing them exercises stubs, filling and
// prefix matching the way the real archive does.

export interface GeneratedPage {
  /** A file name in the crawler's style: "00042_<hash>.txt". */
  name: string;
  record: PageRecord;
  text: string;
}

export interface PageOptions {
  pages: number;
  seed?: number;
  /** Length of each popular list (the site shows 60). */
  popular?: number;
}

/** The site cuts read-also titles to this many characters and adds "…". */
export const READ_ALSO_CUT = 59;

function cutOff(title: string): string {
  const points = [...title];
  return points.length <= READ_ALSO_CUT ? title : `${points.slice(0, READ_ALSO_CUT).join("").trimEnd()}…`;
}

/** Corpus titles repeat (templates × word lists); the archive's titles name one article each, so repeats get a topic. */
function uniqueTitles(titles: string[], rnd: Random): string[] {
  const seen = new Set<string>();
  return titles.map((t, i) => {
    let title = t;
    for (let k = 0; seen.has(foldTitle(title)); k++) title = k < 3 ? `${t}: вопросы ${rnd.pick(V.TOPICS)}` : `${t} (${i})`;
    seen.add(foldTitle(title));
    return title;
  });
}

export function generatePages(options: PageOptions): GeneratedPage[] {
  const seed = options.seed ?? 1;
  const n = options.pages;
  const popularLength = options.popular ?? 60;
  const corpus = generateCorpus(corpusOptions({ articles: n, seed }));
  const articles = [...corpus.articles()];
  const rnd = new Random(seed * 104729 + 7);
  const titles = uniqueTitles(articles.map((a) => a.title), rnd);
  const authors = new Map(corpus.authors.map((a) => [a.id, a]));
  const tags = new Map(corpus.tags.map((t) => [t.id, t]));
  const window = Math.max(popularLength * 2, 300);

  return articles.map((a, i) => {
    // Popular: articles of the weeks around this one, the most-read first; a few from later, as a crawl sees them.
    const lo = Math.max(0, i - window);
    const hi = Math.min(n - 1, i + Math.floor(window / 6));
    const popular: number[] = [];
    const want = Math.min(popularLength, hi - lo);
    for (let tries = 0; popular.length < want && tries < want * 4; tries++) {
      const j = lo + Math.floor(Math.pow(rnd.next(), 0.7) * (hi - lo + 1));
      if (j !== i && !popular.includes(j)) popular.push(j);
    }
    // Read also: the corpus's related articles, sometimes one from the popular list, as on the reference page.
    const readAlso = a.relatedIds.map((id) => id - 1).filter((j) => j !== i);
    if (popular.length > 0 && rnd.next() < 0.3) readAlso.splice(rnd.int(0, readAlso.length), 0, rnd.pick(popular));
    if (readAlso.length < 4 && i + 1 < n && rnd.next() < 0.5) readAlso.push(rnd.int(i + 1, Math.min(n - 1, i + 200)));
    const author = authors.get(a.authorId);
    const hashtags = a.hashtagIds.map((id) => tags.get(id)?.name ?? "");
    // A person as a hashtag, like "#Аида Балаева" on the reference page.
    if (rnd.next() < 0.25) {
      hashtags.push(rnd.next() < 0.5 ? `${rnd.pick(V.FEMALE_NAMES)} ${rnd.pick(V.FEMALE_SURNAMES)}` : `${rnd.pick(V.MALE_NAMES)} ${rnd.pick(V.MALE_SURNAMES)}`);
    }
    const record: PageRecord = {
      title: titles[i],
      publishedOn: a.publishedAt.toISOString().slice(0, 10),
      rubrics: a.rubricIds.map((id) => tags.get(id)).filter((t) => t?.kind === TagKind.RUBRIC).map((t) => t?.name ?? ""),
      views: a.views,
      authorName: author?.name ?? "Редакция",
      authorEmail: author?.email ?? null,
      lead: a.lead,
      photoCredit: a.photoCredit,
      paragraphs: a.paragraphs,
      hashtags: [...new Set(hashtags)],
      popular: popular.map((j) => titles[j]),
      readAlso: [...new Set(readAlso)].slice(0, 4).map((j) => cutOff(titles[j])),
    };
    const text = formatPage(record);
    const hash = createHash("sha1").update(text).digest("hex").slice(0, 16);
    return { name: `${String(i).padStart(5, "0")}_${hash}.txt`, record, text };
  });
}

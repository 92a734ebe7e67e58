import { TagKind } from "../../../entities";
import { slugify } from "../../text/slug";
import { Random } from "./random";
import { pathOf } from "../../text/slug";
import * as V from "./vocabulary";

// A deterministic synthetic news site: the same options always give the
// same authors, tags, articles, edges and view history. Used for the demo
// content, the `seed` command, the page generator and the benchmark.

export interface CorpusOptions {
  articles: number;
  authors: number;
  rubrics: number;
  hashtags: number;
  /** Articles with a live blog, spread evenly over the archive; the newest is still running. */
  liveBlogs: number;
  seed: number;
  /** First and last publication day (UTC). */
  from: Date;
  to: Date;
}

export const DEMO_CORPUS: CorpusOptions = {
  articles: 240,
  authors: 12,
  rubrics: 10,
  hashtags: 40,
  liveBlogs: 0,
  seed: 1,
  from: new Date(Date.UTC(2022, 0, 10)),
  to: new Date(Date.UTC(2025, 10, 20)),
};

/** One article in this many has a live blog (a running story: an election night, a storm, a match). */
export const LIVE_BLOG_EVERY = 500;

export function corpusOptions(partial: Partial<CorpusOptions>): CorpusOptions {
  const articles = partial.articles ?? DEMO_CORPUS.articles;
  return {
    ...DEMO_CORPUS,
    authors: Math.max(1, Math.min(2000, Math.ceil(articles / 50))),
    rubrics: Math.min(V.RUBRICS.length, Math.max(5, Math.ceil(articles / 2000))),
    hashtags: Math.max(20, Math.min(5000, Math.ceil(articles / 20))),
    liveBlogs: Math.floor(articles / LIVE_BLOG_EVERY),
    ...partial,
    articles,
  };
}

export interface AuthorRecord {
  id: number;
  name: string;
  slug: string;
  email: string;
}

export interface TagRecord {
  id: number;
  kind: TagKind;
  name: string;
  slug: string;
}

export interface ArticleRecord {
  id: number;
  title: string;
  slug: string;
  path: string;
  lead: string;
  paragraphs: string[];
  publishedAt: Date;
  views: number;
  photoCredit: string | null;
  authorId: number;
  rubricIds: number[];
  hashtagIds: number[];
  relatedIds: number[];
  /** Views per UTC day (YYYY-MM-DD), summing to `views`. */
  viewDays: { day: string; views: number }[];
  /** The article's live blog, when it has one. */
  live: LiveBlogRecord | null;
}

export interface LiveEntryRecord {
  /** Unique across the corpus; within a blog they grow with posting time, as the live_entry index expects. */
  id: number;
  text: string;
  pinned: boolean;
  authorId: number;
  postedAt: Date;
}

export interface LiveBlogRecord {
  startedAt: Date;
  /** Null while the blog is live. */
  endedAt: Date | null;
  entries: LiveEntryRecord[];
}

export interface Corpus {
  options: CorpusOptions;
  authors: AuthorRecord[];
  tags: TagRecord[];
  /** Articles oldest first; related edges point only at earlier articles. */
  articles(): Generator<ArticleRecord>;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function makeAuthors(rnd: Random, n: number): AuthorRecord[] {
  const seen = new Set<string>();
  const authors: AuthorRecord[] = [];
  for (let i = 1; authors.length < n; i++) {
    const female = rnd.next() < 0.5;
    let name = female
      ? `${rnd.pick(V.FEMALE_NAMES)} ${rnd.pick(V.FEMALE_SURNAMES)}`
      : `${rnd.pick(V.MALE_NAMES)} ${rnd.pick(V.MALE_SURNAMES)}`;
    if (seen.has(name)) name = `${name} ${i}`;
    seen.add(name);
    const slug = slugify(name, 80, "author");
    authors.push({ id: authors.length + 1, name, slug, email: `${slug.replace(/-/g, ".")}@${rnd.pick(V.MAIL_DOMAINS)}` });
  }
  return authors;
}

function makeTags(opts: CorpusOptions): TagRecord[] {
  const tags: TagRecord[] = [];
  for (const name of V.RUBRICS.slice(0, opts.rubrics)) {
    tags.push({ id: tags.length + 1, kind: TagKind.RUBRIC, name, slug: slugify(name, 80, "rubric") });
  }
  const seen = new Set<string>();
  for (let i = 0; seen.size < opts.hashtags; i++) {
    const base = V.HASHTAG_BASES[i % V.HASHTAG_BASES.length];
    const round = Math.floor(i / V.HASHTAG_BASES.length);
    const name = round === 0 ? base : `${base} ${V.PLACES[round % V.PLACES.length].replace(/е$/, "")} ${round}`;
    const slug = slugify(name, 80, "tag");
    if (seen.has(slug)) continue;
    seen.add(slug);
    tags.push({ id: tags.length + 1, kind: TagKind.HASHTAG, name, slug });
  }
  return tags;
}

function action(rnd: Random): string {
  const [verb, objects] = rnd.pick(V.ACTIONS);
  return `${verb} ${rnd.pick(objects)}`;
}

function title(rnd: Random, n: number): string {
  switch (n % 4) {
    case 0:
      return `${rnd.pick(V.EVENTS)} в ${rnd.pick(V.PLACES)}`;
    case 1:
      return `${capitalize(rnd.pick(V.OFFICIALS))} ${action(rnd)}`;
    case 2:
      return `В ${rnd.pick(V.PLACES)} обсудили вопросы ${rnd.pick(V.TOPICS)}`;
    default:
      return `Более ${rnd.int(5, 140)} проектов ${rnd.pick(V.TOPICS)} реализуют в ${rnd.pick(V.PLACES)}`;
  }
}

function sentence(rnd: Random): string {
  switch (rnd.int(0, 3)) {
    case 0:
      return `${capitalize(rnd.pick(V.OFFICIALS))} ${action(rnd)} в ${rnd.pick(V.PLACES)}.`;
    case 1:
      return `Участники обсудили вопросы ${rnd.pick(V.TOPICS)} и перспективы сотрудничества.`;
    case 2:
      return `В ${rnd.pick(V.PLACES)} более ${rnd.int(5, 90)} специалистов работают над проектом ${rnd.pick(V.TOPICS)}.`;
    default:
      return rnd.pick(V.SENTENCE_TAILS);
  }
}

function paragraph(rnd: Random): string {
  return Array.from({ length: rnd.int(2, 4) }, () => sentence(rnd)).join(" ");
}

/**
 * A live blog begun at publication: 10 to 150 entries a few minutes apart,
 * mostly by the article's author, one or two of them pinned. Drawn from a
 * generator of its own, so that adding live blogs leaves every other
 * article of a seed as it was.
 */
function liveBlog(seed: number, articleId: number, publishedAt: Date, authorId: number, authors: AuthorRecord[], running: boolean, firstEntryId: number): LiveBlogRecord {
  const r = new Random(seed * 104_729 + articleId);
  const count = r.int(10, 150);
  const pinned = new Set(Array.from({ length: r.int(1, 2) }, () => r.int(0, count - 1)));
  const entries: LiveEntryRecord[] = [];
  let at = publishedAt.getTime();
  for (let i = 0; i < count; i++) {
    at += r.int(1, 20) * 60_000;
    entries.push({
      id: firstEntryId + i,
      text: Array.from({ length: r.int(1, 3) }, () => sentence(r)).join(" "),
      pinned: pinned.has(i),
      authorId: r.next() < 0.8 ? authorId : r.pick(authors).id,
      postedAt: new Date(at),
    });
  }
  return { startedAt: publishedAt, endedAt: running ? null : new Date(at + 3_600_000), entries };
}

export function generateCorpus(options: CorpusOptions): Corpus {
  const rnd = new Random(options.seed);
  const authors = makeAuthors(rnd, options.authors);
  const tags = makeTags(options);
  const rubricIds = tags.filter((t) => t.kind === TagKind.RUBRIC).map((t) => t.id);
  const hashtagIds = tags.filter((t) => t.kind === TagKind.HASHTAG).map((t) => t.id);
  const span = options.to.getTime() - options.from.getTime();
  const endDay = options.to.toISOString().slice(0, 10);

  // Live blogs at evenly spaced articles: the i-th at the middle of the i-th of liveBlogs equal stretches.
  const liveAt = new Map<number, boolean>();
  for (let i = 0; i < options.liveBlogs; i++) liveAt.set(Math.floor(((i + 0.5) * options.articles) / options.liveBlogs) + 1, i === options.liveBlogs - 1);

  function* articles(): Generator<ArticleRecord> {
    const r = new Random(options.seed * 7919 + 1);
    let liveEntryId = 1;
    const slugs = new Set<string>();
    // Titles repeat (templates × word lists): where each short slug's
    // numbering got to, so the n-th repeat of a title does not try n slugs.
    // Numbers below it were taken then and are still taken, so the slugs
    // are the ones the plain search would give.
    const numbered = new Map<string, number>();
    const slugOf = new Map<string, [string, string]>();
    for (let id = 1; id <= options.articles; id++) {
      const t = title(r, id);
      let known = slugOf.get(t);
      if (!known) {
        known = [slugify(t, 80, "article"), slugify(t, 72, "article")];
        slugOf.set(t, known);
      }
      let slug = known[0];
      if (slugs.has(slug)) {
        let k = numbered.get(known[1]) ?? 2;
        while (slugs.has(`${known[1]}-${k}`)) k++;
        slug = `${known[1]}-${k}`;
        numbered.set(known[1], k + 1);
      }
      slugs.add(slug);
      const at = options.from.getTime() + Math.floor((span * (id - 0.5)) / options.articles);
      const publishedAt = new Date(Math.floor(at / 60000) * 60000 + r.int(0, 59) * 60000);
      const viewDays: { day: string; views: number }[] = [];
      let views = 0;
      for (let k = 0, days = r.int(0, 6); k < days; k++) {
        const day = new Date(publishedAt.getTime() + k * 86400000).toISOString().slice(0, 10);
        if (day > endDay) break;
        const v = r.int(1, 400) >> k;
        if (v === 0) continue;
        viewDays.push({ day, views: v });
        views += v;
      }
      const earlier = Math.min(id - 1, 400);
      const related = earlier === 0 ? [] : [...new Set(Array.from({ length: r.int(0, 4) }, () => id - r.int(1, earlier)))];
      const article: ArticleRecord = {
        id,
        title: t,
        slug,
        path: pathOf(publishedAt, slug),
        lead: `${sentence(r).replace(/\.$/, "")}, передаёт корреспондент Kazpravda.kz`,
        paragraphs: Array.from({ length: r.int(3, 6) }, () => paragraph(r)),
        publishedAt,
        views,
        photoCredit: r.next() < 0.8 ? r.pick(V.PHOTO_SOURCES) : null,
        authorId: authors[Math.floor(Math.pow(r.next(), 1.5) * authors.length)].id,
        rubricIds: r.sample(rubricIds, r.int(1, 3), 1.6),
        hashtagIds: r.sample(hashtagIds, r.int(0, 4), 2),
        relatedIds: related,
        viewDays,
        live: null,
      };
      const running = liveAt.get(id);
      if (running !== undefined) {
        article.live = liveBlog(options.seed, id, publishedAt, article.authorId, authors, running, liveEntryId);
        liveEntryId += article.live.entries.length;
      }
      yield article;
    }
  }

  return { options, authors, tags, articles };
}

import fs from "node:fs";
import path from "node:path";
import type mysql from "mysql2/promise";
import { openDatabase } from "../src/db/dataSource";
import { placeholders } from "../src/db/dialect";
import { toDbTime } from "../src/db/time";
import { toGlobalId } from "../src/graphql/globalId";
import { LIVE_ENTRY_ORDER } from "../src/read/loaders/liveBlogs";
import { encodeCursor } from "../src/read/paging/pages";
import { ArticleOrder } from "../src/read/paging/articleOrder";
import { Random } from "../src/write/seed/random";
import { createPreviewToken } from "../src/workflow/previewTokens";

// The contract operations from schema/operations, each with a pool of
// variables taken from the benchmark's database: different slugs, pages,
// rubrics, authors, archive months and search words, so that the server
// cannot answer every request from one hot row.

export type Variables = Record<string, unknown>;

export interface BenchOperation {
  name: string;
  query: string;
  /** Request bodies cycled through under load. */
  bodies: string[];
  /** Variables for the statement check: a small and a large page where the operation takes `first`. */
  pageSizes: { small: Variables; large: Variables } | null;
  /** Writes to the database; measured last so that reads see the seeded data. */
  writes: boolean;
}

// bench/ when run from source, dist/bench/ when built.
const OPERATIONS_DIR = [path.resolve(__dirname, "..", "schema", "operations"), path.resolve(__dirname, "..", "..", "schema", "operations")].find((d) =>
  fs.existsSync(d),
) as string;
const POOL = 400;
/** Articles a day's archive page asks for in the benchmark: what a day of either corpus fills. */
const DAY_PAGE = 5;

function document(file: string): { name: string; query: string } {
  const query = fs.readFileSync(path.join(OPERATIONS_DIR, file), "utf8");
  const name = /^(?:query|mutation)\s+(\w+)/m.exec(query)?.[1];
  if (!name) throw new Error(`${file} has no named operation.`);
  return { name, query };
}

export function body(op: { name: string; query: string }, variables: Variables): string {
  return JSON.stringify({ operationName: op.name, query: op.query, variables });
}

async function rows<T>(c: mysql.Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await c.query(sql, params))[0] as T[];
}

/** Every k-th published article, so that samples spread over the whole corpus. */
async function spread<T>(c: mysql.Connection, columns: string, n: number): Promise<T[]> {
  const [{ total }] = await rows<{ total: number }>(c, "SELECT COUNT(*) AS total FROM article WHERE status = 'PUBLISHED' AND deleted_at IS NULL");
  const stride = Math.max(1, Math.floor(Number(total) / n));
  return rows<T>(c, `SELECT ${columns} FROM article WHERE status = 'PUBLISHED' AND deleted_at IS NULL AND MOD(id, ?) = 0 ORDER BY id LIMIT ?`, [stride, n]);
}

function shuffled<T>(items: T[], seed: number): T[] {
  const rnd = new Random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function cycle<T>(items: T[], n: number): T[] {
  if (items.length === 0) throw new Error("The benchmark database gave an empty variable pool; is the corpus seeded?");
  return Array.from({ length: n }, (_, i) => items[i % items.length]);
}

/**
 * What readers type into search, from article titles spread over the
 * archive: words of five letters or more, the commonest (which match a
 * large share of the archive) and the rarest alike, and two words that
 * stand together in a title.
 */
function searchQueries(titles: string[]): string[] {
  const count = new Map<string, number>();
  const pairs = new Set<string>();
  for (const t of titles) {
    const words = t.split(/[^\p{L}]+/u).filter((w) => w.length >= 5).map((w) => w.toLowerCase());
    for (const w of new Set(words)) count.set(w, (count.get(w) ?? 0) + 1);
    if (words.length >= 2) pairs.add(`${words[0]} ${words[words.length - 1]}`);
  }
  const byFrequency = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const third = Math.max(1, Math.floor(byFrequency.length / 3));
  const common = byFrequency.slice(0, third);
  const rare = byFrequency.slice(-third);
  return [...new Set([...common, ...rare, ...[...pairs].sort()])];
}

/** Preview tokens kept by the benchmark's tokens: a day, longer than any run. */
const PREVIEW_SECONDS = 86_400;
const PREVIEW_TOKENS = 100;

/**
 * Preview links as an editor makes them (createPreviewToken, the mutation's
 * own writer), for articles spread over the archive. The seeded corpus has
 * no drafts, so they show published articles; the read is the same: the
 * token's row joined to its article, whatever the article's status.
 */
async function previewTokens(url: string, articleIds: number[]): Promise<string[]> {
  const db = await openDatabase({ url });
  try {
    const tokens: string[] = [];
    for (const id of articleIds) tokens.push((await createPreviewToken(db.dataSource, id, PREVIEW_SECONDS, "bench")).token);
    return tokens;
  } finally {
    await db.dataSource.destroy();
  }
}

/**
 * Live blogs spread over the archive, each with its first page and pages
 * after cursors deep in its entries (pinned first, then newest first, as
 * Article.liveEntries orders them).
 */
async function liveBlogPages(c: mysql.Connection, n: number): Promise<{ slug: string; after: string | null; entries: number }[]> {
  const blogs = await rows<{ id: number; slug: string }>(
    c,
    "SELECT a.id, a.slug FROM live_blog b JOIN article a ON a.id = b.article_id WHERE a.status = 'PUBLISHED' AND a.deleted_at IS NULL ORDER BY a.id",
  );
  const stride = Math.max(1, Math.floor(blogs.length / n));
  const chosen = blogs.filter((_, i) => i % stride === 0).slice(0, n);
  if (chosen.length === 0) return [];
  const entries = await rows<{ article_id: number; id: number; pinned: number }>(
    c,
    `SELECT article_id, id, pinned FROM live_entry WHERE article_id IN (${placeholders(chosen.length)}) ORDER BY article_id, pinned DESC, id DESC`,
    chosen.map((b) => b.id),
  );
  const byArticle = new Map<number, { id: number; pinned: number }[]>(chosen.map((b) => [b.id, []]));
  for (const e of entries) byArticle.get(Number(e.article_id))?.push(e);
  return chosen.flatMap((b) => {
    const list = byArticle.get(b.id) ?? [];
    // After the 20th, 40th, ... entry: the pages a reader scrolling down asks for.
    const deep = list.filter((_, i) => (i + 1) % 20 === 0 && i + 1 < list.length).map((e) => encodeCursor({ order: LIVE_ENTRY_ORDER, value: Number(e.pinned), id: Number(e.id) }));
    return [{ slug: b.slug, after: null, entries: list.length }, ...deep.map((after) => ({ slug: b.slug, after, entries: list.length }))];
  });
}

/** The contract's request operations with their variable pools; `url` is the benchmark database's, for the preview tokens it makes. */
export async function loadOperations(c: mysql.Connection, url: string): Promise<BenchOperation[]> {
  const articles = await spread<{ id: number; slug: string; title: string; published_at: Date }>(c, "id, slug, title, published_at", POOL);
  const rubrics = await rows<{ slug: string }>(c, "SELECT slug FROM tag WHERE kind = 'RUBRIC' ORDER BY id");
  const authors = await rows<{ slug: string }>(c, "SELECT slug FROM author ORDER BY id LIMIT ?", [POOL]);
  const days = await rows<{ year: number; month: number; day: number; article_count: number }>(
    c,
    "SELECT year, month, day, article_count FROM archive_day WHERE article_count > 0 ORDER BY year, month, day",
  );
  const cursorOf = (a: { id: number; published_at: Date }) => encodeCursor({ order: ArticleOrder.PUBLISHED_AT_DESC, value: toDbTime(a.published_at), id: a.id });
  const words = searchQueries(articles.map((a) => a.title));
  // Deep pages: a cursor at an article anywhere in the archive is a valid keyset position in any list ordered by date.
  const deep = (i: number) => cursorOf(articles[(i * 37) % articles.length]);
  const months = days.filter((d, i) => i === 0 || days[i - 1].month !== d.month || days[i - 1].year !== d.year);
  const tokens = await previewTokens(url, articles.filter((_, i) => i % Math.max(1, Math.floor(articles.length / PREVIEW_TOKENS)) === 0).map((a) => a.id));
  // A corpus too small to have live blogs (fewer than LIVE_BLOG_EVERY articles) reads the empty blogs of ordinary articles.
  const live = await liveBlogPages(c, POOL / 4);
  const longestBlog = live.length ? live.reduce((x, y) => (y.entries > x.entries ? y : x)).slug : articles[0].slug;

  const defs: { file: string; pool: Variables[]; pageSizes: ((first: number) => Variables) | null; writes?: boolean }[] = [
    { file: "article-page.graphql", pool: articles.map((a) => ({ slug: a.slug })), pageSizes: null },
    { file: "article-media.graphql", pool: articles.map((a) => ({ slug: a.slug })), pageSizes: null },
    { file: "article-head.graphql", pool: articles.map((a) => ({ slug: a.slug })), pageSizes: null },
    {
      file: "front-page.graphql",
      // Half the readers are on the first page; the rest have paged somewhere into the archive.
      pool: articles.map((a, i) => (i % 2 === 0 ? { first: 20 } : { first: 20, after: cursorOf(a) })),
      pageSizes: (first) => ({ first }),
    },
    {
      file: "rubric-page.graphql",
      // Every rubric, its first page and pages deep in its archive.
      pool: Array.from({ length: Math.max(rubrics.length * 4, 40) }, (_, i) => ({ slug: rubrics[i % rubrics.length].slug, first: 20, ...(i < rubrics.length ? {} : { after: deep(i) }) })),
      pageSizes: (first) => ({ slug: rubrics[0].slug, first }),
    },
    {
      file: "author-page.graphql",
      pool: authors.map((a, i) => ({ slug: a.slug, first: 20, ...(i % 2 === 0 ? {} : { after: deep(i) }) })),
      pageSizes: (first) => ({ slug: authors[0].slug, first }),
    },
    {
      file: "archive-page.graphql",
      // Months across the years, fifty articles a page; and days, a page of
      // DAY_PAGE articles on days that fill it. A day holds about seven
      // articles on 10,000 articles and seven hundred on 1,000,000: asked
      // for fifty, the small archive would answer seven, and the ratio of
      // the two would compare pages of different sizes, not archives.
      pool: days
        .filter((_, i) => i % 7 === 0)
        .flatMap((d, i) =>
          i % 2 === 0
            ? [{ year: d.year, month: d.month, first: 50 }]
            : Number(d.article_count) >= DAY_PAGE
              ? [{ year: d.year, month: d.month, day: d.day, first: DAY_PAGE }]
              : [],
        ),
      pageSizes: (first) => ({ year: months[months.length - 1].year, month: months[months.length - 1].month, first }),
    },
    { file: "search.graphql", pool: words.map((w) => ({ query: w, first: 10 })), pageSizes: (first) => ({ query: words[0], first }) },
    { file: "site-lists.graphql", pool: [{ slug: "popular" }], pageSizes: null },
    { file: "article-corrections.graphql", pool: articles.map((a) => ({ slug: a.slug })), pageSizes: null },
    {
      file: "live-blog.graphql",
      // As on the front page, half the readers are on a blog's first page, the rest have scrolled down.
      pool: live.length
        ? [...cycle(live.filter((p) => !p.after), Math.max(1, live.filter((p) => p.after).length)), ...live.filter((p) => p.after)].map((p) => ({ slug: p.slug, first: 20, ...(p.after ? { after: p.after } : {}) }))
        : articles.map((a) => ({ slug: a.slug, first: 20 })),
      pageSizes: (first) => ({ slug: longestBlog, first }),
    },
    { file: "preview-page.graphql", pool: tokens.map((token) => ({ token })), pageSizes: null },
    { file: "record-view.graphql", pool: articles.map((a) => ({ articleId: toGlobalId("Article", a.id) })), pageSizes: null, writes: true },
  ];

  const ops = defs.map((d, seed) => {
    const doc = document(d.file);
    return {
      ...doc,
      bodies: cycle(shuffled(d.pool, seed + 1), POOL).map((v) => body(doc, v)),
      pageSizes: d.pageSizes ? { small: d.pageSizes(5), large: d.pageSizes(50) } : null,
      writes: d.writes ?? false,
    };
  });
  const known = new Set(ops.map((o) => o.name));
  // Subscriptions are not HTTP requests; bench/subscribers.ts measures them.
  const requests = fs.readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith(".graphql") && !/^subscription\s/m.test(fs.readFileSync(path.join(OPERATIONS_DIR, f), "utf8")));
  for (const file of requests) {
    if (!known.has(document(file).name)) throw new Error(`${file} is a contract operation the benchmark does not drive yet; add it to bench/operations.ts.`);
  }
  return ops.sort((a, b) => Number(a.writes) - Number(b.writes));
}

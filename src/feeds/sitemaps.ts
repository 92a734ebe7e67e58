import { ErrorLevel, SitemapIndexStream, SitemapStream, streamToPromise, type SitemapItemLoose } from "sitemap";
import { Readable } from "node:stream";
import type { SiteConfig } from "../config";
import type { Reader } from "../read/reader";
import type { Row } from "../read/rows";
import { fromDbTime, toDbTime } from "../db/time";
import { siteUrlOf } from "../read/structured/siteUrl";
import { listedArticleSql } from "../read/viewer";

/*
 * Sitemaps for search engines, written by the `sitemap` package
 * (sitemaps.org 0.9 with Google's news and xhtml extensions). Each is one
 * SQL statement; every article is a listed one (src/read/viewer.ts), so drafts,
 * scheduled, deleted and stub articles never appear.
 */

/** Google News takes articles of the last two days, at most 1,000 per sitemap. */
export const NEWS_WINDOW_MS = 48 * 3600 * 1000;
export const NEWS_LIMIT = 1000;

export interface Sitemap {
  xml: string;
  /** The newest change among its entries; null when it has none. */
  lastModified: Date | null;
}

function newest(dates: Array<Date | null>): Date | null {
  let max: Date | null = null;
  for (const d of dates) if (d && (!max || d > max)) max = d;
  return max;
}

async function render(stream: SitemapStream | SitemapIndexStream, items: object[]): Promise<string> {
  // The package refuses to end a sitemap it was given nothing for; a new site's index or a quiet news day is still an answer.
  if (items.length === 0) return EMPTY[stream instanceof SitemapIndexStream ? "index" : "urlset"];
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString("utf8");
}

const EMPTY = {
  index: '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></sitemapindex>',
  urlset:
    '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"></urlset>',
};

/** /sitemap.xml: one monthly sitemap per month that has published articles. */
export async function sitemapIndex(db: Reader, site: SiteConfig): Promise<Sitemap> {
  const rows = await db.read("SELECT year, month FROM archive_month WHERE article_count > 0 ORDER BY year, month");
  const items = rows.map((r) => ({ url: siteUrlOf(site, `/sitemaps/${monthName(Number(r.year), Number(r.month))}.xml`) }));
  return { xml: await render(new SitemapIndexStream({ level: ErrorLevel.THROW }), items), lastModified: null };
}

export function monthName(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/**
 * /sitemaps/<yyyy>-<mm>.xml: every listed article published that month,
 * each with hreflang links to every published version of its story, itself
 * included (as search engines ask). Null when the month has none.
 */
export async function monthSitemap(db: Reader, site: SiteConfig, year: number, month: number): Promise<Sitemap | null> {
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month, 1));
  const rows = await db.read(
    `SELECT a.id, a.path, a.language, a.published_at, a.updated_at, o.path AS alt_path, o.language AS alt_language
     FROM article a
     LEFT JOIN article_translation t1 ON t1.article_id = a.id
     LEFT JOIN (article_translation t2 JOIN article o ON o.id = t2.article_id AND ${listedArticleSql("o")})
       ON t2.group_id = t1.group_id AND t2.article_id <> a.id
     WHERE ${listedArticleSql()} AND a.published_at >= ? AND a.published_at < ?
     ORDER BY a.published_at, a.id, o.language`,
    [toDbTime(start), toDbTime(end)],
  );
  if (rows.length === 0) return null;
  const entries = new Map<number, { row: Row; alternates: Array<{ lang: string; url: string }> }>();
  for (const r of rows) {
    const id = Number(r.id);
    let entry = entries.get(id);
    if (!entry) entries.set(id, (entry = { row: r, alternates: [] }));
    if (r.alt_path) entry.alternates.push({ lang: r.alt_language as string, url: siteUrlOf(site, r.alt_path as string) });
  }
  const items: SitemapItemLoose[] = [];
  const changes: Array<Date | null> = [];
  for (const { row, alternates } of entries.values()) {
    const url = siteUrlOf(site, row.path as string);
    const modified = newest([fromDbTime(row.updated_at), fromDbTime(row.published_at)]);
    changes.push(modified);
    items.push({
      url,
      lastmod: modified?.toISOString(),
      links: alternates.length > 0 ? [{ lang: row.language as string, url }, ...alternates] : undefined,
    });
  }
  return { xml: await render(sitemapStream(site), items), lastModified: newest(changes) };
}

/** /sitemaps/news.xml: listed articles published in the last 48 hours, newest first, at most 1,000. */
export async function newsSitemap(db: Reader, site: SiteConfig, now: Date): Promise<Sitemap> {
  const rows = await db.read(
    `SELECT a.path, a.title, a.language, a.published_at, a.updated_at FROM article a
     WHERE ${listedArticleSql()} AND a.published_at >= ? AND a.published_at <= ?
     ORDER BY a.published_at DESC, a.id DESC LIMIT ${NEWS_LIMIT}`,
    [toDbTime(new Date(now.getTime() - NEWS_WINDOW_MS)), toDbTime(now)],
  );
  const items: SitemapItemLoose[] = rows.map((r) => ({
    url: siteUrlOf(site, r.path as string),
    news: {
      publication: { name: site.name, language: r.language as string },
      publication_date: (fromDbTime(r.published_at) as Date).toISOString(),
      title: r.title as string,
    },
  }));
  const lastModified = newest(rows.flatMap((r) => [fromDbTime(r.updated_at), fromDbTime(r.published_at)]));
  return { xml: await render(sitemapStream(site), items), lastModified };
}

function sitemapStream(site: SiteConfig): SitemapStream {
  // THROW: an entry the package finds invalid is a bug to surface, not a warning on the console.
  return new SitemapStream({ hostname: site.url, level: ErrorLevel.THROW, xmlns: { news: true, xhtml: true, image: false, video: false } });
}

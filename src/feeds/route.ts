import { createHash } from "node:crypto";
import type http from "node:http";
import { CacheHint } from "../cache/hints";
import type { ContentVersion } from "../cache/contentVersion";
import type { Config } from "../config";
import { type App, createContext } from "../graphql/context";
import type { Reader } from "../read/reader";
import { SITE_LANGUAGES } from "../text/language";
import { currentRequest } from "../server/requestScope";
import type { NextPublication } from "../cache/cachePolicy";
import { type FeedSubject, readFeedContent } from "./feedItems";
import { monthName, monthSitemap, newsSitemap, type Sitemap, sitemapIndex } from "./sitemaps";
import { type FeedFormat, feedUpdated, renderFeed } from "./syndication";

/*
 * Feeds and sitemaps over plain HTTP (GET and HEAD):
 *   /feeds/rss.xml, /feeds/atom.xml               the latest 50 articles
 *   /feeds/{rubric,hashtag,author}/<slug>.xml     RSS 2.0; ?format=atom for Atom
 *   any feed with ?lang=ru|kk|en                  one language only
 *   /sitemap.xml                                  index of the monthly sitemaps
 *   /sitemaps/<yyyy>-<mm>.xml                     every article of the month, hreflang alternates
 *   /sitemaps/news.xml                            Google News: the last 48 hours, at most 1,000
 * The ETag is made of the content version, the URL and (for the news
 * sitemap) the hour, so an editor's write changes it and a matching
 * If-None-Match is answered 304 before any SQL. Cache-Control is the
 * content hint the GraphQL answers carry.
 */

const MAX_AGE = Number(/maxAge: (\d+)/.exec(CacheHint.content)?.[1] ?? 0);

/** The content hint, cut like the GraphQL answers' to the seconds left until the next scheduled publication. */
function cacheControl(next: NextPublication | undefined): string {
  const seconds = next?.secondsUntilNext();
  return `max-age=${seconds === undefined ? MAX_AGE : Math.min(MAX_AGE, seconds)}, public`;
}

type Route =
  | { kind: "feed"; subject: FeedSubject; format: FeedFormat }
  | { kind: "sitemap-index" }
  | { kind: "sitemap-month"; year: number; month: number }
  | { kind: "sitemap-news" };

const SLUG = "([A-Za-z0-9][A-Za-z0-9_-]{0,190})";
const SUBJECT_FEED = new RegExp(`^/feeds/(rubric|hashtag|author)/${SLUG}\\.xml$`);
const MONTH_SITEMAP = /^\/sitemaps\/(\d{4})-(\d{2})\.xml$/;

export function isSyndicationPath(pathname: string): boolean {
  return pathname === "/sitemap.xml" || pathname.startsWith("/feeds/") || pathname.startsWith("/sitemaps/");
}

class NotFound extends Error {}
class BadRequest extends Error {}

function routeOf(url: URL): Route {
  const path = url.pathname;
  const format = url.searchParams.get("format");
  if (format !== null && format !== "rss" && format !== "atom") throw new BadRequest(`format must be rss or atom, got "${format.slice(0, 20)}".`);
  if (path === "/feeds/rss.xml") return { kind: "feed", subject: { kind: "site" }, format: "rss" };
  if (path === "/feeds/atom.xml") return { kind: "feed", subject: { kind: "site" }, format: "atom" };
  const subject = SUBJECT_FEED.exec(path);
  if (subject) return { kind: "feed", subject: { kind: subject[1] as "rubric" | "hashtag" | "author", slug: subject[2] }, format: format ?? "rss" };
  if (path === "/sitemap.xml") return { kind: "sitemap-index" };
  if (path === "/sitemaps/news.xml") return { kind: "sitemap-news" };
  const month = MONTH_SITEMAP.exec(path);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) return { kind: "sitemap-month", year: Number(month[1]), month: Number(month[2]) };
  throw new NotFound(`No feed or sitemap at ${path}; see /feeds/rss.xml, /feeds/atom.xml and /sitemap.xml.`);
}

function languageOf(url: URL): string | null {
  const lang = url.searchParams.get("lang");
  if (lang === null) return null;
  if (!(SITE_LANGUAGES as readonly string[]).includes(lang)) throw new BadRequest(`lang must be one of ${SITE_LANGUAGES.join(", ")}, got "${lang.slice(0, 20)}".`);
  return lang;
}

interface Rendered {
  body: string;
  contentType: string;
  lastModified: Date | null;
}

async function render(db: Reader, config: Config, url: URL, route: Route, language: string | null, now: Date): Promise<Rendered | null> {
  const site = config.site;
  if (route.kind === "feed") {
    const content = await readFeedContent(db, route.subject, language);
    if (!content) return null;
    const selfUrl = `${site.url}${url.pathname}${url.search}`;
    const body = await renderFeed(site, { subject: route.subject, language, format: route.format, selfUrl }, content);
    const contentType = route.format === "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8";
    return { body, contentType, lastModified: content.items.length > 0 ? feedUpdated(content) : null };
  }
  let sitemap: Sitemap | null;
  if (route.kind === "sitemap-index") sitemap = await sitemapIndex(db, site);
  else if (route.kind === "sitemap-news") sitemap = await newsSitemap(db, site, now);
  else sitemap = await monthSitemap(db, site, route.year, route.month);
  return sitemap && { body: sitemap.xml, contentType: "application/xml; charset=utf-8", lastModified: sitemap.lastModified };
}

function etagOf(version: string, url: URL, route: Route, now: Date): string {
  // The news sitemap's window moves with time, not only with writes.
  const hour = route.kind === "sitemap-news" ? String(Math.floor(now.getTime() / 3_600_000)) : "";
  return `"${createHash("sha256").update(JSON.stringify([version, url.pathname, url.search, hour])).digest("base64url").slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

function notModifiedSince(ifModifiedSince: string | undefined, lastModified: Date | null): boolean {
  if (!ifModifiedSince || !lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

function sendText(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(text);
}

export interface SyndicationDeps {
  app: App;
  config: Config;
  version: ContentVersion;
  /** The publication scheduler: no feed is kept past the moment a scheduled article goes live. */
  next?: NextPublication;
}

/** Answers one feed or sitemap request (isSyndicationPath said yes). */
export async function sendSyndication(req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string, deps: SyndicationDeps): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "Feeds and sitemaps are read with GET.", { allow: "GET, HEAD" });
  let route: Route;
  let language: string | null;
  try {
    route = routeOf(url);
    language = route.kind === "feed" ? languageOf(url) : null;
  } catch (e) {
    if (e instanceof NotFound) return sendText(res, 404, e.message);
    if (e instanceof BadRequest) return sendText(res, 400, e.message);
    throw e;
  }
  const now = new Date();
  // Without the version (Redis down) an ETag could outlive an edit: the answer then goes without one.
  const version = await deps.version.current().catch(() => null);
  const etag = version === null ? null : etagOf(version, url, route, now);
  const headers: Record<string, string> = { "cache-control": cacheControl(deps.next), vary: "accept-encoding" };
  // The benchmark's statement header, as /graphql answers carry it (statements of this request only).
  const statements = () => (deps.config.benchStatementHeader ? { "x-sql-statements": String(currentRequest()?.statements.count ?? 0) } : {});
  if (etag) headers.etag = etag;
  if (etag && matches(req.headers["if-none-match"], etag)) {
    res.writeHead(304, { ...headers, ...statements() });
    res.end();
    return;
  }
  const deadline = Date.now() + deps.config.security.requestTimeoutMs;
  const { reader } = createContext(deps.app, { requestId, deadline });
  const rendered = await render(reader, deps.config, url, route, language, now);
  if (!rendered) return sendText(res, 404, route.kind === "feed" ? `No ${route.subject.kind} "${"slug" in route.subject ? route.subject.slug : ""}".` : `No published articles in ${route.kind === "sitemap-month" ? monthName(route.year, route.month) : "this sitemap"}.`);
  if (rendered.lastModified) headers["last-modified"] = rendered.lastModified.toUTCString();
  if (req.headers["if-none-match"] === undefined && notModifiedSince(req.headers["if-modified-since"], rendered.lastModified)) {
    res.writeHead(304, { ...headers, ...statements() });
    res.end();
    return;
  }
  const body = Buffer.from(rendered.body, "utf8");
  res.writeHead(200, { ...headers, ...statements(), "content-type": rendered.contentType, "content-length": String(body.length) });
  res.end(req.method === "HEAD" ? undefined : body);
}

import type { SiteConfig } from "../config";
import { siteUrlOf } from "../read/structured/siteUrl";
import { TagKind } from "../../entities";
import type { FeedContent, FeedSubject, FeedTag } from "./feedItems";
import { feedLibrary } from "./feedLibrary";

type Category = { name?: string; term?: string; scheme?: string };

export type FeedFormat = "rss" | "atom";

export interface FeedRequest {
  subject: FeedSubject;
  language: string | null;
  format: FeedFormat;
  /** The feed's own absolute URL (rel="self"). */
  selfUrl: string;
}

/** When the feed last changed: its newest item's last change (the epoch for an empty feed, so that the output is stable). */
export function feedUpdated(content: FeedContent): Date {
  let newest = 0;
  for (const { article } of content.items) {
    newest = Math.max(newest, article.updatedAt.getTime(), article.publishedAt?.getTime() ?? 0);
  }
  return new Date(newest);
}

function feedTitle(site: SiteConfig, content: FeedContent, language: string | null): string {
  const parts = [site.name, content.subjectName].filter((p): p is string => Boolean(p));
  return `${parts.join(" — ")}${language ? ` (${language})` : ""}`;
}

/**
 * RSS 2.0 or Atom 1.0 text of a feed, written by the `feed` package, which
 * escapes titles and text (CDATA in RSS, entities in Atom). Items link to
 * the article's page under SITE_URL, which is also their id. RSS items carry
 * no <author> (RSS wants an e-mail address there); Atom entries name theirs,
 * and the site is the feed's author for entries without one.
 */
/*
 * RSS categories are element text, which the package escapes. Atom's are
 * attributes, where it escapes only & and ": the term is the tag's slug
 * (letters, digits and hyphens), the scheme its feed, and a name holding
 * "<" goes without its label rather than break the document.
 */
function categoryOf(site: SiteConfig, format: FeedFormat, tag: FeedTag): Category {
  if (format === "rss") return { name: tag.name };
  const kind = tag.kind === TagKind.RUBRIC ? "rubric" : "hashtag";
  return { term: tag.slug, scheme: siteUrlOf(site, `/feeds/${kind}/`), name: tag.name.includes("<") ? undefined : tag.name };
}

export async function renderFeed(site: SiteConfig, request: FeedRequest, content: FeedContent): Promise<string> {
  const { Feed } = await feedLibrary();
  const title = feedTitle(site, content, request.language);
  const feed = new Feed({
    id: request.selfUrl,
    title,
    description: title,
    link: site.url,
    language: request.language ?? undefined,
    updated: feedUpdated(content),
    generator: "newsgraph",
    author: { name: site.name, link: site.url },
    feedLinks: request.format === "rss" ? { rss: request.selfUrl } : { atom: request.selfUrl },
  });
  for (const { article, authorName, tags } of content.items) {
    const url = siteUrlOf(site, article.path);
    const published = article.publishedAt ?? article.createdAt;
    feed.addItem({
      title: article.title,
      id: url,
      link: url,
      // Atom's <updated> (RSS takes `published` for its pubDate).
      date: article.updatedAt > published ? article.updatedAt : published,
      published,
      description: article.lead ?? undefined,
      author: request.format === "atom" && authorName ? [{ name: authorName }] : undefined,
      category: tags.map((tag) => categoryOf(site, request.format, tag)),
    });
  }
  return request.format === "rss" ? feed.rss2() : feed.atom1();
}

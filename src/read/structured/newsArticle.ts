import type { Article, Author, Tag } from "../../../entities";
import type { SiteConfig } from "../../config";
import { siteUrlOf } from "./siteUrl";

/** A picture of the article, once articles carry one (ImageObject fields). */
export interface ArticleImage {
  url: string;
  width?: number;
  height?: number;
  caption?: string | null;
}

export interface NewsArticleParts {
  article: Article;
  author: Author | null;
  rubrics: Tag[];
  hashtags: Tag[];
  /** The other language versions the viewer may see. */
  translations: Article[];
  image?: ArticleImage | null;
}

function iso(date: Date | null): string | undefined {
  return date ? date.toISOString() : undefined;
}

/**
 * The article as a schema.org NewsArticle for a page's JSON-LD block
 * (https://schema.org/NewsArticle, Google's Article structured data).
 * Fields without a value are left out rather than sent empty. The other
 * language versions are workTranslation entries, each with its own URL
 * and language.
 */
export function newsArticleJsonLd(site: SiteConfig, parts: NewsArticleParts): Record<string, unknown> {
  const { article } = parts;
  const url = siteUrlOf(site, article.path);
  const modified = article.publishedAt && article.updatedAt > article.publishedAt ? article.updatedAt : null;
  const publisher: Record<string, unknown> = { "@type": "Organization", name: site.name, url: site.url };
  if (site.logoUrl) publisher.logo = { "@type": "ImageObject", url: site.logoUrl };
  const ld: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "@id": url,
    url,
    mainEntityOfPage: { "@type": "WebPage", "@id": url },
    headline: article.title,
    description: article.lead ?? undefined,
    inLanguage: article.language,
    datePublished: iso(article.publishedAt),
    dateModified: iso(modified),
    author: parts.author ? { "@type": "Person", name: parts.author.name } : undefined,
    publisher,
    articleSection: parts.rubrics.length > 0 ? parts.rubrics.map((t) => t.name) : undefined,
    keywords: parts.hashtags.length > 0 ? parts.hashtags.map((t) => t.name) : undefined,
    image: parts.image ? { "@type": "ImageObject", ...parts.image } : undefined,
    workTranslation:
      parts.translations.length > 0
        ? parts.translations.map((t) => ({ "@type": "NewsArticle", "@id": siteUrlOf(site, t.path), url: siteUrlOf(site, t.path), headline: t.title, inLanguage: t.language }))
        : undefined,
  };
  return Object.fromEntries(Object.entries(ld).filter(([, v]) => v !== undefined));
}

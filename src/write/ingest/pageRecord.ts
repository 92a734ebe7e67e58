/**
 * Everything one crawled article page says (see FORMAT.md beside this file),
 * in page order, as plain data: the importer decides what becomes rows.
 * Text is NFC and trimmed at both ends; lines inside a paragraph stay
 * joined by "\n". Lists keep the page's order and its duplicates.
 */
export interface PageRecord {
  title: string;
  /** Publication date as printed, "YYYY-MM-DD"; the page gives no time or zone. */
  publishedOn: string;
  rubrics: string[];
  /** View count at crawl time. */
  views: number;
  authorName: string;
  authorEmail: string | null;
  /** "" when the page has no lead before its photo credit. */
  lead: string;
  /** The source after "Фото:", e.g. "gov.kz". */
  photoCredit: string | null;
  paragraphs: string[];
  /** Without the "#"; a hashtag may hold spaces ("Аида Балаева"). */
  hashtags: string[];
  /** "Популярное": full titles of other articles, in rank order. */
  popular: string[];
  /** "Читайте также": titles of related articles in order, usually cut off with "…". */
  readAlso: string[];
  /** The page's language ("language kk" line); absent means Russian. */
  language?: string;
  /** The same story in other languages ("translation en <title>" lines), by their full titles. */
  translations?: Array<{ language: string; title: string }>;
}

import type { Article } from "../../entities";
import { badUserInput } from "../errors";
import type { Reader } from "../db/reader";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { listedArticleSql } from "../viewer";

export interface SearchHit {
  article: Article;
  snippet: string;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

const MAX_QUERY_LENGTH = 200;

function escapeLike(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** A passage around the first occurrence of `needle`, with it marked. */
export function snippetOf(text: string, needle: string, radius = 80): string {
  const at = text.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return escapeHtml(text.slice(0, radius * 2));
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + needle.length + radius);
  return `${start > 0 ? "…" : ""}${escapeHtml(text.slice(start, at))}<mark>${escapeHtml(text.slice(at, at + needle.length))}</mark>${escapeHtml(text.slice(at + needle.length, end))}${end < text.length ? "…" : ""}`;
}

/** Substring search over title, lead and body: title matches first, then newest. */
export async function searchArticles(db: Reader, query: string, offset: number, limit: number): Promise<SearchResult> {
  const q = query.trim();
  if (q === "") throw badUserInput("query must contain a word to search for.", "query");
  if (q.length > MAX_QUERY_LENGTH) throw badUserInput(`query must be at most ${MAX_QUERY_LENGTH} characters, got ${q.length}.`, "query");
  const like = `%${escapeLike(q)}%`;
  const match = `(a.title LIKE ? ESCAPE '!' OR a.lead LIKE ? ESCAPE '!' OR a.body LIKE ? ESCAPE '!')`;
  const rows = await db.read(`SELECT ${ARTICLE_COLUMNS}, COUNT(*) OVER () AS total FROM article a WHERE ${listedArticleSql()} AND ${match}
     ORDER BY CASE WHEN a.title LIKE ? ESCAPE '!' THEN 0 ELSE 1 END, a.published_at DESC, a.id DESC LIMIT ? OFFSET ?`,
    [like, like, like, like, limit, offset],
  );
  const hits = rows.map((r) => {
    const article = toArticle(r);
    const text = [article.title, article.lead ?? "", article.body ?? ""].find((t) => t.toLowerCase().includes(q.toLowerCase())) ?? article.title;
    return { article, snippet: snippetOf(text, q) };
  });
  return { total: rows.length > 0 ? Number(rows[0].total) : 0, hits };
}

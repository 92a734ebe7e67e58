import type { Article } from "../../entities";
import type { Loaders } from "../read/loaders";

/**
 * After a write, the request's loaders may hold what it changed: the
 * article itself, its tags and edges, the lists and counts it appears in,
 * and tags it created. Clearing them all is simpler than proving which are
 * untouched, and costs nothing but the next read of this one request.
 */
export function clearArticleLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders)) loader.clearAll();
}

/** The article as a write left it, read through cleared loaders (a mutation's answer). */
export async function writtenArticle(loaders: Loaders, id: number): Promise<Article> {
  clearArticleLoaders(loaders);
  return (await loaders.articleById.load(id)) as Article;
}

/** An author write changes only what the author loaders return. */
export function clearAuthorLoaders(loaders: Loaders): void {
  loaders.authorById.clearAll();
  loaders.authorBySlug.clearAll();
}

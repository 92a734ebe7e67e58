import type DataLoader from "dataloader";
import type { Article, Author } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { AUTHOR_COLUMNS, authorReadWith, toAuthor } from "../rows";
import type { BatchOptions } from "./batcher";
import { byKey } from "./group";

export function authorLoaders(db: Reader, batch: BatchOptions) {
  const authorById: DataLoader<number, Author | null> = batch.loader("authorById", async (ids) => {
    const rows = await db.read(`SELECT ${AUTHOR_COLUMNS} FROM author au WHERE au.id IN (${placeholders(ids.length)})`, [...ids]);
    return byKey(ids, rows.map(toAuthor), (a) => a.id);
  });
  const authorBySlug: DataLoader<string, Author | null> = batch.loader("authorBySlug", async (slugs) => {
    const rows = await db.read(`SELECT ${AUTHOR_COLUMNS} FROM author au WHERE au.slug IN (${placeholders(slugs.length)})`, [...slugs]);
    const authors = rows.map(toAuthor);
    for (const a of authors) authorById.prime(a.id, a);
    return byKey(slugs, authors, (a) => a.slug);
  });
  return { authorById, authorBySlug };
}

/** An article's author: the one read with the article (rows.ts, ARTICLE_AUTHOR_COLUMNS), else loaded by id. */
export function authorOfArticle(article: Article, authorById: DataLoader<number, Author | null>): Author | null | Promise<Author | null> {
  const read = authorReadWith(article);
  if (read !== undefined) return read;
  return article.authorId === null ? null : authorById.load(article.authorId);
}

import type DataLoader from "dataloader";
import type { Author } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { AUTHOR_COLUMNS, toAuthor } from "../rows";
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

import type { Article, Collection } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { ARTICLE_TEASER_COLUMNS, COLLECTION_COLUMNS, toArticle, toCollection } from "../rows";
import { visibleArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";
import { byKey, listsByKey } from "./group";

export function collectionLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const collectionById = batch.loader<number, Collection | null>("collectionById", async (ids) => {
    const rows = await db.read(`SELECT ${COLLECTION_COLUMNS} FROM collection c WHERE c.id IN (${placeholders(ids.length)})`, [...ids]);
    return byKey(ids, rows.map(toCollection), (c) => c.id);
  });
  const collectionBySlug = batch.loader<string, Collection | null>("collectionBySlug", async (slugs) => {
    const rows = await db.read(`SELECT ${COLLECTION_COLUMNS} FROM collection c WHERE c.slug IN (${placeholders(slugs.length)})`, [...slugs]);
    const collections = rows.map(toCollection);
    for (const c of collections) collectionById.prime(c.id, c);
    return byKey(slugs, collections, (c) => c.slug);
  });
  const articlesOfCollection = batch.loader<number, Article[]>("articlesOfCollection", async (ids) => {
    const rows = await db.read(`SELECT ci.collection_id AS parent_id, ${ARTICLE_TEASER_COLUMNS} FROM collection_item ci JOIN article a ON a.id = ci.article_id
       WHERE ci.collection_id IN (${placeholders(ids.length)}) AND ${visibleArticleSql(viewer)} ORDER BY ci.collection_id, ci.position`,
      [...ids],
    );
    const pairs = rows.map((r) => ({ parent: Number(r.parent_id), article: toArticle(r) }));
    return listsByKey(ids, pairs, (p) => p.parent).map((list) => list.map((p) => p.article));
  });
  return { collectionById, collectionBySlug, articlesOfCollection };
}

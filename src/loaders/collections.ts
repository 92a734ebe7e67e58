import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Article, Collection } from "../../entities";
import { placeholders } from "../db/dialect";
import { read } from "../db/query";
import { ARTICLE_COLUMNS, COLLECTION_COLUMNS, toArticle, toCollection } from "../db/rows";
import { linkedArticleSql, type Viewer } from "../viewer";
import { byKey, listsByKey } from "./group";

export function collectionLoaders(ds: DataSource, viewer: Viewer) {
  const collectionById = new DataLoader<number, Collection | null>(async (ids) => {
    const rows = await read(ds, `SELECT ${COLLECTION_COLUMNS} FROM collection c WHERE c.id IN (${placeholders(ids.length)})`, [...ids]);
    return byKey(ids, rows.map(toCollection), (c) => c.id);
  });
  const collectionBySlug = new DataLoader<string, Collection | null>(async (slugs) => {
    const rows = await read(ds, `SELECT ${COLLECTION_COLUMNS} FROM collection c WHERE c.slug IN (${placeholders(slugs.length)})`, [...slugs]);
    const collections = rows.map(toCollection);
    for (const c of collections) collectionById.prime(c.id, c);
    return byKey(slugs, collections, (c) => c.slug);
  });
  const articlesOfCollection = new DataLoader<number, Article[]>(async (ids) => {
    const rows = await read(
      ds,
      `SELECT ci.collection_id AS parent_id, ${ARTICLE_COLUMNS} FROM collection_item ci JOIN article a ON a.id = ci.article_id
       WHERE ci.collection_id IN (${placeholders(ids.length)}) AND ${linkedArticleSql(viewer)} ORDER BY ci.collection_id, ci.position`,
      [...ids],
    );
    const pairs = rows.map((r) => ({ parent: Number(r.parent_id), article: toArticle(r) }));
    return listsByKey(ids, pairs, (p) => p.parent).map((list) => list.map((p) => p.article));
  });
  return { collectionById, collectionBySlug, articlesOfCollection };
}

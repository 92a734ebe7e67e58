import type DataLoader from "dataloader";
import type { Tag, TagKind } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { TAG_COLUMNS, toTag } from "../rows";
import type { BatchOptions } from "./batcher";
import { byKey, listsByKey } from "./group";

export interface TagRef {
  kind: TagKind;
  slug: string;
}

export function tagLoaders(db: Reader, batch: BatchOptions) {
  const tagById: DataLoader<number, Tag | null> = batch.loader("tagById", async (ids) => {
    const rows = await db.read(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.id IN (${placeholders(ids.length)})`, [...ids]);
    return byKey(ids, rows.map(toTag), (t) => t.id);
  });

  const tagByKindSlug = batch.loader<TagRef, Tag | null, string>("tagByKindSlug", 
    async (refs) => {
      const rows = await db.read(`SELECT ${TAG_COLUMNS} FROM tag t WHERE ${refs.map(() => "(t.kind = ? AND t.slug = ?)").join(" OR ")}`,
        refs.flatMap((r) => [r.kind, r.slug]),
      );
      const tags = rows.map(toTag);
      for (const t of tags) tagById.prime(t.id, t);
      return byKey(refs.map((r) => `${r.kind}:${r.slug}`), tags, (t) => `${t.kind}:${t.slug}`);
    },
    { cacheKeyFn: (r) => `${r.kind}:${r.slug}` });

  /** An article's rubrics and hashtags together, in page order; resolvers split them by kind. */
  const tagsByArticleId = batch.loader<number, Tag[]>("tagsByArticleId", async (articleIds) => {
    const rows = await db.read(`SELECT at.article_id AS parent_id, ${TAG_COLUMNS} FROM article_tag at JOIN tag t ON t.id = at.tag_id
       WHERE at.article_id IN (${placeholders(articleIds.length)}) ORDER BY at.article_id, at.position`,
      [...articleIds],
    );
    const pairs = rows.map((r) => ({ parent: Number(r.parent_id), tag: toTag(r) }));
    return listsByKey(articleIds, pairs, (p) => p.parent).map((list) => list.map((p) => p.tag));
  });

  return { tagById, tagByKindSlug, tagsByArticleId };
}

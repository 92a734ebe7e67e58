import type { Image } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { IMAGE_COLUMNS, toImage } from "../rows";
import { canSeeDrafts, listedArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";
import { byKey, listsByKey } from "./group";

export interface ArticleImages {
  main: Image | null;
  /** Body images, in order. */
  body: Image[];
}

export function imageLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  // Readers reach an image by ID only while a published article shows it:
  // a picture uploaded for a draft stays as private as the draft.
  const visible = canSeeDrafts(viewer)
    ? ""
    : ` AND EXISTS (SELECT 1 FROM article_image ai JOIN article a ON a.id = ai.article_id WHERE ai.image_id = i.id AND ${listedArticleSql("a")})`;
  const imageById = batch.loader<number, Image | null>("imageById", async (ids) => {
    const rows = await db.read(`SELECT ${IMAGE_COLUMNS} FROM image i WHERE i.id IN (${placeholders(ids.length)})${visible}`, [...ids]);
    return byKey(ids, rows.map(toImage), (i) => i.id);
  });

  /** mainImage and images of each article in one statement: both fields of a page cost one together. */
  const imagesByArticleId = batch.loader<number, ArticleImages>("imagesByArticleId", async (articleIds) => {
    const rows = await db.read(
      `SELECT ai.article_id AS parent_id, ai.slot, ${IMAGE_COLUMNS} FROM article_image ai JOIN image i ON i.id = ai.image_id
       WHERE ai.article_id IN (${placeholders(articleIds.length)}) ORDER BY ai.article_id, ai.slot, ai.position`,
      [...articleIds],
    );
    const pairs = rows.map((r) => ({ parent: Number(r.parent_id), slot: r.slot as string, image: toImage(r) }));
    return listsByKey(articleIds, pairs, (p) => p.parent).map((list) => ({
      main: list.find((p) => p.slot === "MAIN")?.image ?? null,
      body: list.filter((p) => p.slot === "BODY").map((p) => p.image),
    }));
  });

  return { imageById, imagesByArticleId };
}

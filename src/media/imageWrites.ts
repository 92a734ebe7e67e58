import type { DataSource, EntityManager } from "typeorm";
import { contentCommitted } from "../db/commits";
import { placeholders } from "../db/dialect";
import { toDbTime } from "../db/time";
import { updateSet } from "../db/updateSet";
import { badUserInput } from "../graphql/errors";
import { distinct } from "../write/ingest/orderedRows";
import { insertedId, insertMany } from "../write/ingest/rows";

export interface NewImage {
  contentHash: string;
  contentType: string;
  width: number;
  height: number;
  byteSize: number;
}

/** What an editor may set on an image; undefined leaves a field as it is, null clears it. */
export interface ImageFields {
  alt?: string | null;
  caption?: string | null;
  credit?: string | null;
  focalPoint?: { x: number; y: number } | null;
}

export async function imageIdByHash(ds: DataSource | EntityManager, contentHash: string): Promise<number | null> {
  const [row] = await ds.query("SELECT id FROM image WHERE content_hash = ?", [contentHash]);
  return row ? Number(row.id) : null;
}

/** Adds the image row; when another upload of the same bytes won the race, returns that one's id. */
export async function insertImage(ds: DataSource, image: NewImage): Promise<{ id: number; created: boolean }> {
  const now = toDbTime(new Date());
  try {
    const result = await ds.query(
      `INSERT INTO image (content_hash, content_type, width, height, byte_size, alt, caption, credit, focal_x, focal_y, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, 0.5, 0.5, ?, ?)`,
      [image.contentHash, image.contentType, image.width, image.height, image.byteSize, now, now],
    );
    return { id: insertedId(result), created: true };
  } catch (e) {
    const existing = await imageIdByHash(ds, image.contentHash);
    if (existing === null) throw e;
    return { id: existing, created: false };
  }
}

async function checkImages(m: EntityManager, ids: number[], argument: string): Promise<void> {
  if (ids.length === 0) return;
  const found: unknown[] = await m.query(`SELECT id FROM image WHERE id IN (${placeholders(ids.length)})`, ids);
  if (found.length !== ids.length) throw badUserInput(`${argument} names an image that does not exist.`, argument);
}

async function checkArticle(m: EntityManager, articleId: number): Promise<void> {
  const [row] = await m.query("SELECT status FROM article WHERE id = ? AND deleted_at IS NULL", [articleId]);
  if (!row) throw badUserInput("articleId names no article (or a deleted one).", "articleId");
  if (row.status === "STUB") throw badUserInput("articleId names a stub; import its page first.", "articleId");
}

async function touchArticle(m: EntityManager, articleId: number): Promise<void> {
  await m.query("UPDATE article SET updated_at = ? WHERE id = ?", [toDbTime(new Date()), articleId]);
  // Cached pages show the article's pictures.
  await contentCommitted(m);
}

export async function updateImage(ds: DataSource, id: number, fields: ImageFields): Promise<void> {
  await ds.transaction(async (m) => {
    await checkImages(m, [id], "id");
    const focal = fields.focalPoint === null ? { x: 0.5, y: 0.5 } : fields.focalPoint;
    const set = updateSet(
      { updated_at: toDbTime(new Date()) },
      { alt: fields.alt, caption: fields.caption, credit: fields.credit, focal_x: focal?.x, focal_y: focal?.y },
    );
    await m.query(`UPDATE image SET ${set.sql} WHERE id = ?`, [...set.params, id]);
    await contentCommitted(m);
  });
}

/** The article's main image; null removes it. */
export async function setMainImage(ds: DataSource, articleId: number, imageId: number | null): Promise<void> {
  await ds.transaction(async (m) => {
    await checkArticle(m, articleId);
    if (imageId !== null) await checkImages(m, [imageId], "imageId");
    await m.query("DELETE FROM article_image WHERE article_id = ? AND slot = 'MAIN'", [articleId]);
    if (imageId !== null) await m.query("INSERT INTO article_image (article_id, slot, position, image_id) VALUES (?, 'MAIN', 0, ?)", [articleId, imageId]);
    await touchArticle(m, articleId);
  });
}

/** The article's body images, in order; [] removes them all. */
export async function setArticleImages(ds: DataSource, articleId: number, imageIds: number[]): Promise<void> {
  await ds.transaction(async (m) => {
    await checkArticle(m, articleId);
    const ids = distinct(imageIds);
    await checkImages(m, ids, "imageIds");
    await m.query("DELETE FROM article_image WHERE article_id = ? AND slot = 'BODY'", [articleId]);
    await insertMany(m, "article_image", ["article_id", "slot", "position", "image_id"], ids.map((id, i) => [articleId, "BODY", i, id]));
    await touchArticle(m, articleId);
  });
}

/**
 * Removes the image's row, refused while an article that is not deleted
 * shows it; deleted articles let go of it. Returns its content hash, so
 * that the caller can remove the stored bytes once the row is gone.
 */
export async function deleteImage(ds: DataSource, id: number): Promise<string> {
  return ds.transaction(async (m) => {
    const [image] = await m.query("SELECT content_hash FROM image WHERE id = ?", [id]);
    if (!image) throw badUserInput("id names no image.", "id");
    const users: { id: unknown }[] = await m.query(
      "SELECT DISTINCT a.id FROM article_image ai JOIN article a ON a.id = ai.article_id WHERE ai.image_id = ? AND a.deleted_at IS NULL ORDER BY a.id",
      [id],
    );
    if (users.length > 0) {
      throw badUserInput(`The image is used by ${users.length} article${users.length === 1 ? "" : "s"}; remove it from ${users.length === 1 ? "that article" : "them"} first.`, "id");
    }
    await m.query("DELETE FROM article_image WHERE image_id = ?", [id]);
    await m.query("DELETE FROM image WHERE id = ?", [id]);
    return String(image.content_hash);
  });
}

import type { Tag, TagKind } from "../../../entities";
import type { Reader } from "../reader";
import { TAG_COLUMNS, toTag } from "../rows";

/** Every tag of a kind, by name; with a language, only tags that hold a listed article in it. */
export async function listTags(db: Reader, kind: TagKind, language: string | null = null): Promise<Tag[]> {
  if (language === null) {
    const rows = await db.read(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.kind = ? ORDER BY t.name, t.id`, [kind]);
    return rows.map(toTag);
  }
  const rows = await db.read(
    `SELECT ${TAG_COLUMNS} FROM tag t WHERE t.kind = ? AND EXISTS (
       SELECT 1 FROM article_tag at JOIN article a ON a.id = at.article_id
       WHERE at.tag_id = t.id AND at.listed_at IS NOT NULL AND a.language = ?) ORDER BY t.name, t.id`,
    [kind, language],
  );
  return rows.map(toTag);
}

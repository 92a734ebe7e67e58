import type { Tag, TagKind } from "../../../entities";
import type { Reader } from "../reader";
import { TAG_COLUMNS, toTag } from "../rows";
import { TAG } from "../../write/derived/articleCounts";

/** Every tag of a kind, by name; with a language, only tags that hold a listed article in it. */
export async function listTags(db: Reader, kind: TagKind, language: string | null = null): Promise<Tag[]> {
  if (language === null) {
    const rows = await db.read(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.kind = ? ORDER BY t.name, t.id`, [kind]);
    return rows.map(toTag);
  }
  // From the kept per-language counts (articleCounts.ts): one key lookup per tag of the kind.
  const rows = await db.read(
    `SELECT ${TAG_COLUMNS} FROM tag t WHERE t.kind = ? AND EXISTS (
       SELECT 1 FROM article_count c WHERE c.dimension = '${TAG}' AND c.key_id = t.id AND c.language = ? AND c.article_count > 0) ORDER BY t.name, t.id`,
    [kind, language],
  );
  return rows.map(toTag);
}

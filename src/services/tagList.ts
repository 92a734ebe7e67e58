import type { Tag, TagKind } from "../../entities";
import type { Reader } from "../db/reader";
import { TAG_COLUMNS, toTag } from "../db/rows";

/** Every tag of a kind, by name. */
export async function listTags(db: Reader, kind: TagKind): Promise<Tag[]> {
  const rows = await db.read(`SELECT ${TAG_COLUMNS} FROM tag t WHERE t.kind = ? ORDER BY t.name, t.id`, [kind]);
  return rows.map(toTag);
}

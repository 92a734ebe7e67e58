import type { DataSource } from "typeorm";
import type { Tag, TagKind } from "../../entities";
import { read } from "../db/query";
import { TAG_COLUMNS, toTag } from "../db/rows";

/** Every tag of a kind, by name. */
export async function listTags(ds: DataSource, kind: TagKind): Promise<Tag[]> {
  const rows = await read(ds, `SELECT ${TAG_COLUMNS} FROM tag t WHERE t.kind = ? ORDER BY t.name, t.id`, [kind]);
  return rows.map(toTag);
}

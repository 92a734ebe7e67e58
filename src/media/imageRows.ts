import { Image } from "../../entities";
import type { Row } from "../db/rows";
import { fromDbTime } from "../db/time";

export const IMAGE_COLUMNS =
  "i.id, i.content_hash, i.content_type, i.width, i.height, i.byte_size, i.alt, i.caption, i.credit, i.focal_x, i.focal_y, i.created_at, i.updated_at";

export function toImage(row: Row): Image {
  const i = new Image();
  i.id = Number(row.id);
  i.contentHash = row.content_hash as string;
  i.contentType = row.content_type as string;
  i.width = Number(row.width);
  i.height = Number(row.height);
  i.byteSize = Number(row.byte_size);
  i.alt = (row.alt as string | null) ?? null;
  i.caption = (row.caption as string | null) ?? null;
  i.credit = (row.credit as string | null) ?? null;
  i.focalX = Number(row.focal_x);
  i.focalY = Number(row.focal_y);
  i.createdAt = fromDbTime(row.created_at) as Date;
  i.updatedAt = fromDbTime(row.updated_at) as Date;
  return i;
}

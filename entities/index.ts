import { Article } from "./article";
import { Author } from "./author";
import { Collection } from "./collection";
import { Image } from "./image";
import { LiveEntry } from "./live-entry";
import { Tag } from "./tag";

export { Article, Author, Collection, Image, LiveEntry, Tag };
export * from "./enums";
export { Node } from "./node";
export { PARAGRAPH_SEPARATOR } from "./article";

/**
 * The tables read as objects: each entity's TypeORM columns are the
 * description src/read/rows.ts reads them by, and its type-graphql fields the
 * schema's. Join and derived tables (article_tag, article_related,
 * article_image, article_view_day, collection_item, archive_day, ...) are
 * read and written by SQL of their own and described by their migrations
 * alone.
 */
export const entities = [Article, Author, Tag, Collection, Image, LiveEntry];

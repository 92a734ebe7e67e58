import { Article } from "./article";
import { ArticleRelated } from "./article-related";
import { ArticleTag } from "./article-tag";
import { ArticleViewDay } from "./article-view-day";
import { ArchiveDay } from "./archive-day";
import { Author } from "./author";
import { Collection } from "./collection";
import { CollectionItem } from "./collection-item";
import { LiveEntry } from "./live-entry";
import { Tag } from "./tag";

export { Article, ArticleRelated, ArticleTag, ArticleViewDay, ArchiveDay, Author, Collection, CollectionItem, LiveEntry, Tag };
export * from "./enums";
export { Node } from "./node";
export { PARAGRAPH_SEPARATOR } from "./article";

export const entities = [Article, ArticleRelated, ArticleTag, ArticleViewDay, ArchiveDay, Author, Collection, CollectionItem, LiveEntry, Tag];

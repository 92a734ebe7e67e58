import { Article, ArticleStatus, Author, Collection, Tag, TagKind } from "../../entities";
import { fromDbTime } from "./time";

// Hot paths read with raw SQL and build entity instances here, which is
// several times cheaper than TypeORM hydration and keeps `instanceof`
// working for the Node interface.
export type Row = Record<string, unknown>;

export const ARTICLE_COLUMNS =
  "a.id, a.slug, a.path, a.title, a.title_key, a.lead, a.body, a.published_at, a.status, a.views, a.photo_credit, a.language, a.author_id, a.created_at, a.updated_at, a.deleted_at";

export function toArticle(row: Row): Article {
  const a = new Article();
  a.id = Number(row.id);
  a.slug = row.slug as string;
  a.path = row.path as string;
  a.title = row.title as string;
  a.titleKey = row.title_key as string;
  a.lead = (row.lead as string | null) ?? null;
  a.body = (row.body as string | null) ?? null;
  a.publishedAt = fromDbTime(row.published_at);
  a.status = row.status as ArticleStatus;
  a.views = Number(row.views);
  a.photoCredit = (row.photo_credit as string | null) ?? null;
  a.language = row.language as string;
  a.authorId = row.author_id === null || row.author_id === undefined ? null : Number(row.author_id);
  a.createdAt = fromDbTime(row.created_at) as Date;
  a.updatedAt = fromDbTime(row.updated_at) as Date;
  a.deletedAt = fromDbTime(row.deleted_at);
  return a;
}

export const TAG_COLUMNS = "t.id, t.kind, t.name, t.slug";

export function toTag(row: Row): Tag {
  const t = new Tag();
  t.id = Number(row.id);
  t.kind = row.kind as TagKind;
  t.name = row.name as string;
  t.slug = row.slug as string;
  return t;
}

export const AUTHOR_COLUMNS = "au.id, au.name, au.slug, au.email";

export function toAuthor(row: Row): Author {
  const au = new Author();
  au.id = Number(row.id);
  au.name = row.name as string;
  au.slug = row.slug as string;
  au.email = (row.email as string | null) ?? null;
  return au;
}

export const COLLECTION_COLUMNS = "c.id, c.slug, c.name, c.captured_at";

export function toCollection(row: Row): Collection {
  const c = new Collection();
  c.id = Number(row.id);
  c.slug = row.slug as string;
  c.name = row.name as string;
  c.capturedAt = fromDbTime(row.captured_at);
  return c;
}

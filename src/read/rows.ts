import "reflect-metadata";
import { getMetadataArgsStorage } from "typeorm";
import { Article, Author, Collection, Image, LiveEntry, Tag } from "../../entities";
import { fromDbTime } from "../db/time";

// Hot paths read with raw SQL and build entity instances here, which is
// several times cheaper than TypeORM hydration and keeps `instanceof`
// working for the Node interface.
export type Row = Record<string, unknown>;

/** How one entity's rows are read: its columns for a SELECT list, and the row made into an instance. */
export interface RowMapping<T> {
  /** `alias.column, ...`: every column the entity declares, in declaration order. */
  columns: string;
  from: (row: Row) => T;
}

type Convert = (value: unknown) => unknown;

const asNumber: Convert = (v) => Number(v);
const asFlag: Convert = (v) => Number(v) === 1;
const asText: Convert = (v) => v;
const orNull = (convert: Convert): Convert => (v) => (v === null || v === undefined ? null : convert(v));

/**
 * The entity's TypeORM column decorators are the one description of its
 * table that the code reads: the SELECT list and the mapping of a row to
 * an instance are made from them (column names, and how each value comes
 * back from either database), so a column renamed in the entity is renamed
 * in every read. Made once per entity, when this module loads. With a
 * prefix, each column is selected under the prefixed name (`au.id AS
 * au__id`), so that a joined table's columns do not meet the main one's.
 */
export function rowMapping<T extends object>(entity: new () => T, alias: string, prefix = ""): RowMapping<T> {
  const fields = getMetadataArgsStorage()
    .filterColumns(entity)
    .map((c) => {
      const column = c.options.name ?? c.propertyName;
      // A generated primary key declares no type of its own: the property's (Number) says it.
      const design = Reflect.getMetadata("design:type", entity.prototype, c.propertyName) as unknown;
      const type = typeof c.options.type === "string" ? c.options.type : "";
      const numeric = /int|double|float|decimal/.test(type) || (type === "" && design === Number);
      const base: Convert = type === "datetime" ? fromDbTime : design === Boolean ? asFlag : numeric ? asNumber : asText;
      return { property: c.propertyName, column, key: prefix + column, convert: c.options.nullable ? orNull(base) : base };
    });
  if (fields.length === 0) throw new Error(`${entity.name} declares no columns`);
  return {
    columns: fields.map((f) => `${alias}.${f.column}${prefix ? ` AS ${f.key}` : ""}`).join(", "),
    from(row) {
      const instance = new entity() as Record<string, unknown>;
      // A column the statement did not select stays undefined (not null): see ARTICLE_TEASER_COLUMNS.
      for (const f of fields) if (f.key in row) instance[f.property] = f.convert(row[f.key]);
      return instance as T;
    },
  };
}

const article = rowMapping(Article, "a");
export const ARTICLE_COLUMNS = article.columns;
/**
 * Every article column but the body, for lists: a page of fifty teasers
 * need not carry fifty bodies (tens of kilobytes each on a real site).
 * `paragraphs` loads a body left out this way (articleBodies).
 */
export const ARTICLE_TEASER_COLUMNS = article.columns
  .split(", ")
  .filter((c) => c !== "a.body")
  .join(", ");
export const toArticle = article.from;

const tag = rowMapping(Tag, "t");
export const TAG_COLUMNS = tag.columns;
export const toTag = tag.from;

const author = rowMapping(Author, "au");
export const AUTHOR_COLUMNS = author.columns;
export const toAuthor = author.from;

/**
 * The article's author, read in the statement that reads the article: the
 * article page and every teaser show the author, and a statement of its
 * own for them cost the page a round trip. A read adds these columns and
 * the join to its article alias `a`, and makes rows with
 * toArticleWithAuthor; `Article.author` then answers from what was read
 * (authorReadWith) and loads only for articles read without it.
 */
const joinedAuthor = rowMapping(Author, "au", "au__");
export const ARTICLE_AUTHOR_COLUMNS = joinedAuthor.columns;
export const ARTICLE_AUTHOR_JOIN = "LEFT JOIN author au ON au.id = a.author_id";
/** Where an article read with its author keeps it: a symbol, so no GraphQL field, JSON or TypeORM save sees it. */
const AUTHOR_READ = Symbol("author read with the article");
type ReadWithAuthor = Article & { [AUTHOR_READ]?: Author | null };

export function toArticleWithAuthor(row: Row): Article {
  const read: ReadWithAuthor = toArticle(row);
  read[AUTHOR_READ] = row.au__id === null || row.au__id === undefined ? null : joinedAuthor.from(row);
  return read;
}

/** The author read with the article (null: it has none), or undefined when the article was read without it. */
export function authorReadWith(read: Article): Author | null | undefined {
  return (read as ReadWithAuthor)[AUTHOR_READ];
}

const collection = rowMapping(Collection, "c");
export const COLLECTION_COLUMNS = collection.columns;
export const toCollection = collection.from;

const image = rowMapping(Image, "i");
export const IMAGE_COLUMNS = image.columns;
export const toImage = image.from;

const liveEntry = rowMapping(LiveEntry, "e");
export const LIVE_ENTRY_COLUMNS = liveEntry.columns;
export const toLiveEntry = liveEntry.from;

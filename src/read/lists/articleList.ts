import type { Article } from "../../../entities";
import type { Reader } from "../reader";
import { ARTICLE_AUTHOR_COLUMNS, ARTICLE_AUTHOR_JOIN, ARTICLE_TEASER_COLUMNS, toArticleWithAuthor } from "../rows";
import type { PageRequest } from "../paging/pages";
import { articleFilterSql, filterTags, type ArticleFilterInput } from "./articleFilter";
import { ArticleOrder } from "../paging/articleOrder";
import { keysetSql, TAG_SORT_COLUMNS } from "../paging/keyset";

/**
 * MariaDB reads a cursor page through (status, published_at) or (status,
 * views) but, given status = const and a LIMIT, prefers to walk that index
 * from its newest (most-viewed) end and filter, instead of seeking to the
 * cursor: on 100,000 articles a page deep in the list took one to seven
 * seconds rather than a fraction of a millisecond. The hint names the index
 * it should seek with. An author filter has indexes of its own, so it is
 * left to the optimizer.
 */
function indexHint(db: Reader, filter: ArticleFilterInput | null | undefined, order: ArticleOrder, page: PageRequest): string {
  if (db.dialect !== "mysql" || filter?.author) return "";
  const dated = Boolean(filter?.from || filter?.to || (filter?.year !== undefined && filter?.year !== null));
  // A date range by views (an archive month by views) sorts the range's own rows; walking the views index would read the whole archive for an old month.
  if (order === ArticleOrder.VIEWS_DESC && dated) return " FORCE INDEX (article_status_published)";
  if (!page.cursor) return "";
  return order === ArticleOrder.VIEWS_DESC ? " FORCE INDEX (article_views)" : " FORCE INDEX (article_status_published)";
}

/**
 * A list narrowed to one rubric or hashtag: read from the tag's own index
 * on article_tag, (tag_id, listed_at, article_id) by date or (tag_id,
 * listed_views, article_id) by views, the copies kept while the article is
 * listed (tagListing.ts), so
 * that a page costs its own rows at any depth however many articles the
 * tag or the site hold. Date bounds narrow the same index; other
 * conditions (author, language) are checked on the rows it yields.
 */
function oneTagListSql(filter: ArticleFilterInput, order: ArticleOrder, page: PageRequest): { sql: string; params: unknown[] } | null {
  const tags = filterTags(filter);
  if (tags.length !== 1) return null;
  const f = articleFilterSql({ ...filter, tags: null, rubric: null, hashtag: null }, "a", "at.listed_at");
  const keyset = keysetSql(order, page, "a", TAG_SORT_COLUMNS);
  return {
    sql: `SELECT ${ARTICLE_TEASER_COLUMNS}, ${ARTICLE_AUTHOR_COLUMNS} FROM article_tag at JOIN article a ON a.id = at.article_id ${ARTICLE_AUTHOR_JOIN}
          WHERE at.tag_id = (SELECT t.id FROM tag t WHERE t.kind = ? AND t.slug = ?) AND at.listed_at IS NOT NULL
            AND ${f.where}${keyset.where ? ` AND ${keyset.where}` : ""} ORDER BY ${keyset.orderBy} LIMIT ?`,
    params: [tags[0].kind, tags[0].slug, ...f.params, ...keyset.params, page.limit + 1],
  };
}

/** One page (limit + 1 rows) of listed articles matching a filter, with their authors, in one statement. */
export async function listArticles(db: Reader, filter: ArticleFilterInput | null | undefined, order: ArticleOrder, page: PageRequest): Promise<Article[]> {
  if (page.limit === 0) return [];
  const ofTag = filter ? oneTagListSql(filter, order, page) : null;
  if (ofTag) return (await db.read(ofTag.sql, ofTag.params)).map(toArticleWithAuthor);
  const f = articleFilterSql(filter);
  const keyset = keysetSql(order, page);
  const hint = indexHint(db, filter, order, page);
  const rows = await db.read(
    `SELECT ${ARTICLE_TEASER_COLUMNS}, ${ARTICLE_AUTHOR_COLUMNS} FROM article a${hint} ${ARTICLE_AUTHOR_JOIN} WHERE ${f.where}${keyset.where ? ` AND ${keyset.where}` : ""} ORDER BY ${keyset.orderBy} LIMIT ?`,
    [...f.params, ...keyset.params, page.limit + 1],
  );
  return rows.map(toArticleWithAuthor);
}

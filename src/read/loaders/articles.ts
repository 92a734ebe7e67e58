import type DataLoader from "dataloader";
import type { Article } from "../../../entities";
import { placeholders } from "../../db/dialect";
import type { Reader } from "../reader";
import { ARTICLE_AUTHOR_COLUMNS, ARTICLE_AUTHOR_JOIN, ARTICLE_COLUMNS, toArticleWithAuthor } from "../rows";
import { visibleArticleSql, type Viewer } from "../viewer";
import type { BatchOptions } from "./batcher";
import { byKey } from "./group";

type Column = "id" | "slug" | "path";

function articleBy<K extends number | string>(name: string, db: Reader, viewer: Viewer, column: Column, prime: (a: Article) => void, batch: BatchOptions) {
  return batch.loader<K, Article | null>(name, async (keys) => {
    const rows = await db.read(
      `SELECT ${ARTICLE_COLUMNS}, ${ARTICLE_AUTHOR_COLUMNS} FROM article a ${ARTICLE_AUTHOR_JOIN}
        WHERE a.${column} IN (${placeholders(keys.length)}) AND ${visibleArticleSql(viewer)}`,
      [...keys],
    );
    const articles = rows.map(toArticleWithAuthor);
    articles.forEach(prime);
    return byKey(keys, articles, (a) => a[column] as K);
  });
}

/**
 * The bodies of articles read from a list (ARTICLE_TEASER_COLUMNS), for
 * `paragraphs`. The articles were already read under the viewer's rules;
 * this only fetches the column those reads left out.
 */
export function articleBodyLoader(db: Reader, batch: BatchOptions) {
  return batch.loader<number, string | null>("articleBodies", async (ids) => {
    const rows = await db.read(`SELECT a.id, a.body FROM article a WHERE a.id IN (${placeholders(ids.length)})`, [...ids]);
    const bodies = new Map(rows.map((r) => [Number(r.id), r.body === null || r.body === undefined ? null : String(r.body)]));
    return ids.map((id) => bodies.get(id) ?? null);
  });
}

/** articleById, articleBySlug and articleByPath, priming each other. */
export function articleLoaders(db: Reader, viewer: Viewer, batch: BatchOptions) {
  const loaders = {} as {
    articleById: DataLoader<number, Article | null>;
    articleBySlug: DataLoader<string, Article | null>;
    articleByPath: DataLoader<string, Article | null>;
  };
  const prime = (a: Article) => {
    loaders.articleById.prime(a.id, a);
    loaders.articleBySlug.prime(a.slug, a);
    loaders.articleByPath.prime(a.path, a);
  };
  loaders.articleById = articleBy<number>("articleById", db, viewer, "id", prime, batch);
  loaders.articleBySlug = articleBy<string>("articleBySlug", db, viewer, "slug", prime, batch);
  loaders.articleByPath = articleBy<string>("articleByPath", db, viewer, "path", prime, batch);
  return loaders;
}

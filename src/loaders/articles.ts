import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Article } from "../../entities";
import { placeholders } from "../db/dialect";
import { read } from "../db/query";
import { ARTICLE_COLUMNS, toArticle } from "../db/rows";
import { visibleArticleSql, type Viewer } from "../viewer";
import { byKey } from "./group";

type Column = "id" | "slug" | "path";

function articleBy<K extends number | string>(ds: DataSource, viewer: Viewer, column: Column, prime: (a: Article) => void) {
  return new DataLoader<K, Article | null>(async (keys) => {
    const rows = await read(
      ds,
      `SELECT ${ARTICLE_COLUMNS} FROM article a WHERE a.${column} IN (${placeholders(keys.length)}) AND ${visibleArticleSql(viewer)}`,
      [...keys],
    );
    const articles = rows.map(toArticle);
    articles.forEach(prime);
    return byKey(keys, articles, (a) => a[column] as K);
  });
}

/** articleById, articleBySlug and articleByPath, priming each other. */
export function articleLoaders(ds: DataSource, viewer: Viewer) {
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
  loaders.articleById = articleBy<number>(ds, viewer, "id", prime);
  loaders.articleBySlug = articleBy<string>(ds, viewer, "slug", prime);
  loaders.articleByPath = articleBy<string>(ds, viewer, "path", prime);
  return loaders;
}

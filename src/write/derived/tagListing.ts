import type { EntityManager } from "typeorm";
import { placeholders } from "../../db/dialect";
import { listedArticleSql } from "../../read/viewer";

const CHUNK = 500;

/**
 * Copies each written article's listing state into its article_tag rows
 * (listed_at and listed_views: the publication time and the views while
 * listed, else NULL; the view counter's flush adds views to the latter). Called by
 * articlesChanged after the writer has replaced the article's tags.
 */
export async function refreshTagListing(manager: EntityManager, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await manager.query(
      `UPDATE article_tag SET listed_at = (SELECT a.published_at FROM article a WHERE a.id = article_tag.article_id AND ${listedArticleSql()}),
         listed_views = (SELECT a.views FROM article a WHERE a.id = article_tag.article_id AND ${listedArticleSql()})
       WHERE article_id IN (${placeholders(chunk.length)})`,
      [...chunk],
    );
  }
}

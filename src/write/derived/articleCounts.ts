import type { EntityManager } from "typeorm";
import { dialectOf, placeholders } from "../../db/dialect";
import { listedArticleSql } from "../../read/viewer";

/*
 * Kept article counts (migration 1700000001700): how many listed articles
 * (published, not deleted: the readers' list predicate) each rubric or
 * hashtag, each author and the whole site hold, per language.
 *
 * article_count_member says what each listed article is counted in (one row
 * per dimension and key: the site, its author, each of its tags), so that a
 * write need not know what the article was before it: the counts move by
 * the difference between the members recorded and the members the article
 * has now. A write costs a few index lookups per article written, whatever
 * the size of the rubric; a read is one primary-key range per key.
 */

/** Every listed article counts once in the site's total (key 0). */
export const SITE = "site";
export const TAG = "tag";
export const AUTHOR = "author";
export type CountDimension = typeof SITE | typeof TAG | typeof AUTHOR;

const CHUNK = 500;

/** (article_id, dimension, key_id, language) of what listed articles count in; `scope` narrows the articles (e.g. to some ids). */
function membersSql(scope: string): string {
  const listed = listedArticleSql();
  return `SELECT a.id AS article_id, '${SITE}' AS dimension, 0 AS key_id, a.language AS language FROM article a WHERE ${listed}${scope}
    UNION ALL SELECT a.id, '${AUTHOR}', a.author_id, a.language FROM article a WHERE ${listed} AND a.author_id IS NOT NULL${scope}
    UNION ALL SELECT a.id, '${TAG}', at.tag_id, a.language FROM article_tag at JOIN article a ON a.id = at.article_id WHERE ${listed}${scope}`;
}

/** INSERT … SELECT that adds each selected row's article_count to the kept one (a new key starts at it). */
function addCountsSql(manager: EntityManager, select: string): string {
  return dialectOf(manager) === "mysql"
    ? `INSERT INTO article_count (dimension, key_id, language, article_count) ${select}
       ON DUPLICATE KEY UPDATE article_count = article_count.article_count + VALUES(article_count)`
    : `INSERT INTO article_count (dimension, key_id, language, article_count) ${select}
       ON CONFLICT (dimension, key_id, language) DO UPDATE SET article_count = article_count + excluded.article_count`;
}

/**
 * Moves the kept counts by what the written articles count in now against
 * what they were counted in before, and records the new members. Called by
 * articlesChanged after the writer's changes (status, date, author,
 * language, tags, deletion) in its own transaction.
 */
export async function refreshArticleCounts(manager: EntityManager, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = [...new Set(ids.slice(i, i + CHUNK))];
    const inChunk = `(${placeholders(chunk.length)})`;
    const now = membersSql(` AND a.id IN ${inChunk}`);
    // Before: -1 per recorded member; now: +1 per member. Only keys whose count changes are written.
    await manager.query(
      addCountsSql(
        manager,
        `SELECT d.dimension, d.key_id, d.language, SUM(d.n) AS article_count FROM (
           SELECT m.dimension, m.key_id, m.language, -1 AS n FROM article_count_member m WHERE m.article_id IN ${inChunk}
           UNION ALL SELECT now.dimension, now.key_id, now.language, 1 FROM (${now}) now
         ) d WHERE true GROUP BY d.dimension, d.key_id, d.language HAVING SUM(d.n) <> 0`,
      ),
      [...chunk, ...chunk, ...chunk, ...chunk],
    );
    await manager.query(`DELETE FROM article_count_member WHERE article_id IN ${inChunk}`, chunk);
    await manager.query(`INSERT INTO article_count_member (article_id, dimension, key_id, language) ${now}`, [...chunk, ...chunk, ...chunk]);
  }
}

/** The counts computed from the articles themselves (what article_count must always equal, leaving out keys at 0). */
export function articleCountGroupBySql(): string {
  return `SELECT m.dimension, m.key_id, m.language, COUNT(*) AS article_count FROM (${membersSql("")}) m GROUP BY m.dimension, m.key_id, m.language`;
}

/** Recomputes the members and the counts set-wise; used after bulk loads (writeCorpus) and by the migration that adds them. */
export async function rebuildArticleCounts(manager: EntityManager): Promise<void> {
  await manager.query("DELETE FROM article_count_member");
  await manager.query("DELETE FROM article_count");
  await manager.query(`INSERT INTO article_count_member (article_id, dimension, key_id, language) ${membersSql("")}`);
  await manager.query(
    `INSERT INTO article_count (dimension, key_id, language, article_count)
     SELECT m.dimension, m.key_id, m.language, COUNT(*) FROM article_count_member m GROUP BY m.dimension, m.key_id, m.language`,
  );
}

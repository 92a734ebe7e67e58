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
/** Member rows per statement: four parameters each, well under SQLite's variable limit. */
const MEMBER_ROWS = 1000;

/** (article_id, dimension, key_id, language) of what listed articles count in; `scope` narrows the articles (e.g. to some ids). */
function membersSql(scope: string): string {
  const listed = listedArticleSql();
  return `SELECT a.id AS article_id, '${SITE}' AS dimension, 0 AS key_id, a.language AS language FROM article a WHERE ${listed}${scope}
    UNION ALL SELECT a.id, '${AUTHOR}', a.author_id, a.language FROM article a WHERE ${listed} AND a.author_id IS NOT NULL${scope}
    UNION ALL SELECT a.id, '${TAG}', at.tag_id, a.language FROM article_tag at JOIN article a ON a.id = at.article_id WHERE ${listed}${scope}`;
}

interface Member {
  article_id: number;
  dimension: string;
  key_id: number;
  language: string;
}

const memberKey = (m: Member) => `${m.article_id}\u0000${m.dimension}\u0000${m.key_id}\u0000${m.language}`;
const countKey = (m: Member) => `${m.dimension}\u0000${m.key_id}\u0000${m.language}`;

/** Adds `delta` to each kept count (a new key starts at it). */
async function addCounts(manager: EntityManager, deltas: Map<string, { member: Member; n: number }>): Promise<void> {
  const rows = [...deltas.values()].filter((d) => d.n !== 0);
  if (rows.length === 0) return;
  const conflict =
    dialectOf(manager) === "mysql"
      ? "ON DUPLICATE KEY UPDATE article_count = article_count.article_count + VALUES(article_count)"
      : "ON CONFLICT (dimension, key_id, language) DO UPDATE SET article_count = article_count + excluded.article_count";
  await manager.query(
    `INSERT INTO article_count (dimension, key_id, language, article_count) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")} ${conflict}`,
    rows.flatMap((d) => [d.member.dimension, d.member.key_id, d.member.language, d.n]),
  );
}

/**
 * Moves the kept counts by what the written articles count in now against
 * what they were counted in before, and records the new members. Called by
 * articlesChanged after the writer's changes (status, date, author,
 * language, tags, deletion) in its own transaction. Each side is read once;
 * only members and counts that change are written (an import that rewrites
 * an unchanged page writes nothing here).
 */
export async function refreshArticleCounts(manager: EntityManager, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = [...new Set(ids.slice(i, i + CHUNK))];
    const inChunk = `(${placeholders(chunk.length)})`;
    const norm = (r: Record<string, unknown>): Member => ({
      article_id: Number(r.article_id),
      dimension: String(r.dimension),
      key_id: Number(r.key_id),
      language: String(r.language),
    });
    const before: Member[] = (await manager.query(`SELECT article_id, dimension, key_id, language FROM article_count_member WHERE article_id IN ${inChunk}`, chunk)).map(norm);
    const now: Member[] = (await manager.query(membersSql(` AND a.id IN ${inChunk}`), [...chunk, ...chunk, ...chunk])).map(norm);
    const had = new Set(before.map(memberKey));
    const has = new Set(now.map(memberKey));
    const gone = before.filter((m) => !has.has(memberKey(m)));
    const added = now.filter((m) => !had.has(memberKey(m)));
    const deltas = new Map<string, { member: Member; n: number }>();
    for (const [members, n] of [[gone, -1], [added, 1]] as const) {
      for (const m of members) {
        const d = deltas.get(countKey(m)) ?? { member: m, n: 0 };
        d.n += n;
        deltas.set(countKey(m), d);
      }
    }
    await addCounts(manager, deltas);
    const tuple = (m: Member) => [m.article_id, m.dimension, m.key_id, m.language];
    for (let j = 0; j < gone.length; j += MEMBER_ROWS) {
      const part = gone.slice(j, j + MEMBER_ROWS);
      await manager.query(
        `DELETE FROM article_count_member WHERE (article_id, dimension, key_id, language) IN (${part.map(() => "(?, ?, ?, ?)").join(", ")})`,
        part.flatMap(tuple),
      );
    }
    for (let j = 0; j < added.length; j += MEMBER_ROWS) {
      const part = added.slice(j, j + MEMBER_ROWS);
      await manager.query(`INSERT INTO article_count_member (article_id, dimension, key_id, language) VALUES ${part.map(() => "(?, ?, ?, ?)").join(", ")}`, part.flatMap(tuple));
    }
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

import type { Tag, TagKind } from "../../../entities";
import type { Reader } from "../reader";
import { TAG_COLUMNS, toTag } from "../rows";
import { TAG } from "../../write/derived/articleCounts";

/** Where a tag listed with its count keeps it (a symbol: no GraphQL field, JSON or TypeORM save sees it). */
const COUNT_READ = Symbol("count read with the tag");
type CountedTag = Tag & { [COUNT_READ]?: number };

/**
 * The tag's kept count of listed articles (all languages) when it was read
 * with it (listTags with `counted`), else undefined. `Tag.articleCount`
 * answers from it without a loader call: a front page lists every rubric
 * with its count, fifty on a large site, and a promise per rubric cost
 * more than the whole statement that read them.
 */
export function countReadWith(tag: Tag): number | undefined {
  return (tag as CountedTag)[COUNT_READ];
}

/**
 * Every tag of a kind, by name; with a language, only tags that hold a
 * listed article in it. `counted`: each tag's kept count of listed articles
 * (all languages) comes in the same statement and is kept on each tag
 * (countReadWith), for a page that shows the rubrics with their counts.
 */
export async function listTags(db: Reader, kind: TagKind, language: string | null = null, counted = false): Promise<Tag[]> {
  const count = counted ? `, (SELECT COALESCE(SUM(c.article_count), 0) FROM article_count c WHERE c.dimension = '${TAG}' AND c.key_id = t.id) AS article_count` : "";
  // With a language: from the kept per-language counts (articleCounts.ts), one key lookup per tag of the kind.
  const inLanguage =
    language === null ? "" : ` AND EXISTS (SELECT 1 FROM article_count c WHERE c.dimension = '${TAG}' AND c.key_id = t.id AND c.language = ? AND c.article_count > 0)`;
  const rows = await db.read(`SELECT ${TAG_COLUMNS}${count} FROM tag t WHERE t.kind = ?${inLanguage} ORDER BY t.name, t.id`, language === null ? [kind] : [kind, language]);
  const tags = rows.map(toTag);
  if (counted) tags.forEach((t, i) => ((t as CountedTag)[COUNT_READ] = Number(rows[i].article_count)));
  return tags;
}

import { GraphQLError } from "graphql";
import type { EntityManager } from "typeorm";
import { ArticleStatus } from "../../../entities";
import { placeholders } from "../../db/dialect";
import { linkTranslationsIn } from "../translationWrites";
import { foldTitle } from "../../text/fold";
import { PageParseError } from "./parsePage";
import type { PageRecord } from "./pageRecord";

/**
 * Links the page's article with the other-language versions its
 * "translation" lines name, by full title and language, when those have
 * been imported (stubs do not count). A version imported later links itself
 * when its own page names this one back, as a bilingual site's pages do.
 * Already linked: nothing is written, so a re-import changes nothing.
 * True when it linked.
 */
export async function linkNamedTranslations(m: EntityManager, articleId: number, named: NonNullable<PageRecord["translations"]>, file: string): Promise<boolean> {
  if (named.length === 0) return false;
  const keys = named.map((t) => foldTitle(t.title));
  const rows: Array<Record<string, unknown>> = await m.query(
    `SELECT a.id, a.title_key, a.language FROM article a
     WHERE a.title_key IN (${placeholders(keys.length)}) AND a.deleted_at IS NULL AND a.status <> ? ORDER BY a.id`,
    [...keys, ArticleStatus.STUB],
  );
  const found = named
    .map((t, i) => rows.find((r) => r.title_key === keys[i] && r.language === t.language))
    .filter((r): r is Record<string, unknown> => r !== undefined)
    .map((r) => Number(r.id))
    .filter((id) => id !== articleId);
  if (found.length === 0) return false;
  const ids = [articleId, ...found];
  const groups: Array<Record<string, unknown>> = await m.query(
    `SELECT group_id FROM article_translation WHERE article_id IN (${placeholders(ids.length)})`,
    ids,
  );
  if (groups.length === ids.length && groups.every((g) => Number(g.group_id) === Number(groups[0].group_id))) return false;
  try {
    await linkTranslationsIn(m, ids, "translation");
    return true;
  } catch (e) {
    if (e instanceof GraphQLError) throw new PageParseError(file, 0, e.message);
    throw e;
  }
}

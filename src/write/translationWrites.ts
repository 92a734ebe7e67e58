import type { DataSource, EntityManager } from "typeorm";
import { ArticleStatus } from "../../entities";
import { contentCommitted } from "../db/commits";
import { placeholders } from "../db/dialect";
import { badUserInput } from "../graphql/errors";
import { distinct } from "./ingest/orderedRows";
import { SITE_LANGUAGES } from "../text/language";
import { WebhookEvent } from "../webhooks/events";
import { enqueueWebhookEvent } from "../webhooks/outbox";

/*
 * A translation group is a set of articles telling one story in different
 * languages, at most one per language. Its group_id is the smallest article
 * id in it: linking merges the groups the named articles already belong to,
 * unlinking re-keys what remains, so two groups never share an id.
 */

interface Member {
  id: number;
  slug: string;
  language: string;
  status: ArticleStatus;
}

async function membersOf(m: EntityManager, ids: number[]): Promise<Member[]> {
  if (ids.length === 0) return [];
  const rows: Array<Record<string, unknown>> = await m.query(
    `SELECT id, slug, language, status FROM article WHERE deleted_at IS NULL AND id IN (${placeholders(ids.length)})`,
    ids,
  );
  return rows.map((r) => ({ id: Number(r.id), slug: r.slug as string, language: r.language as string, status: r.status as ArticleStatus }));
}

/** Every article in the groups of `ids`, and `ids` themselves. */
async function groupClosure(m: EntityManager, ids: number[]): Promise<number[]> {
  const rows: Array<Record<string, unknown>> = await m.query(
    `SELECT t2.article_id FROM article_translation t1 JOIN article_translation t2 ON t2.group_id = t1.group_id
     WHERE t1.article_id IN (${placeholders(ids.length)})`,
    ids,
  );
  return distinct([...ids, ...rows.map((r) => Number(r.article_id))]);
}

function checkOnePerLanguage(members: Member[], argument: string): void {
  const byLanguage = new Map<string, Member>();
  for (const member of members) {
    const other = byLanguage.get(member.language);
    if (other) {
      throw badUserInput(
        `${argument}: "${other.slug}" and "${member.slug}" are both in "${member.language}"; a translation group holds at most one article per language.`,
        argument,
      );
    }
    byLanguage.set(member.language, member);
  }
}

async function writeGroup(m: EntityManager, ids: number[]): Promise<void> {
  await m.query(`DELETE FROM article_translation WHERE article_id IN (${placeholders(ids.length)})`, ids);
  const groupId = Math.min(...ids);
  await m.query(`INSERT INTO article_translation (article_id, group_id) VALUES ${ids.map(() => "(?, ?)").join(", ")}`, ids.flatMap((id) => [id, groupId]));
}

/**
 * Puts the articles (and the groups they are already in) into one group,
 * inside the caller's transaction; returns the group's article ids.
 * `argument` names the input in error messages.
 */
export async function linkTranslationsIn(m: EntityManager, articleIds: number[], argument = "articleIds"): Promise<number[]> {
  const ids = distinct(articleIds);
  if (ids.length < 2) throw badUserInput(`${argument} must name at least two different articles.`, argument);
  if (ids.length > SITE_LANGUAGES.length) throw badUserInput(`${argument} names ${ids.length} articles; a group holds one per language (${SITE_LANGUAGES.join(", ")}).`, argument);
  const named = await membersOf(m, ids);
  if (named.length !== ids.length) throw badUserInput(`${argument} names an article that does not exist (or a deleted one).`, argument);
  const stub = named.find((a) => a.status === ArticleStatus.STUB);
  if (stub) throw badUserInput(`${argument}: "${stub.slug}" is a stub; import its page before linking it.`, argument);
  const all = await groupClosure(m, ids);
  const members = all.length === ids.length ? named : await membersOf(m, all);
  checkOnePerLanguage(members, argument);
  await writeGroup(m, all);
  await groupChanged(m, all);
  return all;
}

export function linkTranslations(ds: DataSource, articleIds: number[]): Promise<number[]> {
  return ds.transaction((m) => linkTranslationsIn(m, articleIds));
}

/** Takes the article out of its group; a group left with one article is dissolved. */
export async function unlinkTranslation(ds: DataSource, articleId: number): Promise<void> {
  await ds.transaction(async (m) => {
    const [row] = await m.query("SELECT group_id FROM article_translation WHERE article_id = ?", [articleId]);
    if (!row) {
      const [article] = await m.query("SELECT id FROM article WHERE id = ? AND deleted_at IS NULL", [articleId]);
      throw badUserInput(article ? "articleId names an article that is in no translation group." : "articleId names no article (or a deleted one).", "articleId");
    }
    const groupId = Number(row.group_id);
    await m.query("DELETE FROM article_translation WHERE article_id = ?", [articleId]);
    const rest: Array<Record<string, unknown>> = await m.query("SELECT article_id FROM article_translation WHERE group_id = ?", [groupId]);
    const ids = rest.map((r) => Number(r.article_id));
    if (ids.length < 2) await m.query("DELETE FROM article_translation WHERE group_id = ?", [groupId]);
    else await m.query("UPDATE article_translation SET group_id = ? WHERE group_id = ?", [Math.min(...ids), groupId]);
    await groupChanged(m, [articleId, ...ids]);
  });
}

/**
 * Every version's page shows the group (translations, jsonLd, sitemaps):
 * cached answers go once the transaction commits, and webhook endpoints are
 * told the versions readers can see were updated.
 */
async function groupChanged(m: EntityManager, ids: number[]): Promise<void> {
  await enqueueWebhookEvent(m, WebhookEvent.ARTICLE_UPDATED, ids);
  await contentCommitted(m);
}

/** An article changing its language must not take the language of another version in its group. */
export async function checkLanguageFreeInGroup(m: EntityManager, articleId: number, language: string): Promise<void> {
  const [clash] = await m.query(
    `SELECT a.slug FROM article_translation t1 JOIN article_translation t2 ON t2.group_id = t1.group_id AND t2.article_id <> t1.article_id
     JOIN article a ON a.id = t2.article_id WHERE t1.article_id = ? AND a.language = ? AND a.deleted_at IS NULL`,
    [articleId, language],
  );
  if (clash) throw badUserInput(`language: "${clash.slug}" is already the "${language}" version of this article's translation group.`, "language");
}

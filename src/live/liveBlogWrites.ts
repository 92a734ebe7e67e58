import type { DataSource, EntityManager } from "typeorm";
import { ArticleStatus } from "../../entities";
import { toDbTime } from "../db/time";
import { current } from "../write/articleWrites";
import { badUserInput } from "../graphql/errors";
import { insertedId } from "../write/ingest/rows";
import { articlesChanged } from "../write/derived/articleChanges";
import { toGlobalId } from "../graphql/globalId";
import { WebhookEvent } from "../webhooks/events";
import { announceLiveEntryAdded } from "../webhooks/outbox";
import { announceOnCommit } from "./announce";

/** Longest entry, in characters: a few screens of text. */
export const MAX_ENTRY_LENGTH = 20_000;

async function liveArticle(m: EntityManager, articleId: number): Promise<void> {
  const article = await current(m, articleId, "articleId");
  if (article.status === ArticleStatus.STUB) throw badUserInput("articleId names a stub; import its page first.", "articleId");
}

function entryText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw badUserInput("text must not be empty.", "text");
  if (trimmed.length > MAX_ENTRY_LENGTH) throw badUserInput(`text must be at most ${MAX_ENTRY_LENGTH} characters, got ${trimmed.length}.`, "text");
  return trimmed;
}

/**
 * The article's own updatedAt moves with its live blog, and everything
 * derived from it is refreshed. Webhook endpoints hear ARTICLE_UPDATED, or
 * only `event` when one is given (a new entry is LIVE_ENTRY_ADDED alone).
 */
async function changed(m: EntityManager, articleId: number, now: Date, event: WebhookEvent | undefined = WebhookEvent.ARTICLE_UPDATED): Promise<void> {
  await m.query("UPDATE article SET updated_at = ? WHERE id = ?", [toDbTime(now), articleId]);
  await articlesChanged(m, { ids: [articleId], days: [], event });
}

export async function startLiveBlog(ds: DataSource, articleId: number): Promise<void> {
  await ds.transaction(async (m) => {
    await liveArticle(m, articleId);
    const now = new Date();
    const [row] = await m.query("SELECT ended_at FROM live_blog WHERE article_id = ?", [articleId]);
    if (!row) await m.query("INSERT INTO live_blog (article_id, started_at, ended_at) VALUES (?, ?, NULL)", [articleId, toDbTime(now)]);
    else if (row.ended_at !== null) await m.query("UPDATE live_blog SET started_at = ?, ended_at = NULL WHERE article_id = ?", [toDbTime(now), articleId]);
    else return;
    await changed(m, articleId, now);
  });
}

export async function endLiveBlog(ds: DataSource, articleId: number): Promise<void> {
  await ds.transaction(async (m) => {
    await liveArticle(m, articleId);
    const now = new Date();
    const [row] = await m.query("SELECT ended_at FROM live_blog WHERE article_id = ?", [articleId]);
    if (!row || row.ended_at !== null) return;
    await m.query("UPDATE live_blog SET ended_at = ? WHERE article_id = ?", [toDbTime(now), articleId]);
    await changed(m, articleId, now);
  });
}

/** A new entry of a running live blog; returns its id. Without authorId, the article's author signs it. */
export async function addLiveEntry(
  ds: DataSource,
  entry: { articleId: number; text: string; pinned: boolean; authorId?: number | null },
): Promise<number> {
  return ds.transaction(async (m) => {
    await liveArticle(m, entry.articleId);
    const text = entryText(entry.text);
    const [blog] = await m.query("SELECT article_id FROM live_blog WHERE article_id = ? AND ended_at IS NULL", [entry.articleId]);
    if (!blog) throw badUserInput("articleId names an article whose live blog is not running; start it with startLiveBlog.", "articleId");
    let authorId = entry.authorId ?? null;
    if (authorId !== null) {
      const [author] = await m.query("SELECT id FROM author WHERE id = ?", [authorId]);
      if (!author) throw badUserInput("authorId names no author.", "authorId");
    } else {
      const [article] = await m.query("SELECT author_id FROM article WHERE id = ?", [entry.articleId]);
      authorId = article.author_id === null ? null : Number(article.author_id);
    }
    const now = new Date();
    const id = insertedId(
      await m.query("INSERT INTO live_entry (article_id, text, pinned, author_id, posted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", [
        entry.articleId,
        text,
        entry.pinned ? 1 : 0,
        authorId,
        toDbTime(now),
        toDbTime(now),
      ]),
    );
    await changed(m, entry.articleId, now, undefined);
    await announceOnCommit(m, { kind: "liveEntryAdded", articleId: entry.articleId, entryId: id });
    await announceLiveEntryAdded(m, entry.articleId, toGlobalId("LiveEntry", id));
    return id;
  });
}

async function entryArticle(m: EntityManager, id: number): Promise<number> {
  const [row] = await m.query("SELECT article_id FROM live_entry WHERE id = ?", [id]);
  if (!row) throw badUserInput("id names no live blog entry.", "id");
  return Number(row.article_id);
}

/** Changes the given fields of an entry; returns its article's id. */
export async function updateLiveEntry(ds: DataSource, id: number, fields: { text?: string | null; pinned?: boolean | null }): Promise<number> {
  return ds.transaction(async (m) => {
    const articleId = await entryArticle(m, id);
    const now = new Date();
    const sets = ["updated_at = ?"];
    const params: unknown[] = [toDbTime(now)];
    if (fields.text !== undefined && fields.text !== null) {
      sets.push("text = ?");
      params.push(entryText(fields.text));
    }
    if (fields.pinned !== undefined && fields.pinned !== null) {
      sets.push("pinned = ?");
      params.push(fields.pinned ? 1 : 0);
    }
    await m.query(`UPDATE live_entry SET ${sets.join(", ")} WHERE id = ?`, [...params, id]);
    await changed(m, articleId, now);
    return articleId;
  });
}

export async function deleteLiveEntry(ds: DataSource, id: number): Promise<void> {
  await ds.transaction(async (m) => {
    const articleId = await entryArticle(m, id);
    await m.query("DELETE FROM live_entry WHERE id = ?", [id]);
    await changed(m, articleId, new Date());
  });
}

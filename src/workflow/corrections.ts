import type { DataSource } from "typeorm";
import { ArticleStatus } from "../../entities";
import { placeholders } from "../db/dialect";
import type { Reader } from "../read/reader";
import { fromDbTime, toDbTime } from "../db/time";
import { badUserInput } from "../graphql/errors";
import type { BatchOptions } from "../read/loaders/batcher";
import { listsByKey } from "../read/loaders/group";
import { articlesChanged } from "../write/derived/articleChanges";
import { WebhookEvent } from "../webhooks/events";

export interface CorrectionRow {
  articleId: number;
  publishedAt: Date;
  text: string;
}

/**
 * Publishes a correction under a published (or scheduled) article, dated
 * now; readers see it at once (the content version moves). A draft is
 * simply edited: there is nothing public to correct.
 */
export async function addCorrection(ds: DataSource, articleId: number, text: string, keyName: string | null): Promise<void> {
  const trimmed = text.trim();
  if (trimmed === "") throw badUserInput("text must contain a visible character.", "text");
  if (trimmed.length > 5000) throw badUserInput(`text must be at most 5000 characters, got ${trimmed.length}.`, "text");
  await ds.transaction(async (m) => {
    const [row] = await m.query("SELECT status FROM article WHERE id = ? AND deleted_at IS NULL", [articleId]);
    if (!row) throw badUserInput("articleId names no article (or a deleted one).", "articleId");
    if (row.status !== ArticleStatus.PUBLISHED && row.status !== ArticleStatus.SCHEDULED) {
      throw badUserInput(
        `articleId names an article that is ${row.status}; corrections are for published articles, edit a draft instead.`,
        "articleId",
      );
    }
    await m.query("INSERT INTO article_correction (article_id, published_at, text, key_name) VALUES (?, ?, ?, ?)", [
      articleId,
      toDbTime(new Date()),
      trimmed,
      keyName,
    ]);
    await articlesChanged(m, { ids: [articleId], days: [], event: WebhookEvent.ARTICLE_UPDATED });
  });
}

/** Every article's corrections, oldest first: one statement per batch of articles, whatever their number. */
export function correctionsLoader(db: Reader, batch: BatchOptions, name = "correctionsByArticleId") {
  return batch.loader<number, CorrectionRow[]>(name, async (ids) => {
    const rows = await db.read(
      `SELECT article_id, published_at, text FROM article_correction WHERE article_id IN (${placeholders(ids.length)}) ORDER BY article_id, published_at, id`,
      [...ids],
    );
    const corrections = rows.map((r) => ({
      articleId: Number(r.article_id),
      publishedAt: fromDbTime(r.published_at) as Date,
      text: String(r.text),
    }));
    return listsByKey(ids, corrections, (c) => c.articleId);
  });
}

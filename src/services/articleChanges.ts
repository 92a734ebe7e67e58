import type { EntityManager } from "typeorm";
import { contentChangesOnCommit } from "../cache/contentChanges";
import { announceOnCommit } from "../live/announce";
import { indexArticles } from "../search/searchIndex";
import { refreshArchiveDays } from "./archiveSummary";
import { refreshTagListing } from "./tagListing";

export interface ArticleChange {
  /** Articles written (created, updated, published, unpublished, deleted). */
  ids: readonly number[];
  /** Publication times before and after the write: the archive days to recount. */
  days: Iterable<Date | null | undefined>;
}

/**
 * Keeps everything derived from articles current, inside the writer's own
 * transaction. Every writer (importer, mutations) calls this once per
 * transaction; bulk loads rebuild instead (see writeCorpus).
 */
export async function articlesChanged(manager: EntityManager, change: ArticleChange): Promise<void> {
  await refreshTagListing(manager, change.ids);
  await refreshArchiveDays(manager, change.days);
  await indexArticles(manager, change.ids);
  // Cached responses may show these articles (pages, lists, archive): the
  // content version is bumped once the transaction commits.
  await contentChangesOnCommit(manager);
  // Pages open on these articles hear of the change once it commits (articleUpdated).
  announceOnCommit(manager, ...change.ids.map((articleId) => ({ kind: "articleUpdated" as const, articleId })));
}

import type { EntityManager } from "typeorm";
import { contentCommitted } from "../../db/commits";
import { sideBySide } from "../../db/sideBySide";
import { announceOnCommit } from "../../live/announce";
import { type ArticleText, indexArticles } from "./searchIndex";
import { refreshArchiveDays } from "./archiveDays";
import { refreshArticleCounts } from "./articleCounts";
import { queueNeighbourRefresh } from "./keptNeighbours";
import { queueSearchPostings } from "./searchPostings";
import { enqueueWebhookEvent } from "../../webhooks/outbox";
import type { WebhookEvent } from "../../webhooks/events";
import { refreshTagListing } from "./tagListing";

export interface ArticleChange {
  /** Articles written (created, updated, published, unpublished, deleted). */
  ids: readonly number[];
  /** Publication times before and after the write: the archive days to recount. */
  days: Iterable<Date | null | undefined>;
  /**
   * What readers saw happen, for webhook endpoints: announced for those of
   * `ids` readers can see after the write (ARTICLE_UNPUBLISHED and
   * ARTICLE_DELETED: for all of them, so pass those only for articles that
   * were published). Absent: nothing is announced.
   */
  event?: WebhookEvent;
  /** The text of written articles, when the writer has it at hand: the search index then need not read it back. */
  texts?: ReadonlyMap<number, ArticleText>;
  /** Articles whose article_tag rows the writer wrote with their listing state already (listed_at, listed_views): not copied again. */
  tagListingWritten?: ReadonlySet<number>;
}

/**
 * Keeps everything derived from articles current, inside the writer's own
 * transaction (tag listing, kept counts, archive days, search index). Every writer (importer, mutations) calls this once per
 * transaction; bulk loads rebuild instead (see writeCorpus).
 */
export async function articlesChanged(manager: EntityManager, change: ArticleChange): Promise<void> {
  // Each table is derived from the articles alone, not from another of these: their statements go side by side.
  await sideBySide([
    refreshTagListing(manager, change.ids.filter((id) => !change.tagListingWritten?.has(id))),
    refreshArticleCounts(manager, change.ids),
    refreshArchiveDays(manager, change.days),
    indexArticles(manager, change.ids, change.texts),
    // Read-also neighbours are ranked in the background (NeighbourWorker); the queue commits with the write.
    queueNeighbourRefresh(manager, change.ids),
    // So are the search's kept postings on MariaDB (SearchPostingWorker).
    queueSearchPostings(manager, change.ids),
    change.event ? enqueueWebhookEvent(manager, change.event, change.ids) : Promise.resolve(),
  ]);
  // Cached answers may show these articles (pages, lists, archive): the
  // content version is bumped once the transaction commits.
  await contentCommitted(manager);
  // Pages open on these articles hear of the change once it commits (articleUpdated).
  await announceOnCommit(manager, ...change.ids.map((articleId) => ({ kind: "articleUpdated" as const, articleId })));
}

/**
 * What subscriptions hear about. An event carries ids only: every
 * subscriber resolves the fields it asked for itself, through loaders that
 * see what its viewer may see, so an event never carries content a reader
 * must not have (a draft's title, say).
 */
export type LiveEvent =
  | { kind: "articlePublished"; articleId: number }
  | { kind: "articleUpdated"; articleId: number }
  | { kind: "liveEntryAdded"; articleId: number; entryId: number };

/** The topic an event is published under; subscribers of one article listen to that article's topic only. */
export function topicOf(event: LiveEvent): string {
  return event.kind === "articlePublished" ? event.kind : `${event.kind}:${event.articleId}`;
}

export const topics = {
  articlePublished: (): string => "articlePublished",
  articleUpdated: (articleId: number): string => `articleUpdated:${articleId}`,
  liveEntryAdded: (articleId: number): string => `liveEntryAdded:${articleId}`,
};

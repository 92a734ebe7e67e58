/** What a webhook endpoint can be told about. Every event is about one article. */
export enum WebhookEvent {
  ARTICLE_PUBLISHED = "ARTICLE_PUBLISHED",
  ARTICLE_UPDATED = "ARTICLE_UPDATED",
  ARTICLE_UNPUBLISHED = "ARTICLE_UNPUBLISHED",
  ARTICLE_DELETED = "ARTICLE_DELETED",
  LIVE_ENTRY_ADDED = "LIVE_ENTRY_ADDED",
  PAGES_IMPORTED = "PAGES_IMPORTED",
}

export const WEBHOOK_EVENTS: readonly WebhookEvent[] = Object.values(WebhookEvent);

/**
 * Events about an article readers no longer see: announced for every
 * article the writer names. The others are announced only for articles
 * readers can see once the write commits, so drafts, stubs and deleted
 * rows never leave the gateway through a webhook.
 */
export const GONE_EVENTS: ReadonlySet<WebhookEvent> = new Set([WebhookEvent.ARTICLE_UNPUBLISHED, WebhookEvent.ARTICLE_DELETED]);

export enum WebhookDeliveryStatus {
  /** Waiting for its first attempt or for a retry. */
  PENDING = "PENDING",
  /** The endpoint answered 2xx. */
  DELIVERED = "DELIVERED",
  /** Still failing when its retry window closed; no more attempts. */
  FAILED = "FAILED",
}

/** The JSON body of a delivery (README, Webhooks). */
export interface WebhookPayload {
  /** The delivery's id, the same on every attempt (also the X-Newsgraph-Delivery header). */
  id: string;
  event: WebhookEvent;
  /** When the change was written, ISO 8601 UTC. */
  time: string;
  article: { id: string; slug: string; path: string; status: "PUBLISHED" | "DRAFT" | "STUB" | "SCHEDULED" | "DELETED" };
  /** LIVE_ENTRY_ADDED: the entry that was added. */
  liveEntry?: { id: string };
}

/** Events are stored comma-separated in webhook.events. */
export function eventsOf(stored: string): WebhookEvent[] {
  return stored.split(",").filter((e): e is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(e));
}

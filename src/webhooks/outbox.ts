import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { ArticleStatus } from "../../entities";
import { placeholders } from "../db/dialect";
import { toDbTime } from "../db/time";
import { toGlobalId } from "../graphql/globalId";
import { insertMany } from "../write/ingest/rows";
import { listedArticleSql } from "../read/viewer";
import { eventsOf, GONE_EVENTS, WebhookDeliveryStatus, WebhookEvent, type WebhookPayload } from "./events";

/**
 * The outbox: a delivery row per endpoint that listens to the event, per
 * article, written through the writer's own transaction manager. It
 * commits or rolls back with the change, so a crash after the commit loses
 * no delivery (the worker finds it on restart) and a rolled-back change
 * sends none. The body is fixed now, so every attempt sends the same one.
 */
export async function enqueueWebhookEvent(
  m: EntityManager,
  event: WebhookEvent,
  articleIds: readonly number[],
  extra: Pick<WebhookPayload, "liveEntry"> = {},
): Promise<void> {
  await enqueueWebhookEvents(m, [{ event, articleIds, extra }]);
}

/**
 * Several events in one transaction, each as enqueueWebhookEvent would
 * write it, with the endpoints read once: an import announces each of its
 * pages on its own.
 */
export async function enqueueWebhookEvents(
  m: EntityManager,
  events: readonly { event: WebhookEvent; articleIds: readonly number[]; extra?: Pick<WebhookPayload, "liveEntry"> }[],
): Promise<void> {
  const wanted = events.filter((e) => e.articleIds.length > 0);
  if (wanted.length === 0) return;
  const endpoints: { id: unknown; events: string }[] = await m.query("SELECT id, events FROM webhook ORDER BY id");
  for (const { event, articleIds, extra } of wanted) {
    const listening = endpoints.filter((w) => eventsOf(w.events).includes(event)).map((w) => Number(w.id));
    if (listening.length > 0) await enqueueFor(m, listening, event, articleIds, extra ?? {});
  }
}

async function enqueueFor(
  m: EntityManager,
  listening: number[],
  event: WebhookEvent,
  articleIds: readonly number[],
  extra: Pick<WebhookPayload, "liveEntry">,
): Promise<void> {
  const ids = [...new Set(articleIds)];
  // "Readers can see it" is the lists' own rule, so the two cannot drift apart.
  const articles: { id: unknown; slug: string; path: string; status: ArticleStatus; deleted_at: unknown; listed: unknown }[] =
    await m.query(
      `SELECT a.id, a.slug, a.path, a.status, a.deleted_at, CASE WHEN ${listedArticleSql("a")} THEN 1 ELSE 0 END AS listed
     FROM article a WHERE a.id IN (${placeholders(ids.length)}) ORDER BY a.id`,
      ids,
    );
  const announced = articles.filter((a) => GONE_EVENTS.has(event) || Number(a.listed) === 1);
  const now = new Date();
  const rows: unknown[][] = [];
  for (const a of announced) {
    for (const webhookId of listening) {
      const payload: WebhookPayload = {
        id: randomUUID(),
        event,
        time: now.toISOString(),
        article: {
          id: toGlobalId("Article", Number(a.id)),
          slug: a.slug,
          path: a.path,
          status: a.deleted_at === null ? a.status : "DELETED",
        },
        ...extra,
      };
      rows.push([
        payload.id,
        webhookId,
        event,
        Number(a.id),
        JSON.stringify(payload),
        WebhookDeliveryStatus.PENDING,
        0,
        toDbTime(now),
        toDbTime(now),
      ]);
    }
  }
  const columns = ["delivery_id", "webhook_id", "event", "article_id", "payload", "status", "attempts", "next_attempt_at", "created_at"];
  if (rows.length > 0) await insertMany(m, "webhook_delivery", columns, rows);
}

/**
 * Articles readers can now see for the first time (published now, or a
 * scheduled time that has come): call inside the transaction that makes
 * them visible.
 */
export function announceArticlesWentLive(m: EntityManager, articleIds: readonly number[]): Promise<void> {
  return enqueueWebhookEvent(m, WebhookEvent.ARTICLE_PUBLISHED, articleIds);
}

/** A live blog got an entry: call inside the transaction that adds it. `liveEntryId` is the entry's ID as clients see it. */
export function announceLiveEntryAdded(m: EntityManager, articleId: number, liveEntryId: string): Promise<void> {
  return enqueueWebhookEvent(m, WebhookEvent.LIVE_ENTRY_ADDED, [articleId], { liveEntry: { id: liveEntryId } });
}

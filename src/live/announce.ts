import type { EntityManager } from "typeorm";
import { afterCommit } from "../db/commits";
import { announceArticlesWentLive } from "../webhooks/outbox";
import { liveBusOf } from "./bus";
import type { LiveEvent } from "./events";

function publish(manager: EntityManager, events: readonly LiveEvent[]): void {
  const bus = liveBusOf(manager.connection);
  if (bus) for (const event of events) bus.publish(event);
}

/**
 * Called inside a writer's transaction: the events are published once it
 * commits, never if it rolls back, so a subscriber never hears of a write
 * it cannot read yet. Outside a transaction the write is visible already.
 */
export function announceOnCommit(manager: EntityManager, ...events: LiveEvent[]): Promise<void> {
  return afterCommit(manager, null, () => publish(manager, events));
}

/**
 * Articles went live: readers can now see them. The one place that
 * announces it, to subscribers (once the transaction commits) and to
 * webhook endpoints (through the outbox, in the transaction), called in
 * the transaction that made it so: publishing now, or a scheduler when the
 * time comes.
 */
export async function articleWentLive(manager: EntityManager, articleIds: readonly number[]): Promise<void> {
  await announceOnCommit(manager, ...articleIds.map((articleId) => ({ kind: "articlePublished" as const, articleId })));
  await announceArticlesWentLive(manager, articleIds);
}

import { type EntityManager, type EntitySubscriberInterface, EventSubscriber, type TransactionCommitEvent, type TransactionRollbackEvent } from "typeorm";
import { outermost } from "../cache/contentChanges";
import { announceArticlesWentLive } from "../webhooks/outbox";
import { liveBusOf } from "./bus";
import type { LiveEvent } from "./events";

const PENDING = "liveEvents";

function publish(manager: EntityManager, events: readonly LiveEvent[]): void {
  const bus = liveBusOf(manager.connection);
  if (bus) for (const event of events) bus.publish(event);
}

/**
 * Called inside a writer's transaction: the events are published once it
 * commits, never if it rolls back, so a subscriber never hears of a write
 * it cannot read yet. Outside a transaction the write is visible already.
 */
export function announceOnCommit(manager: EntityManager, ...events: LiveEvent[]): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return publish(manager, events);
  const pending = (runner.data[PENDING] ??= []) as LiveEvent[];
  pending.push(...events);
}

/**
 * Articles went live: readers can now see them. The one place that
 * announces it, to subscribers (once the transaction commits) and to
 * webhook endpoints (through the outbox, in the transaction), called in
 * the transaction that made it so: publishing now, or a scheduler when the
 * time comes.
 */
export async function articleWentLive(manager: EntityManager, articleIds: readonly number[]): Promise<void> {
  announceOnCommit(manager, ...articleIds.map((articleId) => ({ kind: "articlePublished" as const, articleId })));
  await announceArticlesWentLive(manager, articleIds);
}

/** Publishes what announceOnCommit left on a transaction's query runner. */
@EventSubscriber()
export class LiveEventSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    if (!outermost(runner) || !runner.data[PENDING]) return;
    const events = runner.data[PENDING] as LiveEvent[];
    delete runner.data[PENDING];
    publish(event.manager, events);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // SQLite reuses one query runner for every transaction.
    if (outermost(event.queryRunner)) delete event.queryRunner.data[PENDING];
  }
}

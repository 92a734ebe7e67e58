import { type EntityManager, type EntitySubscriberInterface, EventSubscriber, type TransactionCommitEvent, type TransactionRollbackEvent } from "typeorm";
import { outermost } from "../cache/contentChanges";
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
 * An article went live: readers can now see it. The one place that
 * announces it, called in the transaction that made it so (publishing it
 * now; a scheduler when its time comes).
 */
export function articleWentLive(manager: EntityManager, articleId: number): void {
  announceOnCommit(manager, { kind: "articlePublished", articleId });
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

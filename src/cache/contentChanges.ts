import {
  type EntityManager,
  type EntitySubscriberInterface,
  EventSubscriber,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from "typeorm";
import type { ContentVersion } from "./contentVersion";

/**
 * Every content version this process serves from (one per response cache).
 * A write bumps them all: in tests several gateways share a process, and
 * over-invalidating another gateway's cache is harmless.
 */
const versions = new Map<ContentVersion, (err: unknown) => void>();

export function watchContentChanges(version: ContentVersion, reportError: (err: unknown) => void): () => void {
  versions.set(version, reportError);
  return () => {
    versions.delete(version);
  };
}

/** Told of every committed article write in this process, before the cached responses are retired. */
const writeWatchers = new Set<() => Promise<void>>();

/**
 * `watcher` runs after each committed article write, before the content
 * version moves: what it derives from the articles (the publication
 * scheduler's next due time) is then current before any response can be
 * cached under the new version. Returns the unsubscribe.
 */
export function watchArticleWrites(watcher: () => Promise<void>): () => void {
  writeWatchers.add(watcher);
  return () => {
    writeWatchers.delete(watcher);
  };
}

/**
 * Retires every cached response. Writers call it after their transaction has
 * committed (articlesChanged arranges that); a bump before the commit would
 * let a reader cache the old rows under the new version.
 */
export async function onContentChanged(): Promise<void> {
  // Watchers report their own failures; the write has committed either way.
  await Promise.all([...writeWatchers].map((watch) => watch()));
  await Promise.all(
    [...versions].map(([version, reportError]) =>
      // The write has committed whatever happens here; a failed bump only
      // leaves cached responses to expire by their maxAge.
      version.bump().catch(reportError),
    ),
  );
}

const PENDING = "contentChanged";

/**
 * Called inside a writer's transaction: bumps the content version once that
 * transaction commits, never if it rolls back. Outside a transaction the
 * write is already visible, so the bump happens now.
 */
export async function contentChangesOnCommit(manager: EntityManager): Promise<void> {
  const runner = manager.queryRunner;
  if (runner?.isTransactionActive) runner.data[PENDING] = true;
  else await onContentChanged();
}

/** True for the query runner of a transaction that has ended (nested savepoints leave it active). */
export function outermost(runner: QueryRunner | undefined): runner is QueryRunner {
  return runner !== undefined && !runner.isTransactionActive;
}

/** Runs the bump that contentChangesOnCommit left on a transaction's query runner. */
@EventSubscriber()
export class ContentChangeSubscriber implements EntitySubscriberInterface {
  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    if (!outermost(runner) || !runner.data[PENDING]) return;
    delete runner.data[PENDING];
    await onContentChanged();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // SQLite reuses one query runner for every transaction: a rolled-back
    // write must not leave its mark for the next one.
    if (outermost(event.queryRunner)) delete event.queryRunner.data[PENDING];
  }
}

import {
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  EventSubscriber,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from "typeorm";

/**
 * What happens after a write commits, in one place of the database layer.
 *
 * Writers run in a transaction; what leaves the process because of a write
 * (the content version that retires cached answers, live events) must wait
 * for the commit and never happen on a rollback, or a reader could cache
 * or hear of rows that are not there. A writer calls `afterCommit` (or
 * `contentCommitted`, below) inside its transaction; the work is kept on
 * the transaction's query runner and run by AfterCommitSubscriber once the
 * outermost transaction has committed (savepoints keep it active).
 */

type Work = () => Promise<void> | void;

const PENDING = "afterCommit";

/** True for the query runner of a transaction that has ended (nested savepoints leave it active). */
function outermost(runner: QueryRunner | undefined): runner is QueryRunner {
  return runner !== undefined && !runner.isTransactionActive;
}

/**
 * Runs `work` once the transaction `manager` belongs to commits, never if
 * it rolls back; outside a transaction the write is visible already, so
 * now. Work given the same `key` in one transaction runs once.
 */
export async function afterCommit(manager: EntityManager, key: string | null, work: Work): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return work();
  const pending = (runner.data[PENDING] ??= new Map<string | Work, Work>()) as Map<string | Work, Work>;
  pending.set(key ?? work, work);
}

/** Runs what afterCommit left on a transaction's query runner. */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    if (!outermost(runner) || !runner.data[PENDING]) return;
    const pending = runner.data[PENDING] as Map<string | Work, Work>;
    delete runner.data[PENDING];
    // In the order the writer asked. The write has committed whatever happens
    // here: a failure is logged (the data source's logger), never turned into
    // an error for a writer whose rows are already there.
    for (const work of pending.values()) {
      try {
        await work();
      } catch (err) {
        event.connection.logger.log("warn", `work after a commit failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // SQLite reuses one query runner for every transaction: a rolled-back
    // write must not leave its work for the next one.
    if (outermost(event.queryRunner)) delete event.queryRunner.data[PENDING];
  }
}

/** Told of every committed content write to a data source. */
export type CommitWatcher = () => Promise<void>;

interface Watchers {
  /** Derive state from the rows first (the publication scheduler's next due time) ... */
  derive: Set<CommitWatcher>;
  /** ... then retire what was served from before (the content version). */
  retire: Set<CommitWatcher>;
}

const watchersOf = new WeakMap<DataSource, Watchers>();

function watchers(dataSource: DataSource): Watchers {
  let found = watchersOf.get(dataSource);
  if (!found) watchersOf.set(dataSource, (found = { derive: new Set(), retire: new Set() }));
  return found;
}

/**
 * Registers what must follow every committed content write to `dataSource`
 * (whoever serves from it: the gateway's content version, its publication
 * scheduler; the import command's shared version). `derive` watchers run
 * before `retire` ones, so that what they derive is current before any
 * answer can be cached under the new version. Returns the unsubscribe.
 */
export function watchCommits(dataSource: DataSource, phase: keyof Watchers, watcher: CommitWatcher): () => void {
  const set = watchers(dataSource)[phase];
  set.add(watcher);
  return () => {
    set.delete(watcher);
  };
}

/** Tells the data source's watchers now that content has changed and is committed. */
export async function contentChanged(dataSource: DataSource): Promise<void> {
  const { derive, retire } = watchers(dataSource);
  await Promise.all([...derive].map((watch) => watch()));
  await Promise.all([...retire].map((watch) => watch()));
}

/**
 * Called by every writer inside its transaction (articlesChanged does it
 * for article writes): the watchers hear of the write once it commits.
 */
export function contentCommitted(manager: EntityManager): Promise<void> {
  return afterCommit(manager, "contentChanged", () => contentChanged(manager.connection));
}

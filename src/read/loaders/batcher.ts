import DataLoader from "dataloader";
import { loaderBatchSize } from "../../server/metrics/metrics";

/**
 * Decides when a request's DataLoaders send their batches. DataLoader's
 * default (end of the current tick) splits a level in two when sibling
 * root fields finish their queries at different moments, e.g. `latest`
 * and `popular` on the front page: their authors would then cost two
 * statements or one depending on timing. Here a batch waits until none of
 * the request's statements is still running, so every key that the
 * running statements could add joins the same batch, and the statement
 * count depends on the query's shape only.
 */
export class RequestBatcher {
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  private flushScheduled = false;

  readonly schedule = (dispatch: () => void): void => {
    this.waiting.push(dispatch);
    this.maybeFlush();
  };

  /** Counts a statement as in flight while it runs (the request's Reader calls it: src/read/reader.ts). */
  readonly track = async <T>(work: Promise<T>): Promise<T> => {
    this.inFlight += 1;
    try {
      return await work;
    } finally {
      this.inFlight -= 1;
      this.maybeFlush();
    }
  };

  private maybeFlush(): void {
    if (this.flushScheduled || this.inFlight > 0 || this.waiting.length === 0) return;
    this.flushScheduled = true;
    // setImmediate runs after the promise jobs that resolvers queue when a
    // statement returns, so their loads are already in the batch.
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.inFlight > 0) return;
      const ready = this.waiting;
      this.waiting = [];
      for (const dispatch of ready) dispatch();
    });
  }
}

/** How every loader of a request is made (src/read/loaders/index.ts passes it to each group of loaders). */
export interface BatchOptions {
  /**
   * A DataLoader of this request: its batches wait for the request's
   * statements in flight (RequestBatcher), and each batch's size is
   * observed under `name` for /metrics (newsgraph_dataloader_batch_size).
   */
  loader<K, V, C = K>(name: string, load: DataLoader.BatchLoadFn<K, V>, options?: Omit<DataLoader.Options<K, V, C>, "batchScheduleFn" | "name">): DataLoader<K, V, C>;
}

export function requestLoaders(batcher: RequestBatcher): BatchOptions {
  return {
    loader<K, V, C = K>(name: string, load: DataLoader.BatchLoadFn<K, V>, options: Omit<DataLoader.Options<K, V, C>, "batchScheduleFn" | "name"> = {}) {
      const measured: DataLoader.BatchLoadFn<K, V> = (keys) => {
        loaderBatchSize.observe({ loader: name }, keys.length);
        return load(keys);
      };
      return new DataLoader<K, V, C>(measured, { ...options, name, batchScheduleFn: batcher.schedule });
    },
  };
}

import type DataLoader from "dataloader";
import { loaderBatchSize } from "./metrics";

type BatchLoadFn = (keys: readonly unknown[]) => PromiseLike<ArrayLike<unknown>>;

/**
 * Observes every batch the request's loaders send, by loader name. DataLoader
 * has no hook for this, so each loader's batch function (held in its
 * `_batchLoadFn` since dataloader 1.x) is wrapped once, when the request's
 * loaders are made.
 */
export function measureBatches<T extends Record<string, DataLoader<never, unknown, unknown>>>(loaders: T): T {
  for (const [name, loader] of Object.entries(loaders)) {
    const internals = loader as unknown as { _batchLoadFn: BatchLoadFn };
    const batch = internals._batchLoadFn;
    if (typeof batch !== "function") throw new Error(`Loader ${name} has no batch function to measure; has dataloader changed its internals?`);
    internals._batchLoadFn = (keys) => {
      loaderBatchSize.observe({ loader: name }, keys.length);
      return batch.call(loader, keys);
    };
  }
  return loaders;
}

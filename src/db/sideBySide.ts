/**
 * Waits for statements of one transaction sent side by side, and gives
 * their results in order. The driver queues them on the transaction's one
 * connection, so the database runs them back to back while the process
 * builds the next one and reads the replies of the last, instead of each
 * waiting for the one before it. Only for statements that do not depend on
 * each other's results.
 *
 * Every one settles before the first failure is thrown: a caller that then
 * rolls back (to a savepoint, say) must not have a statement of its own
 * still queued behind the rollback, where it would write outside it.
 */
export async function sideBySide<T extends readonly unknown[]>(work: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

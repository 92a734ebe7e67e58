/**
 * Author and tag ids one import run has already seen, so that thousands of
 * pages by the same authors under the same rubrics do not look them up
 * again. What a page adds counts only once its transaction has committed:
 * a page that rolls back takes its new rows, and so its cache entries, with
 * it. Pages written several to a transaction (each under a savepoint) keep
 * their entries apart until the page is done: a page rolled back to its
 * savepoint drops only its own.
 */
export class ImportCache {
  private readonly known = new Map<string, number>();
  /** Entries of pages done in the open transaction. */
  private done = new Map<string, number>();
  /** Entries of the page being written. */
  private page = new Map<string, number>();

  get(key: string): number | undefined {
    return this.page.get(key) ?? this.done.get(key) ?? this.known.get(key);
  }

  set(key: string, id: number): void {
    this.page.set(key, id);
  }

  /** The page's savepoint was released: its entries stand or fall with the transaction. */
  pageDone(): void {
    for (const [k, v] of this.page) this.done.set(k, v);
    this.page = new Map();
  }

  /** The page was rolled back to its savepoint. */
  pageRolledBack(): void {
    this.page = new Map();
  }

  committed(): void {
    this.pageDone();
    for (const [k, v] of this.done) this.known.set(k, v);
    this.done = new Map();
  }

  rolledBack(): void {
    this.page = new Map();
    this.done = new Map();
  }
}

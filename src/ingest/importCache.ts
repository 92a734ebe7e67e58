/**
 * Author and tag ids one import run has already seen, so that thousands of
 * pages by the same authors under the same rubrics do not look them up
 * again. What a page adds counts only once its transaction has committed:
 * a page that rolls back takes its new rows, and so its cache entries, with it.
 */
export class ImportCache {
  private readonly known = new Map<string, number>();
  private pending = new Map<string, number>();

  get(key: string): number | undefined {
    return this.pending.get(key) ?? this.known.get(key);
  }

  set(key: string, id: number): void {
    this.pending.set(key, id);
  }

  committed(): void {
    for (const [k, v] of this.pending) this.known.set(k, v);
    this.pending = new Map();
  }

  rolledBack(): void {
    this.pending = new Map();
  }
}

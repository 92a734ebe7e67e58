import type { DataSource } from "typeorm";
import { utcDay } from "../../db/time";
import { refreshPopularRanking } from "../derived/popularRanking";
import { addViewsSql } from "./addViews";

export interface ViewCounterOptions {
  /** How often buffered views are written; null: only when flush() or stop() is called. */
  intervalMs?: number | null;
  /** Told about a timed flush that failed; its views stay buffered for the next one. */
  onError?: (error: unknown, pendingViews: number) => void;
  /** The clock that says which day a flush ranks the popular windows for (tests move it). */
  now?: () => Date;
}

/**
 * Counts article views in memory and writes them in bulk. A page view must
 * not wait for the database, and a burst of views must not cost a statement
 * each: every flush writes all buffered increments, summed per article and
 * day, with one statement per table in one transaction, which also keeps
 * the popular rankings (popularRanking.ts).
 *
 * A flush takes the buffer as it is and starts a new one; if the write
 * fails, the taken increments are added back, so they are written by the
 * next flush. The transaction makes a flush all-or-nothing, so a retry
 * never counts a view twice.
 */
export class ViewCounter {
  /** Views per "articleId day" key, not yet written. */
  private buffer = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** Flushes run one after another; this is the last one queued. */
  private queue: Promise<void> = Promise.resolve();
  /** The day the last flush ranked the popular windows for; a flush on another day ranks them again even without views. */
  private rankedDay: string | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly options: ViewCounterOptions = {},
  ) {}

  /** Counts one view now; it reaches the database with the next flush. */
  record(articleId: number, at: Date = new Date()): void {
    const key = `${articleId} ${utcDay(at)}`;
    this.buffer.set(key, (this.buffer.get(key) ?? 0) + 1);
  }

  /** Views recorded but not yet written. */
  get pendingViews(): number {
    let n = 0;
    for (const v of this.buffer.values()) n += v;
    return n;
  }

  /** Starts the timed flushes. */
  start(): void {
    const interval = this.options.intervalMs === undefined ? 1000 : this.options.intervalMs;
    if (this.timer || interval === null) return;
    this.timer = setInterval(() => {
      this.flush().catch((e: unknown) => this.options.onError?.(e, this.pendingViews));
    }, interval);
    // A pending flush must not keep a finished process alive; shutdown calls stop().
    this.timer.unref();
  }

  /**
   * Writes every view recorded before the call. Rejects when the write
   * fails; the views are then still buffered.
   */
  flush(): Promise<void> {
    return this.enqueue(true);
  }

  private enqueue(rankNewDay: boolean): Promise<void> {
    const run = this.queue.then(() => this.writeBuffer(rankNewDay));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes what is buffered; rejects (views still buffered) when that fails. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Only what is buffered: ranking a new day is left to a running counter.
    await this.enqueue(false);
  }

  private async writeBuffer(rankNewDay: boolean): Promise<void> {
    const today = utcDay(this.options.now?.() ?? new Date());
    if (this.buffer.size === 0) {
      // Days passing without views still move the windows: the first flush of a day ranks them again.
      if (rankNewDay && this.rankedDay !== today) {
        await this.ds.transaction((m) => refreshPopularRanking(m, [], today));
        this.rankedDay = today;
      }
      return;
    }
    const taken = this.buffer;
    this.buffer = new Map();
    const days = [...taken].map(([key, views]) => {
      const [id, day] = key.split(" ");
      return { articleId: Number(id), day, views };
    });
    try {
      const sql = addViewsSql(this.ds, days);
      await this.ds.transaction(async (m) => {
        for (const statement of sql) await m.query(statement.sql, statement.params);
        await refreshPopularRanking(m, days.map((d) => d.articleId), today);
      });
      this.rankedDay = today;
    } catch (e) {
      for (const [key, views] of taken) this.buffer.set(key, (this.buffer.get(key) ?? 0) + views);
      throw e;
    }
  }
}

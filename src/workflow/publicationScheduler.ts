import type { DataSource } from "typeorm";
import { watchCommits } from "../db/commits";
import type { ContentVersion } from "../cache/contentVersion";
import type { Logger } from "../logger";
import { nextScheduledAt, publishDueArticles } from "./schedule";
import { outsideRequest } from "../server/requestScope";

/** How long to wait before trying again when publishing or reading the schedule failed. */
const RETRY_MS = 1000;

/** setTimeout's largest delay (about 24.8 days); a later time is re-armed on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SchedulerOptions {
  /**
   * How often to look for articles another instance scheduled, in ms; 0
   * never (one instance, or tests that count statements). A look costs a
   * content version read, and one indexed SQL statement only when the
   * version moved since the last look.
   */
  pollMs: number;
  /** The shared content version: another instance's schedule write moves it. */
  version?: ContentVersion;
  logger: Logger;
}

/**
 * Publishes scheduled articles at their time, in the serving process, with
 * no request or command needed. It keeps the next due time in memory:
 * read at start, after every article write in this process (before the
 * content version moves, so no response is cached under the new version
 * with the old due time) and, for other instances' writes, when a poll
 * sees the content version move. A timer fires at the due time and
 * publishes what is due (publishDueArticles, safe with several instances
 * racing), which bumps the content version. The response caches read
 * `secondsUntilNext` to keep every cached answer, and every CDN max-age,
 * from outliving the next publication.
 */
export class PublicationScheduler {
  private nextDue: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;
  private seenVersion: string | null = null;
  /** Whether a write in this process moved the version since the last poll: the due time was read after it already. */
  private wroteSincePoll = false;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly ds: DataSource,
    private readonly opts: SchedulerOptions,
  ) {}

  /** Whole seconds left until the next scheduled publication (0 when it is due), or undefined when none is scheduled. */
  secondsUntilNext(now = Date.now()): number | undefined {
    if (this.nextDue === null) return undefined;
    return Math.max(0, Math.floor((this.nextDue - now) / 1000));
  }

  /** When the next scheduled article is due, as this instance knows it. */
  get nextDueAt(): Date | null {
    return this.nextDue === null ? null : new Date(this.nextDue);
  }

  /** Publishes what came due while no instance ran, then keeps watching. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unwatch = watchCommits(this.ds, "derive", async () => {
      await this.refresh();
      this.wroteSincePoll = true;
    });
    // The version first: a schedule another instance writes after this read is noticed by the next poll.
    this.seenVersion = await this.readVersion();
    await this.tick();
    if (this.opts.pollMs > 0) {
      this.poller = setInterval(() => void this.poll(), this.opts.pollMs);
      this.poller.unref();
    }
  }

  /** Stops the timers and waits for a publication in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
    this.timer = this.poller = null;
    await this.running;
  }

  /** Re-reads the next due time and re-arms the timer. */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    try {
      const due = await nextScheduledAt(this.ds);
      this.arm(due ? due.getTime() : null);
    } catch (err) {
      this.opts.logger.warn({ err }, "could not read the next scheduled publication; retrying");
      // Unknown: cache nothing until it is known again.
      this.arm(Date.now() + RETRY_MS);
    }
  }

  private arm(due: number | null): void {
    this.nextDue = due;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (due === null || this.stopped) return;
    // Re-armed after an editor's write, inside that request: the publication runs outside it (no deadline of its).
    this.timer = outsideRequest(() => setTimeout(() => void this.tick(), Math.min(Math.max(0, due - Date.now()), MAX_TIMER_MS)));
    this.timer.unref();
  }

  /** Publishes what is due (one run at a time), then re-arms for the next. */
  private tick(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        const ids = await publishDueArticles(this.ds, new Date(), (err) =>
          this.opts.logger.warn({ err }, "a listener of articles going live failed"),
        );
        if (ids.length > 0) this.opts.logger.info({ articleIds: ids }, "scheduled articles published");
      } catch (err) {
        // The database may be down or busy with another write: try again in a second, not at once.
        this.opts.logger.error({ err }, "scheduled articles could not be published; retrying in a second");
        this.arm(Date.now() + RETRY_MS);
        return;
      }
      await this.refresh();
    });
    return this.running;
  }

  private async readVersion(): Promise<string | null> {
    try {
      return (await this.opts.version?.current()) ?? null;
    } catch {
      return null;
    }
  }

  private async poll(): Promise<void> {
    const version = await this.readVersion();
    const wrote = this.wroteSincePoll;
    this.wroteSincePoll = false;
    // Without a readable version, read the schedule itself.
    if (version !== null && (version === this.seenVersion || wrote)) {
      this.seenVersion = version;
      return;
    }
    this.seenVersion = version;
    await this.refresh();
  }
}

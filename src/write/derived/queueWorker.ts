import type { Logger } from "../../logger";
import { PollingLoop } from "../../server/pollingLoop";

/** How often an idle worker looks at its queue. */
const POLL_MS = 1000;

/**
 * Keeps a derived table current in the serving process: works off a queue
 * that writers fill in their transactions, a batch at a time (`step`
 * returns how many queued rows it took), at once while there is more, else
 * every second. A failed batch is logged and tried again.
 */
export class QueueWorker {
  private readonly loop: PollingLoop;

  constructor(what: string, step: () => Promise<number>, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const started = Date.now();
        const done = await step();
        if (done > 0) logger.debug({ queued: done, ms: Date.now() - started }, `${what} refreshed`);
        return done > 0;
      },
      () => POLL_MS,
      (err) => logger.warn({ err }, `${what} not refreshed; trying again`),
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Takes no new batch and waits for the one in progress. */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}

import type { DataSource } from "typeorm";
import type { Logger } from "../../logger";
import { PollingLoop } from "../../server/pollingLoop";
import { refreshOwner, refreshQueuedNeighbours } from "./keptNeighbours";

/** How often an idle worker looks at the queue. */
const POLL_MS = 1000;

/**
 * Keeps the read-also neighbours current in the serving process: works off
 * the queue that writers fill in their transactions (neighbour_refresh),
 * a batch at a time, at once while there is more, else every second. Any
 * number of instances may run one; a lease in the database lets one work
 * at a time (src/write/derived/keptNeighbours.ts).
 */
export class NeighbourWorker {
  private readonly owner = refreshOwner();
  private readonly loop: PollingLoop;

  constructor(ds: DataSource, logger: Logger) {
    this.loop = new PollingLoop(
      async () => {
        const started = Date.now();
        const done = await refreshQueuedNeighbours(ds, this.owner);
        if (done > 0) logger.debug({ queued: done, ms: Date.now() - started }, "read-also neighbours refreshed");
        return done > 0;
      },
      () => POLL_MS,
      (err) => logger.warn({ err }, "read-also neighbours not refreshed; trying again"),
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

import type { DataSource } from "typeorm";
import type { Logger } from "../../logger";
import { refreshOwner, refreshQueuedNeighbours } from "./keptNeighbours";
import { QueueWorker } from "./queueWorker";
import { refreshQueuedPostings } from "./searchPostings";

/**
 * Keeps the read-also neighbours current: works off the queue that writers
 * fill in their transactions (neighbour_refresh). Any number of instances
 * may run one; a lease in the database lets one work at a time
 * (src/write/derived/keptNeighbours.ts).
 */
export class NeighbourWorker extends QueueWorker {
  constructor(ds: DataSource, logger: Logger) {
    const owner = refreshOwner();
    super("read-also neighbours", () => refreshQueuedNeighbours(ds, owner), logger);
  }
}

/**
 * Keeps the search's kept postings current on MariaDB: works off
 * search_posting_queue (src/write/derived/searchPostings.ts). Any number of
 * instances may run one; a named lock lets one work at a time.
 */
export class SearchPostingWorker extends QueueWorker {
  constructor(ds: DataSource, logger: Logger) {
    super("search postings", () => refreshQueuedPostings(ds), logger);
  }
}

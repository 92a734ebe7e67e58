import { randomUUID } from "node:crypto";
import type { Config, WebhookConfig } from "../config";
import type { Database } from "../db/dataSource";
import { createReader, type Reader } from "../read/reader";
import { createLoaders, type Loaders } from "../read/loaders";
import { RequestBatcher } from "../read/loaders/batcher";
import { type Logger, logger as rootLogger } from "../logger";
import type { NeighbourWorker, SearchPostingWorker } from "../write/derived/workers";
import type { ViewCounter } from "../write/views/viewCounter";
import { READER, type Viewer } from "../read/viewer";
import type { WebhookWorker } from "../webhooks/deliveryWorker";

/** What lives as long as the process: the database and the services built on it. */
export interface App {
  db: Database;
  /** The settings the app was opened with; code that serves requests reads them here, never from the environment. */
  config: Config;
  /** Buffered view counts; closeApp flushes them. */
  views: ViewCounter;
  /** Webhook endpoints' rules and this instance's delivery worker (closeApp stops it); absent: the configured rules, no worker. */
  webhooks?: { settings: WebhookConfig; worker: WebhookWorker | null };
  /** This instance's read-also neighbour refresh (closeApp stops it); absent: none (tests run the refresh themselves). */
  neighbours?: NeighbourWorker;
  /** This instance's search posting refresh on MariaDB (closeApp stops it); absent: none (tests drain the queue themselves). */
  searchPostings?: SearchPostingWorker;
}

/** What lives as long as one request. */
export interface Context {
  app: App;
  viewer: Viewer;
  /** Reads for this request; loaders batch around the statements it has in flight. */
  reader: Reader;
  loaders: Loaders;
  requestId: string;
  /** The process logger bound to this request's id. */
  log: Logger;
}

/**
 * A request refused by Apollo's limits runs no resolver and logs nothing, so the loaders
 * and the child logger are made when something first asks for them. The
 * getters live on the prototype because Apollo shallow-copies the context
 * it is given (Object.assign would call own getters at once).
 */
class RequestContext implements Context {
  private madeLoaders?: Loaders;
  private madeLog?: Logger;

  constructor(
    readonly app: App,
    readonly viewer: Viewer,
    readonly reader: Reader,
    readonly requestId: string,
    private readonly batcher: RequestBatcher,
    private readonly logger: Logger,
  ) {}

  get loaders(): Loaders {
    return (this.madeLoaders ??= createLoaders(this.reader, this.viewer, this.batcher));
  }

  get log(): Logger {
    return (this.madeLog ??= this.logger.child({ requestId: this.requestId }));
  }
}

/** `deadline` (epoch ms): when set, no statement of this request runs past it (src/read/reader.ts, and src/db/deadline.ts for its writes). */
export function createContext(
  app: App,
  opts: { viewer?: Viewer; requestId?: string; deadline?: number; logger?: Logger } = {},
): Context {
  const viewer = opts.viewer ?? READER;
  const batcher = new RequestBatcher();
  const reader = createReader(app.db.dataSource, { track: batcher.track, deadline: opts.deadline });
  return new RequestContext(app, viewer, reader, opts.requestId ?? randomUUID(), batcher, opts.logger ?? rootLogger);
}

import { randomUUID } from "node:crypto";
import type { Database } from "./db/dataSource";
import { createLoaders, type Loaders } from "./loaders";
import { READER, type Viewer } from "./viewer";

/** What lives as long as the process: the database and the services built on it. */
export interface App {
  db: Database;
}

/** What lives as long as one request. */
export interface Context {
  app: App;
  viewer: Viewer;
  loaders: Loaders;
  requestId: string;
}

export function createContext(app: App, opts: { viewer?: Viewer; requestId?: string } = {}): Context {
  const viewer = opts.viewer ?? READER;
  return { app, viewer, loaders: createLoaders(app.db.dataSource, viewer), requestId: opts.requestId ?? randomUUID() };
}

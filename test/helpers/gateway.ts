import { ApolloServer } from "@apollo/server";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type DocumentNode, parse } from "graphql";
import pino from "pino";
import { createApollo } from "../../src/graphql/apollo";
import { loadConfig } from "../../src/config";
import { type App, type Context, createContext } from "../../src/graphql/context";
import { attachMedia, closeMedia, createMedia } from "../../src/media/media";
import { seedImages } from "../../src/media/seedImages";
import { generateCorpus, type CorpusOptions, DEMO_CORPUS } from "../../src/write/seed/corpus";
import { writeCorpus } from "../../src/write/seed/writeCorpus";
import { ViewCounter } from "../../src/write/views/viewCounter";
import { READER, type Viewer } from "../../src/read/viewer";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./db";

export const silentLogger = pino({ level: "silent" });

export interface RunResult<TData> {
  data: TData | null | undefined;
  errors: readonly { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[] | undefined;
  /** SQL statements the operation sent. */
  statements: number;
}

export interface TestGateway {
  kind: DatabaseKind;
  database: TestDatabase;
  app: App;
  apollo: ApolloServer<Context>;
  run<TData = Record<string, unknown>, TVars extends Record<string, unknown> = Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
    variables?: TVars,
    opts?: { viewer?: Viewer },
  ): Promise<RunResult<TData>>;
  close(): Promise<void>;
}

/** The real schema over a fresh database, optionally filled with a generated corpus. */
export async function createTestGateway(
  kind: DatabaseKind,
  opts: {
    corpus?: Partial<CorpusOptions> | false;
    env?: NodeJS.ProcessEnv;
    /** Give the published articles pictures (src/media/seedImages.ts). */
    pictures?: boolean;
  } = {},
): Promise<TestGateway> {
  const database = await createTestDatabase(kind);
  // No timer: tests flush on demand, so that a flush never lands inside another operation's statement count.
  // Images go to a folder of this gateway's own unless its environment names a store.
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-media-"));
  const config = loadConfig({ NODE_ENV: "test", MEDIA_DIR: mediaDir, ...(opts.env ?? {}) });
  // No webhook worker: tests that deliver start one of their own.
  const app: App = { db: database.db, config, views: new ViewCounter(database.db.dataSource, { intervalMs: null }), webhooks: { settings: config.webhooks, worker: null } };
  if (opts.corpus !== false) await writeCorpus(database.db.dataSource, generateCorpus({ ...DEMO_CORPUS, ...(opts.corpus ?? {}) }));
  const media = attachMedia(app, createMedia(config.media));
  if (opts.pictures) await seedImages(database.db.dataSource, media);
  const apollo = createApollo(config, silentLogger);
  await apollo.start();
  return {
    kind,
    database,
    app,
    apollo,
    async run(document, variables, runOpts = {}) {
      const before = database.db.statements.total;
      const response = await apollo.executeOperation(
        { query: typeof document === "string" ? document : document, variables },
        { contextValue: createContext(app, { viewer: runOpts.viewer ?? READER }) },
      );
      const statements = database.db.statements.total - before;
      if (response.body.kind !== "single") throw new Error("expected a single result");
      const { data, errors } = response.body.singleResult;
      return { data: data as never, errors: errors as never, statements };
    },
    async close() {
      await apollo.stop();
      if (database.db.dataSource.isInitialized) await app.views.stop();
      await closeMedia(app);
      fs.rmSync(mediaDir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

const OPERATIONS_DIR = path.resolve(__dirname, "../../schema/operations");

/** A contract operation from schema/operations, by file name. */
export function operation(file: string): DocumentNode {
  return parse(fs.readFileSync(path.join(OPERATIONS_DIR, file), "utf8"));
}

export function operationFiles(): string[] {
  return fs.readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith(".graphql")).sort();
}

/** The contract's queries and mutations: what is sent over HTTP (subscriptions are tested with their own clients). */
export function requestFiles(): string[] {
  return operationFiles().filter((f) => !operation(f).definitions.some((d) => d.kind === "OperationDefinition" && d.operation === "subscription"));
}

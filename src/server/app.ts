import type { Config } from "../config";
import type { App } from "../graphql/context";
import { migrate, openDatabase } from "../db/dataSource";
import { dialectOf } from "../db/dialect";
import type { Logger } from "../logger";
import { attachMedia, closeMedia, createMedia } from "../media/media";
import { DEMO_CORPUS, generateCorpus } from "../write/seed/corpus";
import { writeCorpus } from "../write/seed/writeCorpus";
import { NeighbourWorker, SearchPostingWorker } from "../write/derived/workers";
import { ViewCounter } from "../write/views/viewCounter";
import { WebhookWorker } from "../webhooks/deliveryWorker";

/**
 * Opens and migrates the configured database. The default embedded SQLite
 * file is filled with demo content on first start so that `npm start`
 * shows something; a MySQL/MariaDB database is only migrated.
 */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  const db = await openDatabase({
    url: config.databaseUrl,
    sqlitePath: config.sqlitePath,
    replicaUrls: config.replicaUrls,
    logger: (level, message, extra) => logger[level](extra ?? {}, message),
  });
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
  const media = createMedia(config.media);
  if (config.databaseKind === "sqlite" && !config.databaseUrl) {
    const [{ n }] = await db.dataSource.query("SELECT COUNT(*) AS n FROM article");
    if (Number(n) === 0) {
      const report = await writeCorpus(db.dataSource, generateCorpus(DEMO_CORPUS));
      logger.info({ ...report, file: config.sqlitePath }, "demo content written");
    }
    // Also for a demo file written before articles had pictures.
    // sharp draws them: loaded here, for the demo file only.
    const { seedImages } = require("../media/seedImages") as typeof import("../media/seedImages");
    const pictures = await seedImages(db.dataSource, media);
    if (pictures.images > 0) logger.info({ ...pictures, store: config.media.s3 ? config.media.s3.bucket : config.media.dir }, "demo pictures written");
  }
  const views = new ViewCounter(db.dataSource, {
    onError: (err, pendingViews) => logger.warn({ err, pendingViews }, "view counts not written yet; retrying with the next flush"),
  });
  views.start();
  // WEBHOOK_DELIVERY=false: this instance writes the outbox, others send it.
  const worker = config.webhooks.deliver ? new WebhookWorker(db.dataSource, config.webhooks, logger) : null;
  worker?.start();
  const neighbours = new NeighbourWorker(db.dataSource, logger);
  neighbours.start();
  const searchPostings = dialectOf(db.dataSource) === "mysql" ? new SearchPostingWorker(db.dataSource, logger) : undefined;
  searchPostings?.start();
  const app: App = { db, config, views, webhooks: { settings: config.webhooks, worker }, neighbours, searchPostings };
  attachMedia(app, media);
  return app;
}

/** Lets webhook attempts in flight finish, writes the buffered view counts, then closes the database (also when that write fails). */
export async function closeApp(app: App): Promise<void> {
  try {
    await app.webhooks?.worker?.stop();
    await app.neighbours?.stop();
    await app.searchPostings?.stop();
    if (app.db.dataSource.isInitialized) await app.views.stop();
  } finally {
    await closeMedia(app);
    if (app.db.dataSource.isInitialized) await app.db.dataSource.destroy();
  }
}

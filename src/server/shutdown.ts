import { closeApp } from "./app";
import type { App } from "../graphql/context";
import type { Logger } from "../logger";
import type { Gateway } from "./gateway";

/**
 * The SIGTERM sequence, within one grace period:
 * 1. the gateway stops listening (new connections are refused), answers
 *    /readyz with 503 on connections still open, and waits for the requests
 *    in flight to finish;
 * 2. the app flushes its buffered view counts and closes the pool, so the
 *    views those last requests counted are written.
 * Past the grace period the remaining connections are cut, so the process
 * exits before an orchestrator kills it. Resolves to the exit code: 0 when
 * everything finished in time, 1 otherwise.
 */
export async function shutdown(gateway: Gateway, app: App, logger: Logger, graceMs: number): Promise<number> {
  const started = Date.now();
  let clean = true;
  const cut = setTimeout(() => {
    clean = false;
    logger.warn({ graceMs }, "requests still running at the end of the grace period; closing their connections");
    gateway.http.closeAllConnections();
  }, graceMs);
  try {
    await gateway.close();
  } finally {
    clearTimeout(cut);
  }
  const left = Math.max(0, graceMs - (Date.now() - started));
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), left);
  });
  try {
    const closed = await Promise.race([closeApp(app).then(() => "closed" as const), outOfTime]);
    if (closed === "timeout") {
      logger.error({ graceMs, pendingViews: app.views.pendingViews }, "the database did not close within the grace period");
      return 1;
    }
  } catch (err) {
    logger.error({ err, pendingViews: app.views.pendingViews }, "view counts could not be written before exit");
    return 1;
  } finally {
    clearTimeout(timer);
  }
  logger.info({ ms: Date.now() - started, clean }, "shut down");
  return clean ? 0 : 1;
}

import pino from "pino";
import { config } from "./config";
import { requestIdMixin } from "./server/requestScope";

/** JSON logs, one line per event; every line written while a request runs carries its request id. */
export function createLogger(level: string, destination?: pino.DestinationStream) {
  return pino({ level, base: { service: "newsgraph" }, mixin: requestIdMixin }, destination as pino.DestinationStream);
}

export const logger = createLogger(config.logLevel);

export type Logger = typeof logger;

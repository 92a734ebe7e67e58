import pino from "pino";
import { config } from "./config";

/** JSON logs, one line per event; request lines carry the request id. */
export const logger = pino({ level: config.logLevel, base: { service: "newsgraph" } });

export type Logger = typeof logger;

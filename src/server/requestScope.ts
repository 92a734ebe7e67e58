import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";
import type { StatementScope } from "../db/statements";

/** What the process knows about the HTTP request whose code is running. */
export interface RequestScope {
  requestId: string;
  /** The request's SQL statement tally (withStatementScope fills it). */
  statements: StatementScope;
  /** Set once Apollo has resolved the operation; labels the request's metrics and its access log line. */
  operationName?: string;
  /** When the request's time is up (epoch ms); its reads and writes are bounded by it (src/db/deadline.ts). */
  deadline?: number;
}

const requests = new AsyncLocalStorage<RequestScope>();

export function withRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return requests.run(scope, fn);
}

export function currentRequest(): RequestScope | undefined {
  return requests.getStore();
}

/**
 * Runs `fn` outside any request's scope. A timer armed while a request's
 * code runs (a write's after-commit work re-arming a background job) would
 * otherwise carry that request into every later run of the job: its id
 * onto the job's log lines, its statements into its tally, and its long
 * past deadline onto the job's transactions, which would then be refused.
 * Background jobs arm their timers through this.
 */
export function outsideRequest<T>(fn: () => T): T {
  return requests.exit(fn);
}

/**
 * pino mixin: every line logged while a request runs carries its id,
 * whichever logger writes it (Apollo's, TypeORM's, formatError's), unless
 * the logger is already a child bound to one.
 */
export function requestIdMixin(_merge: object, _level: number, logger: Logger): object {
  const request = requests.getStore();
  if (!request || "requestId" in logger.bindings()) return {};
  return { requestId: request.requestId };
}

import { randomUUID } from "node:crypto";
import { type App, type Context, createContext } from "../graphql/context";
import type { Loaders } from "../read/loaders";
import type { Reader } from "../read/reader";
import type { Logger } from "../logger";
import type { Viewer } from "../read/viewer";
import type { LiveEvent } from "./events";

/**
 * The context each event is resolved in: fresh loaders per event, shared by
 * every subscriber of this instance with the same role, so that a
 * publication heard by a thousand readers costs the statements of one
 * (loaders see what a role may see, so sharing them within a role is safe).
 * Kept only as long as the event object itself.
 */
const perEvent = new WeakMap<LiveEvent, Map<string, Context>>();

export function eventContext(app: App, event: LiveEvent, viewer: Viewer): Context {
  let byRole = perEvent.get(event);
  if (!byRole) {
    byRole = new Map();
    perEvent.set(event, byRole);
  }
  let ctx = byRole.get(viewer.role);
  if (!ctx) {
    ctx = createContext(app, { viewer });
    byRole.set(viewer.role, ctx);
  }
  return ctx;
}

/**
 * The context of one subscription operation. Its loaders and reader are
 * those of the event being resolved: the subscription's root field adopts
 * the event's context (see LiveResolver) before any field under it runs,
 * and graphql-js resolves one event of a subscription at a time.
 */
export class LiveContext implements Context {
  private current: Context;

  constructor(
    readonly app: App,
    readonly viewer: Viewer,
    logger?: Logger,
    readonly requestId: string = randomUUID(),
  ) {
    this.current = createContext(app, { viewer, requestId, logger });
  }

  adopt(ctx: Context): void {
    this.current = ctx;
  }

  get loaders(): Loaders {
    return this.current.loaders;
  }

  get reader(): Reader {
    return this.current.reader;
  }

  get log(): Logger {
    return this.current.log;
  }
}

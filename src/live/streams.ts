import { Repeater } from "@graphql-yoga/subscription";
import { GraphQLError } from "graphql";
import type { Context } from "../graphql/context";
import { ErrorCode } from "../graphql/errors";
import { liveBusOf } from "./bus";
import { eventContext, LiveContext } from "./eventContext";
import type { LiveEvent } from "./events";

/** What a subscription's root field receives per event: the value to answer with and the context to resolve it in. */
export interface Delivery<T> {
  value: T;
  context: Context;
}

/**
 * The events of a topic that this subscriber may see, each turned into the
 * value its root field answers with (null skips the event: a draft a
 * reader may not see, an article of another rubric). The lookups run in
 * the event's shared context, so subscribers of one role share them.
 */
export function deliveries<T>(ctx: Context, topic: string, pick: (event: LiveEvent, eventCtx: Context) => Promise<T | null>): AsyncIterable<Delivery<T>> {
  const bus = ctx instanceof LiveContext ? liveBusOf(ctx.app.db.dataSource) : undefined;
  if (!bus) {
    throw new GraphQLError("Subscriptions are served over WebSocket at /graphql and over Server-Sent Events at /graphql/stream.", {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  const source = bus.subscribe(topic);
  // A Repeater, not an async generator: returning it (the client unsubscribed)
  // stops it at once, even while it waits for the next event.
  return new Repeater<Delivery<T>>(async (push, stop) => {
    const events = source[Symbol.asyncIterator]();
    void stop.then(() => events.return?.());
    for (let next = await events.next(); !next.done; next = await events.next()) {
      const context = eventContext(ctx.app, next.value, ctx.viewer);
      const value = await pick(next.value, context).catch((err: unknown) => {
        ctx.log.warn({ err, event: next.value }, "live event not resolved");
        return null;
      });
      if (value !== null) await push({ value, context });
    }
    stop();
  });
}

/** Called by a subscription's root field: the fields below it resolve in the event's context. */
export function delivered<T>(delivery: Delivery<T>, ctx: Context): T {
  if (ctx instanceof LiveContext) ctx.adopt(delivery.context);
  return delivery.value;
}

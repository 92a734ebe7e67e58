import { createPubSub } from "@graphql-yoga/subscription";
import type { Redis as RedisClient } from "ioredis";
import { setMaxListeners } from "node:events";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { type LiveEvent, topicOf } from "./events";

/** Carries events from the instance that committed a write to every instance's subscribers. */
export interface LiveBus {
  publish(event: LiveEvent): void;
  /** Events of one topic (see topics in events.ts) until the iterator is returned. */
  subscribe(topic: string): AsyncIterable<LiveEvent>;
  close(): Promise<void>;
}

type Topics = Record<string, [LiveEvent]>;

/**
 * In memory, or through Redis pub/sub when REDIS_URL is set. With Redis an
 * instance hears its own events back from Redis like everyone else's, so
 * there is one path for all of them. Channels are namespaced with
 * REDIS_KEY_PREFIX so that deployments sharing a Redis do not hear each
 * other. Delivery is at most once: a subscriber that is disconnected, or a
 * Redis that is down, misses events (webhooks are the channel that retries).
 *
 * Each event is parsed once per instance and handed to every subscriber as
 * the same object, which lets subscribers share the work of resolving it
 * (src/live/eventContext.ts).
 */
export function createLiveBus(config: Config, logger: Logger): LiveBus {
  const prefix = `${config.redisKeyPrefix}:live:`;
  if (!config.redisUrl) {
    // One listener per subscriber; Node warns past 10 on an EventTarget unless told otherwise.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    const pubSub = createPubSub<Topics>({ eventTarget: eventTarget as never });
    return {
      publish: (event) => pubSub.publish(prefix + topicOf(event), event),
      subscribe: (topic) => pubSub.subscribe(prefix + topic),
      close: async () => {},
    };
  }
  // Loaded only when Redis is configured (as the cache store's and the rate limiter's clients are).
  const { Redis } = require("ioredis") as { Redis: typeof RedisClient };
  const { createRedisEventTarget } = require("@graphql-yoga/redis-event-target") as typeof import("@graphql-yoga/redis-event-target");
  const publishClient = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  const subscribeClient = new Redis(config.redisUrl);
  for (const client of [publishClient, subscribeClient]) {
    client.on("error", (err) => logger.warn({ err: String(err) }, "live events: Redis unavailable; subscribers miss events until it is back"));
  }
  const pubSub = createPubSub<Topics>({ eventTarget: createRedisEventTarget<CustomEvent<LiveEvent>>({ publishClient, subscribeClient }) });
  return {
    publish: (event) => pubSub.publish(prefix + topicOf(event), event),
    subscribe: (topic) => pubSub.subscribe(prefix + topic),
    async close() {
      await Promise.all([publishClient, subscribeClient].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/**
 * The bus of each database connection this process has: an instance is one
 * connection, so writes through it are announced on its bus. Gateways over
 * the same connection (tests run several) share one bus, so an event is
 * published once.
 */
const buses = new WeakMap<DataSource, { bus: LiveBus; users: number }>();

export function acquireLiveBus(ds: DataSource, make: () => LiveBus): LiveBus {
  const held = buses.get(ds);
  if (held) {
    held.users += 1;
    return held.bus;
  }
  const bus = make();
  buses.set(ds, { bus, users: 1 });
  return bus;
}

export async function releaseLiveBus(ds: DataSource): Promise<void> {
  const held = buses.get(ds);
  if (!held) return;
  held.users -= 1;
  if (held.users > 0) return;
  buses.delete(ds);
  await held.bus.close();
}

export function liveBusOf(ds: DataSource): LiveBus | undefined {
  return buses.get(ds)?.bus;
}

import { randomBytes } from "node:crypto";
import Redis from "ioredis";

/** The development and CI Redis (.ci/run starts it). */
export const TEST_REDIS_URL = "redis://127.0.0.1:6379";

/** A key namespace of the test's own, so that tests never see each other's or a developer's keys. */
export function testRedisPrefix(): string {
  return `newsgraph-test-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** A direct connection to look at what the gateway stored, and to remove it afterwards. */
export class RedisProbe {
  readonly client = new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });

  constructor(readonly prefix: string) {}

  keys(pattern = "*"): Promise<string[]> {
    return this.client.keys(`${this.prefix}::${pattern}`);
  }

  /** Resolves once `atLeast` keys match the pattern (the response cache writes after answering), or after 5 s. */
  async waitForKey(pattern: string, atLeast = 1): Promise<string[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = await this.keys(pattern);
      if (found.length >= atLeast || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async cleanUp(): Promise<void> {
    const keys = await this.keys();
    if (keys.length > 0) await this.client.del(...keys);
    this.client.disconnect();
  }
}

import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { ApiKey } from "../../write/keys/apiKeys";
import type { SecurityConfig } from "../../config";

export interface Caller {
  key: ApiKey | null;
  address: string;
  /** The request only counts page views (recordView), which has a budget of its own. */
  countsViews: boolean;
}

/**
 * Per-minute budgets with rate-limiter-flexible: each budget is a bucket
 * of N tokens that refills every 60 s (its fixed window). A key's budget
 * is the one stored with the key, because a publisher's server-side
 * renderer sends all its readers' traffic from one address with one key;
 * anonymous callers share RATE_LIMIT per address. recordView draws on a
 * separate bucket of the same caller, so counting views never starves
 * page reads and the other way round.
 *
 * With a Redis client the buckets live in Redis and are shared by every
 * instance; if Redis is unreachable each instance falls back to its own
 * memory buckets (the insurance limiter) rather than refusing everyone.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly config: SecurityConfig,
    private readonly redis: Redis | null,
    private readonly prefix: string,
  ) {}

  /** Seconds to wait when the caller is over budget; null when the request may go on. */
  async consume(caller: Caller): Promise<number | null> {
    const budget = this.budgetOf(caller);
    if (!budget) return null;
    try {
      await this.limiter(budget.bucket, budget.points).consume(budget.id);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw e;
    }
  }

  private budgetOf(caller: Caller): { bucket: string; points: number; id: string } | null {
    const kind = caller.countsViews ? "views" : "requests";
    if (caller.key) return { bucket: `key-${kind}`, points: caller.key.rateLimit, id: String(caller.key.id) };
    const points = caller.countsViews ? this.config.viewRateLimit : this.config.rateLimit;
    // RATE_LIMIT=0 turns rate limiting off for anonymous callers, views included.
    if (points === 0 || this.config.rateLimit === 0) return null;
    return { bucket: `address-${kind}`, points, id: caller.address };
  }

  private limiter(bucket: string, points: number): RateLimiterAbstract {
    const name = `${bucket}:${points}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const options = { keyPrefix: `${this.prefix}:${name}`, points, duration: 60 };
      limiter = this.redis
        ? new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

/** A Redis client for the shared buckets; commands fail fast while it is down, so the insurance limiter answers. */
export function rateLimitRedis(url: string): Redis {
  // Loaded only when Redis is configured.
  const { Redis: RedisClient } = require("ioredis") as { Redis: typeof Redis };
  return new RedisClient(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

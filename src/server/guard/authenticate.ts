import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import { ErrorCode } from "../../graphql/errors";
import { READER, type Viewer } from "../../read/viewer";
import { type ApiKey, findApiKey, hashKey } from "../../write/keys/apiKeys";

export interface Authenticated {
  viewer: Viewer;
  /** The key used, when one was sent (its budget drives rate limiting). */
  key: ApiKey | null;
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/**
 * Turns an Authorization header into a viewer. No header: the public
 * reader. A header that is not a live key is refused, never downgraded to
 * reader, so a client with a revoked or mistyped key finds out at once
 * instead of silently losing its drafts.
 *
 * Live keys are cached for `ttlMs` so that an editor's burst of requests
 * costs one lookup; a revocation therefore takes up to `ttlMs` to reach a
 * running process. Misses are not cached, so the cache cannot be filled
 * with made-up keys.
 */
export class Authenticator {
  private readonly cache = new Map<string, { key: ApiKey; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 1000,
  ) {}

  async authenticate(header: string | undefined): Promise<Authenticated> {
    if (header === undefined || header === "") return { viewer: READER, key: null };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthenticated("The Authorization header must be `Bearer <API key>`.");
    const key = await this.lookup(match[1]);
    if (!key) throw unauthenticated("The API key is not valid or has been revoked.");
    return { viewer: { role: key.role, keyName: key.name }, key };
  }

  private async lookup(secret: string): Promise<ApiKey | null> {
    const hash = hashKey(secret);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.key;
    this.cache.delete(hash);
    const key = await findApiKey(this.ds, secret);
    if (key) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, { key, until: Date.now() + this.ttlMs });
    }
    return key;
  }
}

import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { fromDbTime, toDbTime } from "../../db/time";
import type { Role } from "../../read/viewer";

export type KeyRole = Exclude<Role, "reader">;
export const KEY_ROLES: readonly KeyRole[] = ["editor", "admin"];

export interface ApiKey {
  id: number;
  name: string;
  role: KeyRole;
  /** Requests per minute this key may make. */
  rateLimit: number;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A prefix makes leaked keys easy to recognise (secret scanners, logs). */
const KEY_PREFIX = "ngk_";

/**
 * The stored form of a key. A plain SHA-256 is enough here, unlike for
 * passwords: a key is 32 random bytes, so there is nothing to guess or look
 * up in a dictionary, and a slow hash (bcrypt, scrypt) would only make
 * every authenticated request slower.
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function toApiKey(row: Record<string, unknown>): ApiKey {
  return {
    id: Number(row.id),
    name: String(row.name),
    role: row.role as KeyRole,
    rateLimit: Number(row.rate_limit),
    createdAt: fromDbTime(row.created_at) as Date,
    revokedAt: fromDbTime(row.revoked_at),
  };
}

const COLUMNS = "id, name, role, rate_limit, created_at, revoked_at";

/** Makes a key and stores its hash; the key itself is returned once and never again. */
export async function createApiKey(ds: DataSource, opts: { name: string; role: KeyRole; rateLimit: number }): Promise<{ key: string; apiKey: ApiKey }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = new Date();
  await ds.query("INSERT INTO api_key (name, key_hash, role, rate_limit, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)", [
    opts.name,
    hashKey(key),
    opts.role,
    opts.rateLimit,
    toDbTime(now),
  ]);
  const [row] = await ds.query(`SELECT ${COLUMNS} FROM api_key WHERE name = ?`, [opts.name]);
  return { key, apiKey: toApiKey(row) };
}

export async function listApiKeys(ds: DataSource): Promise<ApiKey[]> {
  const rows: Record<string, unknown>[] = await ds.query(`SELECT ${COLUMNS} FROM api_key ORDER BY id`);
  return rows.map(toApiKey);
}

/** Revokes by id or name; returns the key, or null when there is none. */
export async function revokeApiKey(ds: DataSource, idOrName: string): Promise<ApiKey | null> {
  const where = /^\d+$/.test(idOrName) ? "id = ?" : "name = ?";
  const param = /^\d+$/.test(idOrName) ? Number(idOrName) : idOrName;
  await ds.query(`UPDATE api_key SET revoked_at = ? WHERE ${where} AND revoked_at IS NULL`, [toDbTime(new Date()), param]);
  const [row] = await ds.query(`SELECT ${COLUMNS} FROM api_key WHERE ${where}`, [param]);
  return row ? toApiKey(row) : null;
}

/** The live (not revoked) key with this secret, or null. */
export async function findApiKey(ds: DataSource, key: string): Promise<ApiKey | null> {
  const [row] = await ds.query(`SELECT ${COLUMNS} FROM api_key WHERE key_hash = ? AND revoked_at IS NULL`, [hashKey(key)]);
  return row ? toApiKey(row) : null;
}

import { randomBytes } from "node:crypto";
import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import type { Article } from "../../entities";
import { hashKey } from "../write/keys/apiKeys";
import { ARTICLE_COLUMNS, toArticle } from "../read/rows";
import type { Reader } from "../read/reader";
import { fromDbTime, toDbTime } from "../db/time";
import { badUserInput, ErrorCode } from "../graphql/errors";

/** A prefix makes a leaked preview token easy to recognise, as API keys' ngk_ does. */
const TOKEN_PREFIX = "ngp_";
export const MAX_PREVIEW_SECONDS = 30 * 86400;

export interface IssuedPreviewToken {
  /** The secret: shown once, stored nowhere (only its SHA-256 is). */
  token: string;
  expiresAt: Date;
}

/** A token that shows article `articleId` as it is now, until it expires or is revoked. */
export async function createPreviewToken(
  ds: DataSource,
  articleId: number,
  expiresInSeconds: number,
  keyName: string | null,
): Promise<IssuedPreviewToken> {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PREVIEW_SECONDS) {
    throw badUserInput(
      `expiresInSeconds must be between 1 and ${MAX_PREVIEW_SECONDS} (30 days), got ${expiresInSeconds}.`,
      "expiresInSeconds",
    );
  }
  const [article] = await ds.query("SELECT id FROM article WHERE id = ? AND deleted_at IS NULL", [articleId]);
  if (!article) throw badUserInput("articleId names no article (or a deleted one).", "articleId");
  // 32 random bytes: nothing to guess, so a fast hash is enough (as for API keys).
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + expiresInSeconds * 1000);
  await ds.query(
    "INSERT INTO preview_token (article_id, token_hash, created_at, expires_at, revoked_at, key_name) VALUES (?, ?, ?, ?, NULL, ?)",
    [articleId, hashKey(token), toDbTime(now), toDbTime(expiresAt), keyName],
  );
  return { token, expiresAt };
}

/** Revokes every live preview token of the article; returns how many. */
export async function revokePreviewTokens(ds: DataSource, articleId: number): Promise<number> {
  const [article] = await ds.query("SELECT id FROM article WHERE id = ?", [articleId]);
  if (!article) throw badUserInput("articleId names no article.", "articleId");
  const runner = ds.createQueryRunner();
  try {
    const result = await runner.query(
      "UPDATE preview_token SET revoked_at = ? WHERE article_id = ? AND revoked_at IS NULL",
      [toDbTime(new Date()), articleId],
      true,
    );
    return Number(result.affected ?? 0);
  } finally {
    await runner.release();
  }
}

function refused(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

/**
 * The article a preview token shows, as it is now (draft, scheduled or
 * published), in one statement; a made-up, expired or revoked token, or
 * one whose article was deleted, is refused with FORBIDDEN. The messages
 * never repeat the token.
 */
export async function articleForPreview(db: Reader, token: string): Promise<Article> {
  // Only well-formed tokens are hashed and looked up; the rest cannot have been issued.
  if (!/^ngp_[A-Za-z0-9_-]{43}$/.test(token))
    throw refused("This preview token was never issued: ask the editor for the preview link again.");
  const [row] = await db.read(
    `SELECT p.expires_at AS preview_expires_at, p.revoked_at AS preview_revoked_at, ${ARTICLE_COLUMNS}
       FROM preview_token p JOIN article a ON a.id = p.article_id WHERE p.token_hash = ?`,
    [hashKey(token)],
  );
  if (!row) throw refused("This preview token was never issued: ask the editor for the preview link again.");
  if (row.preview_revoked_at !== null && row.preview_revoked_at !== undefined)
    throw refused("This preview link was revoked by the editors.");
  const expiresAt = fromDbTime(row.preview_expires_at) as Date;
  if (expiresAt.getTime() <= Date.now())
    throw refused(`This preview link expired at ${expiresAt.toISOString()}; ask the editor for a new one.`);
  if (row.deleted_at !== null && row.deleted_at !== undefined) throw refused("The article of this preview link was deleted.");
  return toArticle(row);
}

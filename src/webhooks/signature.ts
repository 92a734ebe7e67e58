import { createHmac, randomBytes } from "node:crypto";

/** A new endpoint's signing secret; the prefix makes a leaked one easy to recognise. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
 * whole secret as UTF-8: the scheme Stripe's and GitHub's users know.
 * Signing the time with the body lets a receiver refuse replays of an old
 * delivery.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac("sha256", secret).update(`${unixSeconds}.${body}`, "utf8").digest("hex")}`;
}

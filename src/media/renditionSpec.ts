import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { MAX_RENDITION_WIDTH, type MediaConfig } from "../config";
import { badUserInput } from "../graphql/errors";

// A rendition's URL names everything that decides its bytes: the image,
// a version of the image's content and focal point, the width, the aspect
// ratio and the format. So a URL's answer never changes and may be cached
// for a year; moving the focal point gives new URLs.

export type RenditionFormat = "JPEG" | "WEBP" | "AVIF";

export const FORMATS: Readonly<Record<RenditionFormat, { ext: string; contentType: string }>> = {
  JPEG: { ext: "jpg", contentType: "image/jpeg" },
  WEBP: { ext: "webp", contentType: "image/webp" },
  AVIF: { ext: "avif", contentType: "image/avif" },
};

export interface RenditionSpec {
  imageId: number;
  version: string;
  width: number;
  /** Width and height of the asked aspect ratio; null keeps the original's. */
  aspect: readonly [number, number] | null;
  format: RenditionFormat;
}

/** Changes whenever the original or its focal point does. */
export function imageVersion(contentHash: string, focalX: number, focalY: number): string {
  return createHash("sha256").update(`${contentHash}:${focalX}:${focalY}`).digest("hex").slice(0, 12);
}

function name(spec: RenditionSpec): string {
  return `${spec.width}${spec.aspect ? `-${spec.aspect[0]}x${spec.aspect[1]}` : ""}.${FORMATS[spec.format].ext}`;
}

/** The store key of a rendition. */
export function renditionKey(spec: RenditionSpec): string {
  return `renditions/${spec.imageId}/${spec.version}/${name(spec)}`;
}

/** Every rendition of an image sits under this store prefix. */
export function renditionPrefix(imageId: number): string {
  return `renditions/${imageId}/`;
}

export function renditionPath(spec: RenditionSpec): string {
  return `/media/${spec.imageId}/${spec.version}/${name(spec)}`;
}

const PATH = /^\/media\/([1-9]\d{0,9})\/([0-9a-f]{12})\/([1-9]\d{0,4})(?:-([1-9]\d?)x([1-9]\d?))?\.(jpg|webp|avif)$/;

/** The rendition a URL path names, or null when it names none. */
export function parseRenditionPath(pathname: string): RenditionSpec | null {
  const m = PATH.exec(pathname);
  if (!m) return null;
  const format = (Object.keys(FORMATS) as RenditionFormat[]).find((f) => FORMATS[f].ext === m[6]) as RenditionFormat;
  const aspect = m[4] ? ([Number(m[4]), Number(m[5])] as const) : null;
  return { imageId: Number(m[1]), version: m[2], width: Number(m[3]), aspect, format };
}

/** "16:9" → [16, 9]; both sides whole numbers from 1 to 99. */
export function parseAspectRatio(value: string, argument = "aspectRatio"): readonly [number, number] {
  const m = /^([1-9]\d?):([1-9]\d?)$/.exec(value.trim());
  if (!m) throw badUserInput(`${argument} must look like "16:9" (two whole numbers from 1 to 99), got "${value.slice(0, 20)}".`, argument);
  return [Number(m[1]), Number(m[2])];
}

function signature(secret: string, path: string): string {
  return createHmac("sha256", secret).update(path).digest("base64url").slice(0, 22);
}

/** True when `given` is the secret's signature of `path`. */
export function validSignature(secret: string | undefined, path: string, given: string | null): boolean {
  if (!secret || !given) return false;
  const expected = Buffer.from(signature(secret, path));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The public URL of a rendition. A configured width needs nothing more;
 * another one carries the server's signature, and without a secret it
 * cannot be asked for at all.
 */
export function renditionUrl(config: MediaConfig, spec: RenditionSpec, argument = "width"): string {
  if (!Number.isInteger(spec.width) || spec.width < 1 || spec.width > MAX_RENDITION_WIDTH) {
    throw badUserInput(`${argument} must be a whole number from 1 to ${MAX_RENDITION_WIDTH}, got ${spec.width}.`, argument);
  }
  const path = renditionPath(spec);
  if (config.widths.includes(spec.width)) return config.baseUrl + path;
  if (!config.urlSecret) {
    throw badUserInput(`${argument} ${spec.width} is not one of the configured rendition widths (${config.widths.join(", ")}).`, argument);
  }
  return `${config.baseUrl}${path}?s=${signature(config.urlSecret, path)}`;
}

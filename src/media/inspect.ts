import sharp from "sharp";
import { MediaRefusal } from "./refusal";

/** The upload types the gateway accepts, by Content-Type, with the format sharp reports for each. */
export const IMAGE_TYPES: Readonly<Record<string, { format: string; compression?: string }>> = {
  "image/jpeg": { format: "jpeg" },
  "image/png": { format: "png" },
  "image/webp": { format: "webp" },
  // AVIF is a HEIF container holding AV1.
  "image/avif": { format: "heif", compression: "av1" },
};

export interface InspectedImage {
  contentType: string;
  /** As displayed: EXIF orientation already applied. */
  width: number;
  height: number;
}

/** sharp options for every decode: no image past the pixel limit is ever decoded, and a truncated one fails. */
export function decodeOptions(maxPixels: number): sharp.SharpOptions {
  return { limitInputPixels: maxPixels, failOn: "truncated", sequentialRead: true };
}

/**
 * Checks that `bytes` are an image of the declared type and size. The
 * dimensions come from the header alone (sharp's metadata() decodes no
 * pixels), so a decompression bomb — a few kilobytes that would decode to
 * gigabytes — is refused before any decoding; then a small decode proves
 * the data behind the header is an image.
 */
export async function inspectImage(bytes: Buffer, declaredType: string | undefined, maxPixels: number): Promise<InspectedImage> {
  const contentType = (declaredType ?? "").split(";")[0].trim().toLowerCase();
  const expected = IMAGE_TYPES[contentType];
  if (!expected) {
    throw new MediaRefusal(400, `Content-Type must be one of ${Object.keys(IMAGE_TYPES).join(", ")}; got "${contentType || "none"}".`);
  }
  if (bytes.length === 0) throw new MediaRefusal(400, "The request body is empty; send the image's bytes.");
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new MediaRefusal(400, `The body is not a readable ${contentType} image.`);
  }
  if (meta.format !== expected.format || (expected.compression && meta.compression !== expected.compression)) {
    throw new MediaRefusal(400, `The body is not a ${contentType} image (it looks like ${meta.format ?? "something else"}).`);
  }
  const [w, h] = [meta.width ?? 0, meta.height ?? 0];
  if (w < 1 || h < 1) throw new MediaRefusal(400, "The image has no width or height.");
  if (w * h > maxPixels) {
    throw new MediaRefusal(413, `The image is ${w}×${h} pixels (${((w * h) / 1e6).toFixed(1)} megapixels); the limit is ${(maxPixels / 1e6).toFixed(1)} megapixels.`);
  }
  if ((meta.pages ?? 1) > 1) throw new MediaRefusal(400, "Animated and multi-page images are not accepted; send a single picture.");
  try {
    await sharp(bytes, decodeOptions(maxPixels)).resize(32, 32, { fit: "inside" }).raw().toBuffer();
  } catch {
    throw new MediaRefusal(400, `The ${contentType} image is damaged or truncated and cannot be decoded.`);
  }
  // Orientations 5 to 8 turn the picture a quarter: what readers see is h×w.
  const turned = (meta.orientation ?? 1) >= 5;
  return { contentType, width: turned ? h : w, height: turned ? w : h };
}

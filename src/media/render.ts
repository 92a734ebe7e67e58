import sharp from "sharp";
import { decodeOptions } from "./inspect";
import type { RenditionSpec } from "./renditionSpec";
import { cropBox, type FocalPoint } from "./crop";

/**
 * Makes one rendition from the original's bytes: turned upright (EXIF
 * orientation), cropped around the focal point when an aspect ratio is
 * asked, fitted to the width (never enlarged), encoded. sharp writes no
 * metadata unless told to, so EXIF (GPS included), XMP and IPTC of the
 * original stay behind.
 */
export async function renderRendition(
  original: Buffer,
  spec: RenditionSpec,
  image: { width: number; height: number; focal: FocalPoint },
  maxPixels: number,
): Promise<Buffer> {
  // width and height are the upright picture's, as stored at upload.
  let pipeline = sharp(original, { ...decodeOptions(maxPixels), autoOrient: true });
  if (spec.aspect) pipeline = pipeline.extract(cropBox(image.width, image.height, spec.aspect, image.focal));
  pipeline = pipeline.resize({ width: spec.width, withoutEnlargement: true });
  switch (spec.format) {
    case "WEBP":
      return pipeline.webp({ quality: 80 }).toBuffer();
    case "AVIF":
      return pipeline.avif({ quality: 55, effort: 2 }).toBuffer();
    default:
      // JPEG has no transparency: a PNG's or WebP's transparent parts become white, not black.
      return pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 82, mozjpeg: true }).toBuffer();
  }
}

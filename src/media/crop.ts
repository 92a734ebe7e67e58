// The crop of a rendition, apart from sharp (src/media/render.ts): the
// schema's Image fields compute it for every picture they describe, and
// loading sharp's native library for that would cost every gateway its
// memory whether it ever renders a picture or not.

export interface FocalPoint {
  /** 0 (left) to 1 (right). */
  x: number;
  /** 0 (top) to 1 (bottom). */
  y: number;
}

/**
 * The largest box of the asked aspect ratio inside a w×h picture, centred
 * on the focal point as far as the picture's edges allow.
 */
export function cropBox(w: number, h: number, aspect: readonly [number, number], focal: FocalPoint) {
  const ratio = aspect[0] / aspect[1];
  const width = Math.min(w, Math.round(h * ratio));
  const height = Math.min(h, Math.round(w / ratio));
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));
  return {
    left: clamp(Math.round(focal.x * w - width / 2), w - width),
    top: clamp(Math.round(focal.y * h - height / 2), h - height),
    width,
    height,
  };
}

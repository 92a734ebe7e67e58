import type http from "node:http";

/** A request body over its limit. `declared`: its Content-Length said so, and none of it was read. */
export class BodyTooLarge extends Error {
  constructor(
    readonly maxBytes: number,
    readonly declared: boolean,
  ) {
    super(`Request body is larger than ${maxBytes} bytes.`);
  }
}

/**
 * The request body's bytes, refused with BodyTooLarge as soon as it passes
 * `maxBytes` — by its Content-Length, or while it streams (a chunked body
 * declares no length) — so that no more than the limit is ever held. The
 * rest of a refused body is left unread; the caller drains or cuts it.
 */
export function readBytes(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
      reject(new BodyTooLarge(maxBytes, true));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        req.pause();
        reject(new BodyTooLarge(maxBytes, false));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

import type { HTTPGraphQLResponse } from "@apollo/server";
import type http from "node:http";
import type { App } from "../graphql/context";
import { ErrorCode } from "../graphql/errors";
import { toGlobalId } from "../graphql/globalId";
import type { HttpGuard } from "../server/guard/httpGuard";
import { BodyTooLarge, readBytes } from "../server/guard/readBody";
import { MediaRefusal } from "./refusal";
import type { Media } from "./media";
import { FORMATS, parseRenditionPath, renditionPath, validSignature } from "./renditionSpec";

// POST /media (an editor's upload) and GET /media/<id>/<version>/<width>[-<w>x<h>].<ext>
// (a rendition). Everything about a rendition is in its path, so its
// answer is the same forever: browsers and CDNs may keep it for a year.

const IMMUTABLE = "public, max-age=31536000, immutable";

export function isMediaPath(pathname: string): boolean {
  return pathname === "/media" || pathname.startsWith("/media/");
}

function sendError(res: http.ServerResponse, status: number, message: string, code: string = ErrorCode.BAD_USER_INPUT, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function sendRefusal(res: http.ServerResponse, refusal: HTTPGraphQLResponse): void {
  res.writeHead(refusal.status ?? 400, Object.fromEntries(refusal.headers));
  res.end(refusal.body.kind === "complete" ? refusal.body.string : undefined);
}

async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, app: App, media: Media, guard: HttpGuard): Promise<void> {
  const admitted = await guard.admit(req, undefined, url.search);
  if ("refusal" in admitted) return sendRefusal(res, admitted.refusal);
  if (admitted.viewer.role === "reader") {
    return sendError(res, 401, "Uploading images needs an editor's or admin's API key (Authorization: Bearer <key>).", ErrorCode.UNAUTHENTICATED, {
      "www-authenticate": 'Bearer realm="newsgraph"',
    });
  }
  try {
    const bytes = await readBytes(req, media.config.maxImageBytes).catch((e: unknown) => {
      throw e instanceof BodyTooLarge ? new MediaRefusal(413, `The image is larger than ${e.maxBytes} bytes (MAX_IMAGE_BYTES).`) : e;
    });
    const image = await media.upload(app.db.dataSource, bytes, req.headers["content-type"]);
    const { id, ...rest } = image;
    res.writeHead(image.created ? 201 : 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(JSON.stringify({ id: toGlobalId("Image", id), ...rest }));
  } catch (e) {
    if (!(e instanceof MediaRefusal)) throw e;
    // The rest of a refused body is not read: the connection is closed after the answer.
    res.setHeader("connection", "close");
    sendError(res, e.status, e.message);
    if (!req.complete) res.on("finish", () => req.destroy());
  }
}

async function rendition(req: http.IncomingMessage, res: http.ServerResponse, url: URL, app: App, media: Media): Promise<void> {
  const spec = parseRenditionPath(url.pathname);
  if (!spec) return sendError(res, 404, `${url.pathname} names no rendition; rendition URLs come from Image.url and Image.srcSet.`, ErrorCode.NOT_FOUND);
  if (!media.config.widths.includes(spec.width) && !validSignature(media.config.urlSecret, renditionPath(spec), url.searchParams.get("s"))) {
    return sendError(
      res,
      403,
      `Width ${spec.width} is not one of the configured rendition widths (${media.config.widths.join(", ")}), and the URL carries no valid signature.`,
      ErrorCode.FORBIDDEN,
    );
  }
  const etag = `"${spec.version}-${url.pathname.slice(url.pathname.lastIndexOf("/") + 1)}"`;
  const headers = { "cache-control": IMMUTABLE, etag };
  // The bytes behind a path never change, so a client holding this ETag holds them.
  if (req.headers["if-none-match"]?.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}` || t === "*")) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const found = await media.rendition(app.db.dataSource, spec);
  if (!found) {
    return sendError(res, 404, "No such image, or the URL is from an earlier version of it (its focal point moved); ask Image.url for the current one.", ErrorCode.NOT_FOUND);
  }
  res.writeHead(200, {
    ...headers,
    "content-type": FORMATS[spec.format].contentType,
    "content-length": String(found.bytes.length),
    "x-media-source": found.source,
  });
  res.end(req.method === "HEAD" ? undefined : found.bytes);
}

/** Answers a request under /media. */
export async function handleMedia(req: http.IncomingMessage, res: http.ServerResponse, url: URL, app: App, media: Media, guard: HttpGuard): Promise<void> {
  if (url.pathname === "/media") {
    if (req.method !== "POST") return sendError(res, 405, "Images are uploaded with POST /media.", ErrorCode.BAD_USER_INPUT, { allow: "POST" });
    return upload(req, res, url, app, media, guard);
  }
  if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 405, "Renditions are read with GET.", ErrorCode.BAD_USER_INPUT, { allow: "GET, HEAD" });
  return rendition(req, res, url, app, media);
}

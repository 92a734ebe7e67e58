import type http from "node:http";
import { ASSET_PREFIX, graphiqlAsset } from "./assets";
import { graphiqlPage } from "./page";

/** A browser opening /graphql asks for HTML; GraphQL clients ask for JSON (or say nothing). */
function wantsHtml(req: http.IncomingMessage): boolean {
  return req.method === "GET" && /\btext\/html\b/.test(req.headers.accept ?? "");
}

/** GraphiQL's routes: the page at /graphiql (and at /graphql for browsers), its assets under /graphiql/assets/. */
export function isGraphiQLRequest(req: http.IncomingMessage, pathname: string): boolean {
  return pathname === "/graphiql" || pathname.startsWith("/graphiql/") || (pathname === "/graphql" && wantsHtml(req));
}

export function sendGraphiQL(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, endpoint = "/graphql"): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    res.end("GraphiQL is read with GET.");
    return;
  }
  if (pathname === "/graphiql" || pathname === "/graphql") {
    const { html, csp } = graphiqlPage(endpoint);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp, "cache-control": "no-store", vary: "accept" });
    res.end(req.method === "HEAD" ? undefined : html);
    return;
  }
  const asset = pathname.startsWith(ASSET_PREFIX) ? graphiqlAsset(pathname.slice(ASSET_PREFIX.length)) : null;
  if (!asset) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("No such GraphiQL asset.");
    return;
  }
  res.writeHead(200, { "content-type": asset.contentType, "content-length": asset.body.length, "cache-control": "public, max-age=31536000, immutable" });
  res.end(req.method === "HEAD" ? undefined : asset.body);
}

import fs from "node:fs";
import path from "node:path";

// GraphiQL ships as files inside @graphql-yoga/graphiql (React, GraphiQL,
// Monaco and its workers bundled); the gateway serves them itself so that
// the page works on a machine without internet access.
const DIST = path.dirname(require.resolve("@graphql-yoga/graphiql"));
const VERSION: string = JSON.parse(fs.readFileSync(path.join(DIST, "../package.json"), "utf8")).version;

/** Where the page finds the assets; versioned, so browsers may keep them as long as they like. */
export const ASSET_PREFIX = `/graphiql/assets/${VERSION}/`;

const FILES: Record<string, string> = {
  "graphiql.css": "text/css; charset=utf-8",
  "yoga-graphiql.umd.js": "text/javascript; charset=utf-8",
  "monacoeditorwork/editor.worker.bundle.js": "text/javascript; charset=utf-8",
  "monacoeditorwork/graphql.worker..bundle.js": "text/javascript; charset=utf-8",
  "monacoeditorwork/json.worker.bundle.js": "text/javascript; charset=utf-8",
};

const loaded = new Map<string, Buffer>();

/** One of the bundled files by its name under ASSET_PREFIX, or null for anything else. */
export function graphiqlAsset(name: string): { body: Buffer; contentType: string } | null {
  const contentType = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!contentType) return null;
  let body = loaded.get(name);
  if (!body) {
    body = fs.readFileSync(path.join(DIST, name));
    loaded.set(name, body);
  }
  return { body, contentType };
}

import { randomBytes } from "node:crypto";
import { ASSET_PREFIX } from "./assets";
import { exampleTabs } from "./examples";

/** JSON inside a <script>: nothing in it can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * The GraphiQL page. Everything it loads comes from this gateway, and its
 * Content-Security-Policy says so: a browser will not fetch anything from
 * elsewhere even if a bundled library tries.
 */
export function graphiqlPage(endpoint: string): { html: string; csp: string } {
  const nonce = randomBytes(16).toString("base64");
  const options = { endpoint, title: "newsgraph", defaultTabs: exampleTabs(), query: exampleTabs()[0]?.query, variables: exampleTabs()[0]?.variables };
  const workers = {
    graphql: `${ASSET_PREFIX}monacoeditorwork/graphql.worker..bundle.js`,
    json: `${ASSET_PREFIX}monacoeditorwork/json.worker.bundle.js`,
    editor: `${ASSET_PREFIX}monacoeditorwork/editor.worker.bundle.js`,
  };
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>newsgraph · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${ASSET_PREFIX}graphiql.css" />
    <style nonce="${nonce}">html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="graphiql"></div>
    <script nonce="${nonce}">
      const workers = ${scriptJson(workers)};
      globalThis.MonacoEnvironment = {
        getWorker(_id, label) {
          return new Worker(workers[label] ?? workers.editor);
        },
      };
    </script>
    <script nonce="${nonce}" src="${ASSET_PREFIX}yoga-graphiql.umd.js"></script>
    <script nonce="${nonce}">
      YogaGraphiQL.renderYogaGraphiQL(document.getElementById("graphiql"), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { html, csp };
}

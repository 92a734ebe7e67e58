import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

// Debian's Chromium (.ci/run installs it); playwright's own download needs the internet.
const CHROMIUM = "/usr/bin/chromium";
// Kept for a person to look at, inside this checkout (never a path another copy of the suite writes too).
const SCREENSHOT = path.join(__dirname, "..", "..", "test-results", "graphiql.png");

describe("GraphiQL served by the gateway, in Chromium", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 30, seed: 8 } });
    http = await startHttpGateway(gw);
    base = http.url.replace(/\/graphql$/, "");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await gw?.close();
  });

  test("GET /graphql is GraphiQL for a browser and GraphQL for everyone else", async () => {
    const html = await fetch(`${base}/graphql`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const page = await html.text();
    expect(page).toContain("YogaGraphiQL.renderYogaGraphiQL");
    expect(page).not.toMatch(/https?:\/\/(?!specs\.apollo\.dev)/);
    const graphiql = await fetch(`${base}/graphiql`);
    expect(await graphiql.text()).toContain("YogaGraphiQL.renderYogaGraphiQL");
    const json = await fetch(`${base}/graphql?query=${encodeURIComponent("{ articles(first: 1) { totalCount } }")}`, {
      headers: { accept: "application/json", "apollo-require-preflight": "true" },
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { data: unknown }).data).toEqual({ articles: { totalCount: 30 } });
  });

  test("loads from loopback only, shows the contract operations, runs the front page query and shows its result", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });

    // Bounds for a hung page, not speed checks: on a loaded machine Chromium took over 30 s to load it.
    await page.goto(`${base}/graphql`, { timeout: 120_000 });
    const editor = page.locator(".graphiql-query-editor");
    await editor.getByText("query FrontPage").waitFor({ timeout: 120_000 });
    // One tab per operation in schema/operations, the front page first.
    await page.getByText("ArticlePage").first().waitFor();

    const expected = await gw.run<{ articles: { edges: { node: { title: string } }[] } }>(`{ articles(first: 1) { edges { node { title } } } }`);
    const firstTitle = expected.data!.articles.edges[0].node.title;
    await page.locator(".graphiql-execute-button").click();
    const response = page.locator(".graphiql-response");
    await response.getByText(firstTitle.slice(0, 30), { exact: false }).first().waitFor({ timeout: 120_000 });
    await page.screenshot({ path: SCREENSHOT });

    const offLoopback = requested.filter((u) => {
      const { protocol, hostname } = new URL(u);
      return !(protocol === "data:" || protocol === "blob:" || hostname === "127.0.0.1");
    });
    expect(offLoopback).toEqual([]);
    expect(requested.some((u) => u.includes("/graphiql/assets/"))).toBe(true);
    expect(errors.filter((e) => !/DevTools|favicon/.test(e))).toEqual([]);
    await context.close();
  }, 400_000);
});

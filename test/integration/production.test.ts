import { Writable } from "node:stream";
import pino from "pino";
import { createApollo } from "../../src/graphql/apollo";
import { loadConfig } from "../../src/config";
import { createContext } from "../../src/graphql/context";
import { READER, type Viewer } from "../../src/read/viewer";
import { createTestGateway, type TestGateway } from "../helpers/gateway";

/** A logger whose lines the test can read, to find the error id the client was given. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

const PRODUCTION = loadConfig({ NODE_ENV: "production" });

function expectMasked(errors: readonly { message: string; extensions?: Record<string, unknown> }[] | undefined, lines: Record<string, unknown>[]) {
  expect(errors).toHaveLength(1);
  const [e] = errors ?? [];
  expect(e.message).toBe("Internal server error.");
  expect(e.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
  expect(e.extensions?.stacktrace).toBeUndefined();
  const text = JSON.stringify(e);
  expect(text).not.toMatch(/SELECT|FROM|sqlite|127\.0\.0\.1|\.ts:\d+|at /);
  // The log carries the real error under the id the client got.
  expect(lines.some((l) => l.errorId === e.extensions?.errorId && l.err)).toBe(true);
}

describe("production mode", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 10 } });
  });
  afterAll(() => gw?.close());

  async function run(query: string, logger = capturingLogger(), viewer: Viewer = READER) {
    const apollo = createApollo(PRODUCTION, logger.logger as never);
    await apollo.start();
    try {
      const response = await apollo.executeOperation({ query }, { contextValue: createContext(gw.app, { viewer }) });
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return { ...response.body.singleResult, lines: logger.lines };
    } finally {
      await apollo.stop();
    }
  }

  test("a missing table (a broken database) gives a masked error with an id the log also has", async () => {
    await gw.database.db.dataSource.query("ALTER TABLE archive_month RENAME TO archive_month_gone");
    try {
      const r = await run(`{ archive { years { year } } }`);
      expectMasked(r.errors, r.lines);
    } finally {
      await gw.database.db.dataSource.query("ALTER TABLE archive_month_gone RENAME TO archive_month");
    }
  });

  test("a value the schema cannot represent (an internal exception) is masked", async () => {
    await gw.database.db.dataSource.query("UPDATE article SET status = 'BROKEN' WHERE id = 1");
    const [{ slug }] = await gw.database.db.dataSource.query("SELECT slug FROM article WHERE id = 1");
    // An editor: readers see only the statuses they may (src/read/viewer.ts), so to them the row is simply absent.
    const r = await run(`{ article(slug: "${slug}") { status } }`, capturingLogger(), { role: "editor", keyName: "desk" });
    expectMasked(r.errors, r.lines);
  });

  test("an unknown field is refused without suggesting field names, and introspection is off", async () => {
    const r = await run(`{ articl(slug: "x") { id } }`);
    expect(r.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors?.[0].message).not.toMatch(/Did you mean|"article"/);
    expect(r.errors?.[0].extensions?.stacktrace).toBeUndefined();
    const intro = await run(`{ __schema { types { name } } }`);
    expect(intro.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    // Development keeps suggestions, so the check above can tell them apart.
    const dev = createApollo(loadConfig({ NODE_ENV: "development" }), capturingLogger().logger as never);
    const d = await dev.executeOperation({ query: `{ articl(slug: "x") { id } }` }, { contextValue: createContext(gw.app) });
    expect(d.body.kind === "single" && d.body.singleResult.errors?.[0].message).toMatch(/Did you mean/);
    await dev.stop();
  });

  test("a database that is gone gives a masked error", async () => {
    const r0 = await run(`{ rubrics { id } }`);
    expect(r0.errors).toBeUndefined();
    await gw.database.db.dataSource.destroy();
    const r = await run(`{ rubrics { id } }`);
    expectMasked(r.errors, r.lines);
  });
});

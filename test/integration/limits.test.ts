import { toGlobalId } from "../../src/graphql/globalId";
import { createApiKey } from "../../src/write/keys/apiKeys";
import { createReader } from "../../src/read/reader";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

// Small limits so that "at the limit" and "one over" are easy to write down.
const LIMITS = {
  MAX_QUERY_DEPTH: "4",
  MAX_QUERY_ALIASES: "3",
  MAX_QUERY_DIRECTIVES: "2",
  MAX_QUERY_TOKENS: "60",
  MAX_QUERY_COST: "102",
  MAX_BODY_BYTES: "2048",
  RATE_LIMIT: "0",
};

function aliases(n: number): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: rubrics { id }`).join(" ")} }`;
}

function directives(n: number): string {
  return `{ rubrics { ${Array.from({ length: n }, (_, i) => `f${i}: id @include(if: true)`).join(" ")} } }`;
}

/** `{ __typename … }` with n tokens in all; __typename costs nothing, so only the token limit can refuse it. */
function tokens(n: number): string {
  return `{ ${Array.from({ length: n - 2 }, () => "__typename").join(" ")} }`;
}

describe("query limits, before anything runs", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  beforeAll(async () => {
    gw = await createTestGateway("sqlite", { corpus: { articles: 30 }, env: LIMITS });
    http = await startHttpGateway(gw, LIMITS);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  async function answered(query: string) {
    const r = await http.post({ query });
    expect(r.body.errors).toBeUndefined();
    expect(r.status).toBe(200);
    return r;
  }

  async function refused(query: string, code: string, limit?: string) {
    const r = await http.post({ query });
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].extensions?.code).toBe(code);
    if (limit) expect(r.body.errors?.[0].extensions?.limit).toBe(limit);
    expect(r.body.data).toBeUndefined();
    expect(r.statements).toBe(0);
    return r;
  }

  test("depth: 4 levels are answered, 5 are refused with QUERY_TOO_COMPLEX and no SQL", async () => {
    await answered(`{ articles(first: 1) { edges { node { id } } } }`);
    // Twice: the second time the document's verdict is remembered, not recomputed.
    for (let i = 0; i < 2; i++) await refused(`{ articles(first: 1) { edges { node { author { id } } } } }`, "QUERY_TOO_COMPLEX", "depth");
  });

  test("aliases: 3 are answered, 4 are refused", async () => {
    await answered(aliases(3));
    await refused(aliases(4), "QUERY_TOO_COMPLEX", "aliases");
  });

  test("directives: 2 are answered, 3 are refused", async () => {
    await answered(directives(2));
    await refused(directives(3), "QUERY_TOO_COMPLEX", "directives");
  });

  test("tokens: 60 are answered, 61 are refused at parse time (GRAPHQL_PARSE_FAILED)", async () => {
    await answered(tokens(60));
    const r = await refused(tokens(61), "GRAPHQL_PARSE_FAILED");
    expect(r.body.errors?.[0].message).toMatch(/tokens/);
  });

  test("cost: a page that costs exactly the limit is answered and reports its cost; one more row is refused", async () => {
    // articles + edges + first × (node + id) = 2 + 2 × 50 = 102
    const ok = await answered(`{ articles(first: 50) { edges { node { id } } } }`);
    expect(ok.body.extensions?.cost).toEqual({ requested: 102, limit: 102 });
    const r = await refused(`{ articles(first: 51) { edges { node { id } } } }`, "QUERY_TOO_COMPLEX", "cost");
    expect(r.body.errors?.[0].extensions).toMatchObject({ max: 102, actual: 104 });
  });

  test("cost: a page size passed in a variable, or left to the variable's default, is priced the same", async () => {
    const q = `query($n: Int = 51) { articles(first: $n) { edges { node { id } } } }`;
    const r = await http.post({ query: q, variables: { n: 50 } });
    expect(r.body.extensions?.cost).toEqual({ requested: 102, limit: 102 });
    const byDefault = await http.post({ query: q });
    expect(byDefault.body.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(byDefault.statements).toBe(0);
    // Costs are kept per document and variables: the same text is priced by the variables it comes with.
    for (const n of [50, 51, 50]) {
      const again = await http.post({ query: q, variables: { n } });
      if (n === 50) expect(again.body.extensions?.cost).toEqual({ requested: 102, limit: 102 });
      else expect(again.body.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", actual: 104 });
    }
  });

  test("cost: other variables do not change the price, and variables that do not coerce leave no price behind", async () => {
    // article + id + articles + edges + $n × (node + id) = 4 + 2 × $n: 104 by the default, 102 for 49
    const q = `query($n: Int = 50, $s: String) { article(slug: $s) { id } articles(first: $n) { edges { node { id } } } }`;
    // $s does not coerce: the raw variables have no $n, so this request is priced at the default page (44) and fails on $s.
    const bad = await http.post({ query: q, variables: { s: 5 } });
    expect(bad.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.body.errors?.[0].message).toContain("$s");
    // The same page sizes with a good $s are priced by $n's default, not by what the failed request was priced at.
    for (const s of ["a", "b"]) {
      const r = await http.post({ query: q, variables: { s } });
      expect(r.body.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", actual: 104 });
      expect(r.statements).toBe(0);
    }
    for (const s of ["a", "b"]) {
      const r = await http.post({ query: q, variables: { s, n: 49 } });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.extensions?.cost).toEqual({ requested: 102, limit: 102 });
    }
  });

  test("cost: nested lists multiply, lists without page arguments count the default page", async () => {
    // popular + 3 × (related + 2 × id) = 1 + 3 × 3 = 10
    const r = await answered(`{ popular(first: 3) { related(first: 2) { id } } }`);
    expect(r.body.extensions?.cost).toEqual({ requested: 10, limit: 102 });
    // rubrics without first: 1 + 20 × (id + name) = 41
    const rubrics = await answered(`{ rubrics { id name } }`);
    expect(rubrics.body.extensions?.cost).toEqual({ requested: 41, limit: 102 });
  });

  test("body size: a body of exactly the limit is read, one byte more is refused with 413 and no SQL", async () => {
    const base = JSON.stringify({ query: "{ rubrics { id } }", extra: "" });
    const pad = 2048 - Buffer.byteLength(base);
    const atLimit = JSON.stringify({ query: "{ rubrics { id } }", extra: "x".repeat(pad) });
    expect(Buffer.byteLength(atLimit)).toBe(2048);
    const ok = await http.post(atLimit);
    expect(ok.status).toBe(200);
    const over = JSON.stringify({ query: "{ rubrics { id } }", extra: "x".repeat(pad + 1) });
    const r = await http.post(over);
    expect(r.status).toBe(413);
    expect(r.statements).toBe(0);
  });

  test("batched HTTP requests (a JSON array of operations) are refused", async () => {
    const r = await http.post([{ query: "{ rubrics { id } }" }, { query: "{ rubrics { id } }" }]);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].message).toMatch(/batch/i);
    expect(r.statements).toBe(0);
  });

  test("CSRF prevention: a simple (form-like) GET without a preflight header is refused", async () => {
    const res = await fetch(`${http.url}?query=${encodeURIComponent("{ rubrics { id } }")}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${http.url}?query=${encodeURIComponent("{ rubrics { id } }")}`, { headers: { "apollo-require-preflight": "1" } });
    expect(ok.status).toBe(200);
  });
});

describe.each(databaseKinds())("the request time limit on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db?.drop());

  test("a statement is not started once the request's deadline has passed", async () => {
    const reader = createReader(db.db.dataSource, { deadline: Date.now() - 1 });
    const before = db.db.statements.total;
    await expect(reader.read("SELECT 1 AS one")).rejects.toMatchObject({ extensions: { code: "TIMEOUT" } });
    expect(db.db.statements.total).toBe(before);
  });

  if (kind === "mysql") {
    test("MariaDB stops a running statement when the request's time is up", async () => {
      const reader = createReader(db.db.dataSource, { deadline: Date.now() + 300 });
      const started = Date.now();
      await expect(reader.read("SELECT SLEEP(5) AS slept")).rejects.toMatchObject({ extensions: { code: "TIMEOUT" } });
      expect(Date.now() - started).toBeLessThan(2000);
    });
  }
});

// The request time limit over HTTP. A statement blocked behind another
// connection's table lock stands for a slow database: the request is
// answered 504 TIMEOUT at its deadline instead of waiting, and once the lock
// is gone the same request is answered within the same limit. MariaDB only:
// SQLite's readers are not blocked by a writer in WAL mode.
const mysqlOnly = databaseKinds().includes("mysql") ? describe : describe.skip;
mysqlOnly("request time limit over HTTP on mysql", () => {
  let gw: TestGateway;
  let http: HttpTestGateway;
  const env = { REQUEST_TIMEOUT_MS: "400", RATE_LIMIT: "0", RESPONSE_CACHE: "false" };
  beforeAll(async () => {
    gw = await createTestGateway("mysql", { corpus: { articles: 20 }, env });
    http = await startHttpGateway(gw, env);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
  });

  test("a request the database cannot answer in time gets 504 TIMEOUT at its deadline; unblocked, the same request is answered", async () => {
    const query = "{ articles(first: 3) { edges { node { title } } } }";
    const runner = gw.app.db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.query("LOCK TABLES article WRITE");
    try {
      const started = Date.now();
      const blocked = await http.post({ query });
      const took = Date.now() - started;
      expect(blocked.status).toBe(504);
      expect(blocked.body.errors?.[0].extensions?.code).toBe("TIMEOUT");
      expect(took).toBeGreaterThanOrEqual(350);
      expect(took).toBeLessThan(3000);
    } finally {
      await runner.query("UNLOCK TABLES");
      await runner.release();
    }
    const answered = await http.post({ query });
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
  });
  test("an editor's write that cannot finish in time is rolled back at the deadline, not finished after the 504", async () => {
    const { key } = await createApiKey(gw.app.db.dataSource, { name: "late-editor", role: "editor", rateLimit: 1000 });
    const [row] = await gw.app.db.dataSource.query("SELECT id, title FROM article WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1");
    const runner = gw.app.db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.query("LOCK TABLES article WRITE");
    try {
      const late = await http.post(
        { query: `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Слишком поздно" }) { title } }`, variables: { id: toGlobalId("Article", Number(row.id)) } },
        { authorization: `Bearer ${key}` },
      );
      expect(late.status).toBe(504);
      expect(late.body.errors?.[0].extensions?.code).toBe("TIMEOUT");
      // Held past the deadline, so that a write still waiting would go through once the lock is gone.
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      await runner.query("UNLOCK TABLES");
      await runner.release();
    }
    await new Promise((r) => setTimeout(r, 500));
    const [after] = await gw.app.db.dataSource.query("SELECT title FROM article WHERE id = ?", [row.id]);
    expect(after.title).toBe(row.title);
    // The pooled connections are unbounded again: a long statement outside a request runs.
    const [slept] = await gw.app.db.dataSource.query("SELECT SLEEP(0.6) AS s, @@SESSION.max_statement_time AS limit_s");
    expect(Number(slept.limit_s)).toBe(0);
  });
});

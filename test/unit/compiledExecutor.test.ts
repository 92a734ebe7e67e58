import { ApolloServer } from "@apollo/server";
import { buildSchema, GraphQLError, type GraphQLFormattedError } from "graphql";
import { compiledExecutor } from "../../src/graphql/compiledExecutor";
import { isDatabaseUnavailable } from "../../src/db/availability";

// What resolvers throw must reach formatError as graphql-js would hand it
// over, whether graphql-js ran the operation (the first time a document
// comes) or graphql-jit (every time after).

describe("compiled executor", () => {
  const schema = buildSchema(`
    type Query { ok(n: Int!): Int, plainObject: Int, plainError: Int, coded: Int, list(first: Int = 2): [Int!]!, nothing: Int!, when: Story }
    type Story { title: String!, nothing: String! }
  `);
  const fields = schema.getQueryType()!.getFields();
  fields.ok.resolve = (_root, args: { n: number }) => args.n * 2;
  // mysql2 rejects a failed pool connect with a plain object like this one.
  fields.plainObject.resolve = async () => Promise.reject({ code: "ECONNREFUSED", errno: -111 });
  fields.plainError.resolve = () => {
    throw new Error("no such table: archive_day");
  };
  fields.coded.resolve = () => {
    throw new GraphQLError("first must be between 0 and 100.", { extensions: { code: "BAD_USER_INPUT" } });
  };
  fields.nothing.resolve = () => null;
  fields.when.resolve = () => ({ title: "t", nothing: null });
  fields.list.resolve = (_root, args: { first: number }) => Array.from({ length: args.first }, (_, i) => i);

  const seen: { formatted: GraphQLFormattedError; error: unknown }[] = [];
  const apollo = new ApolloServer({
    gateway: compiledExecutor(schema),
    formatError: (formatted, error) => {
      seen.push({ formatted, error });
      return formatted;
    },
  });
  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());
  beforeEach(() => {
    seen.length = 0;
  });

  /** The second answer, from the compiled operation, after checking that it equals the first (graphql-js's). */
  async function run(query: string, variables?: Record<string, unknown>) {
    const answers = [];
    const formatted = [];
    for (let i = 0; i < 2; i++) {
      seen.length = 0;
      const response = await apollo.executeOperation({ query, variables });
      if (response.body.kind !== "single") throw new Error("expected a single result");
      answers.push(response.body.singleResult);
      formatted.push(seen.map((s) => s.formatted));
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(formatted[1]).toEqual(formatted[0]);
    return answers[1];
  }

  test("answers with the schema's resolvers, arguments and variable defaults", async () => {
    const r = await run("query($n: Int!) { ok(n: $n) list }", { n: 21 });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ ok: 42, list: [0, 1] });
  });

  test("a thrown plain object becomes an Error-backed GraphQLError the outage check recognises", async () => {
    const r = await run("{ ok(n: 1) plainObject }");
    expect(r.data).toEqual({ ok: 2, plainObject: null });
    expect(seen).toHaveLength(1);
    const [{ formatted, error }] = seen;
    expect(typeof formatted.message).toBe("string");
    expect(formatted.message).toMatch(/^Unexpected error value: .*ECONNREFUSED/);
    expect(formatted.path).toEqual(["plainObject"]);
    expect(formatted.locations).toEqual([{ line: 1, column: 12 }]);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  test("an Error without extensions reaches formatError with its message, path, location and original error", async () => {
    const r = await run("{ plainError }");
    expect(r.data).toEqual({ plainError: null });
    expect(seen).toHaveLength(1);
    const [{ formatted, error }] = seen;
    expect(formatted).toMatchObject({ message: "no such table: archive_day", path: ["plainError"], locations: [{ line: 1, column: 3 }] });
    expect(formatted.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    expect((error as GraphQLError).originalError?.message).toBe("no such table: archive_day");
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  test("a null where the schema promises a value nulls the parent, as graphql-js does", async () => {
    expect((await run("{ nothing }")).data).toBeNull();
    const r = await run("{ ok(n: 1) when { title nothing } }");
    expect(r.data).toEqual({ ok: 2, when: null });
    expect(r.errors?.map((e) => [e.message, e.path])).toEqual([
      ["Cannot return null for non-nullable field Story.nothing.", ["when", "nothing"]],
    ]);
  });

  test("a GraphQLError keeps its code", async () => {
    await run("{ coded }");
    expect(seen.map((s) => s.formatted.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  test("a bad variable is refused before any resolver runs", async () => {
    const r = await run("query($n: Int!) { ok(n: $n) }", { n: "many" });
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].message).toMatch(/\$n/);
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  test("an operation name the document does not have is an error, not a crash", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await apollo.executeOperation({ query: "query A { ok(n: 1) } query B { ok(n: 2) }", operationName: "B" });
      expect(response.body.kind === "single" && response.body.singleResult.data).toEqual({ ok: 4 });
      const missing = await apollo.executeOperation({ query: "query A { ok(n: 1) }", operationName: "C" });
      expect(missing.body.kind === "single" && missing.body.singleResult.errors?.[0].message).toMatch(/C/);
    }
  });
});

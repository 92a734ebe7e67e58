import { ApolloServer } from "@apollo/server";
import { buildSchema, type GraphQLSchema, Kind, type OperationDefinitionNode, parse } from "graphql";
import { operationCachePolicy } from "../../src/cache/cachePolicy";

// Apollo's cache control plugin works the policy out field by field while
// the operation runs; the gateway works it out from the document before.
// Where every selected field resolves, the two must agree: each operation
// below runs through a stock Apollo Server and the answer's Cache-Control
// is compared with the policy worked out without running it.

const SDL = `
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  enum CacheControlScope { PUBLIC PRIVATE }

  interface Node { id: ID! }
  type Story implements Node @cacheControl(maxAge: 300) { id: ID! title: String views: Int @cacheControl(maxAge: 60) writer: Writer secret: String @cacheControl(scope: PRIVATE) }
  type Writer implements Node @cacheControl(maxAge: 200) { id: ID! name: String }
  type Page @cacheControl(inheritMaxAge: true) { items: [Story!]! total: Int }
  type Plain { word: String }
  type Query {
    story: Story
    node: Node @cacheControl(maxAge: 500)
    page: Page @cacheControl(maxAge: 120)
    pageNoHint: Page
    plain: Plain @cacheControl(maxAge: 30)
    plainNoHint: Plain
    count: Int
    hinted: Int @cacheControl(maxAge: 90)
  }
`;

function schemaWithData(): GraphQLSchema {
  const schema = buildSchema(SDL);
  const story = { __typename: "Story", id: "s1", title: "t", views: 3, secret: "x", writer: { id: "w1", name: "n" } };
  const fields = schema.getQueryType()!.getFields();
  fields.story.resolve = () => story;
  fields.node.resolve = () => story;
  fields.page.resolve = () => ({ items: [story], total: 1 });
  fields.pageNoHint.resolve = () => ({ items: [story], total: 1 });
  fields.plain.resolve = () => ({ word: "w" });
  fields.plainNoHint.resolve = () => ({ word: "w" });
  fields.count.resolve = () => 1;
  fields.hinted.resolve = () => 1;
  return schema;
}

function header(policy: { maxAge?: number; scope?: string }): string {
  return policy.maxAge ? `max-age=${policy.maxAge}, ${(policy.scope ?? "PUBLIC").toLowerCase()}` : "no-store";
}

const OPERATIONS: [query: string, expected: string][] = [
  ["{ story { title } }", "max-age=300, public"],
  ["{ story { title views } }", "max-age=60, public"],
  ["{ story { writer { name } } }", "max-age=200, public"],
  ["{ story { secret } }", "max-age=300, private"],
  ["{ node { id } }", "max-age=500, public"],
  ["{ node { id ... on Story { views } } }", "max-age=60, public"],
  ["{ node { ...S } } fragment S on Story { writer { id } }", "max-age=200, public"],
  ["{ page { total items { title } } }", "max-age=120, public"],
  ["{ pageNoHint { total } }", "no-store"],
  ["{ plain { word } }", "max-age=30, public"],
  ["{ plainNoHint { word } }", "no-store"],
  ["{ count }", "no-store"],
  ["{ hinted }", "max-age=90, public"],
  ["{ hinted story { title } }", "max-age=90, public"],
  ["{ hinted __typename }", "max-age=90, public"],
];

describe("cache policy worked out from the document", () => {
  const schema = schemaWithData();
  const apollo = new ApolloServer({ schema });
  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());

  test.each(OPERATIONS)("%s: %s, as Apollo's per-field plugin finds", async (query, expected) => {
    const response = await apollo.executeOperation({ query });
    expect(response.body.kind === "single" && response.body.singleResult.errors).toBeUndefined();
    expect(response.http.headers.get("cache-control")).toBe(expected);
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    expect(header(operationCachePolicy(schema, document, operation))).toBe(expected);
  });

  test("it is never looser than what runs: fields under a null still count", () => {
    const document = parse("{ hinted story { views } }");
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect(operationCachePolicy(schema, document, operation)).toEqual({ maxAge: 60, scope: undefined });
  });
});

import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { Kind, parse, print } from "graphql";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, silentLogger, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";

type Node = { id: string; title?: string; name?: string };

/**
 * A second subgraph, as another team would write it: it extends our Article
 * entity with comments, and its own Comment points back at Article, so the
 * composed gateway calls us both ways.
 */
function commentsSubgraph(articleIds: string[]) {
  const comments = articleIds.map((id, i) => ({ text: `comment ${i} on ${id}`, articleId: id }));
  return buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { latestComments: [Comment!]! }
      type Comment { text: String! article: Article! }
      type Article @key(fields: "id") { id: ID! comments: [Comment!]! }
    `),
    resolvers: {
      Query: { latestComments: () => comments },
      Comment: { article: (c: { articleId: string }) => ({ __typename: "Article", id: c.articleId }) },
      Article: { comments: (a: { id: string }) => comments.filter((c) => c.articleId === a.id) },
    } as never,
  });
}

describe.each(databaseKinds())("federation subgraph on %s", (kind) => {
  let gw: TestGateway;
  let ids: { articles: string[]; authors: string[]; tags: string[] };

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 60, seed: 6 } });
    const r = await gw.run<{ articles: { edges: { node: { id: string; author: Node | null; tags: Node[] } }[] } }>(
      `{ articles(first: 50) { edges { node { id author { id } tags { id } } } } }`,
    );
    const nodes = r.data!.articles.edges.map((e) => e.node);
    ids = {
      articles: nodes.map((n) => n.id),
      authors: [...new Set(nodes.flatMap((n) => (n.author ? [n.author.id] : [])))],
      tags: [...new Set(nodes.flatMap((n) => n.tags.map((t) => t.id)))],
    };
  });
  afterAll(() => gw?.close());

  test("_service.sdl declares Article, Author and Tag as entities keyed by their global ID", async () => {
    const r = await gw.run<{ _service: { sdl: string } }>(`{ _service { sdl } }`);
    expect(r.errors).toBeUndefined();
    const keys = parse(r.data!._service.sdl)
      .definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION ? (d.directives ?? []).map((dir) => ({ type: d.name.value, dir })) : []))
      .filter(({ dir }) => dir.name.value === "key")
      .map(({ type, dir }) => `${type} ${print(dir)}`)
      .sort();
    expect(keys).toEqual(['Article @key(fields: "id")', 'Author @key(fields: "id")', 'Tag @key(fields: "id")']);
    expect(r.data!._service.sdl).toContain("https://specs.apollo.dev/federation/v2.");
  });

  test("_entities resolves 50 article references with one SQL statement, in the order asked", async () => {
    expect(ids.articles).toHaveLength(50);
    const representations = ids.articles.map((id) => ({ __typename: "Article", id }));
    const r = await gw.run<{ _entities: (Node | null)[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Article { id title } } }`,
      { r: representations },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities.map((e) => e?.id)).toEqual(ids.articles);
    expect(r.data!._entities.every((e) => typeof e?.title === "string" && e.title.length > 0)).toBe(true);
    expect(r.statements).toBe(1);
  });

  test("references to all three entity types cost one statement per type; unknown ones are null", async () => {
    const missing = Buffer.from("Article:2000000000").toString("base64");
    const representations = [
      ...ids.authors.map((id) => ({ __typename: "Author", id })),
      { __typename: "Article", id: missing },
      ...ids.tags.map((id) => ({ __typename: "Tag", id })),
      ...ids.articles.slice(0, 5).map((id) => ({ __typename: "Article", id })),
    ];
    const r = await gw.run<{ _entities: ({ __typename: string; id: string } | null)[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Article { id } ... on Author { id name } ... on Tag { id name } } }`,
      { r: representations },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities.map((e) => (e ? `${e.__typename}:${e.id}` : null))).toEqual(
      representations.map((rep) => (rep.id === missing ? null : `${rep.__typename}:${rep.id}`)),
    );
    expect(r.statements).toBe(3);
  });

  test("a reference that is not one of our IDs is a BAD_USER_INPUT error, not a crash", async () => {
    const r = await gw.run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Article { id } } }`, {
      r: [{ __typename: "Article", id: ids.authors[0] }],
    });
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  describe("composed by @apollo/gateway with a comments subgraph", () => {
    let http: HttpTestGateway;
    let comments: ApolloServer;
    let router: ApolloServer;

    beforeAll(async () => {
      http = await startHttpGateway(gw);
      comments = new ApolloServer({ schema: commentsSubgraph(ids.articles.slice(0, 10)), logger: silentLogger });
      const { url: commentsUrl } = await startStandaloneServer(comments, { listen: { port: 0, host: "127.0.0.1" } });
      const gateway = new ApolloGateway({
        // Node's own fetch reads the Keep-Alive timeout a subgraph announces
        // (the comments server keeps Node's 5 s) and never sends on a socket
        // the server is closing; the gateway's default fetcher does not, and
        // on a slow machine its second request met a closed socket.
        buildService: ({ url }) => new RemoteGraphQLDataSource({ url, fetcher: ((u: string, init: RequestInit) => fetch(u, init)) as unknown as RemoteGraphQLDataSource["fetcher"] }),
        supergraphSdl: new IntrospectAndCompose({
          subgraphs: [
            { name: "newsgraph", url: http.url },
            { name: "comments", url: commentsUrl },
          ],
        }),
      });
      router = new ApolloServer({ gateway });
      await router.start();
    });
    afterAll(async () => {
      await router?.stop();
      await comments?.stop();
      await http?.close();
    });

    async function query<T>(q: string): Promise<{ data: T; statements: number }> {
      const before = gw.database.db.statements.total;
      const response = await router.executeOperation({ query: q });
      if (response.body.kind !== "single") throw new Error("expected a single result");
      expect(response.body.singleResult.errors).toBeUndefined();
      return { data: response.body.singleResult.data as T, statements: gw.database.db.statements.total - before };
    }

    test("a query that starts in newsgraph gets each article's comments from the other subgraph", async () => {
      const { data } = await query<{ articles: { edges: { node: { id: string; title: string; comments: { text: string }[] } }[] } }>(
        `{ articles(first: 3) { edges { node { id title comments { text } } } } }`,
      );
      const nodes = data.articles.edges.map((e) => e.node);
      expect(nodes.map((n) => n.id)).toEqual(ids.articles.slice(0, 3));
      for (const [i, n] of nodes.entries()) expect(n.comments).toEqual([{ text: `comment ${i} on ${n.id}` }]);
    });

    test("a query that starts in the comments subgraph resolves its articles through our _entities in one statement", async () => {
      const { data, statements } = await query<{ latestComments: { text: string; article: { id: string; title: string; author: { name: string } | null } }[] }>(
        `{ latestComments { text article { id title author { name } } } }`,
      );
      expect(data.latestComments.map((c) => c.article.id)).toEqual(ids.articles.slice(0, 10));
      expect(data.latestComments.every((c) => c.article.title.length > 0)).toBe(true);
      expect(data.latestComments.some((c) => c.article.author !== null)).toBe(true);
      // The articles by reference, their authors read with them: the shape of the query, not the ten rows.
      expect(statements).toBe(1);
    });
  });
});

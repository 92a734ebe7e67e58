import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type GraphQLSchema, parse } from "graphql";
import { createResolversMap } from "type-graphql";
import { referenceResolvers } from "./references";

// Federation 2 is opted into with this link; the entities' @key directives
// come from @Directive on the classes in entities/.
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/**
 * Turns the type-graphql schema into an Apollo Federation 2 subgraph: the
 * same types and resolvers, plus `_service { sdl }` and `_entities`.
 * type-graphql's resolvers travel as a resolvers map because
 * buildSubgraphSchema builds its schema from SDL.
 */
export function toSubgraphSchema(schema: GraphQLSchema): GraphQLSchema {
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [type, entity] of Object.entries(referenceResolvers)) {
    resolvers[type] = { ...(resolvers[type] as object), ...entity } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}

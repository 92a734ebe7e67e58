import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema, specifiedDirectives } from "graphql";
import { createPubSub } from "@graphql-yoga/subscription";
import { type BuildSchemaOptions, buildSchemaSync } from "type-graphql";
import { resolvers } from "../../resolvers";
import { authChecker } from "./authChecker";
import { cacheControlDirective } from "../cache/hints";
import { toSubgraphSchema } from "./federation/subgraph";
import { validateArguments } from "./validation";
import { useLeanResolvers } from "./leanResolvers";

let built: GraphQLSchema | undefined;

/**
 * The executable schema, built once per process from the type-graphql
 * classes and served as an Apollo Federation 2 subgraph (src/graphql/federation).
 */
export function getSchema(): GraphQLSchema {
  if (built) return built;
  const options: BuildSchemaOptions = {
    resolvers,
    authChecker,
    // type-graphql insists on a PubSub once there are subscriptions; ours
    // take their events from the instance's live bus (src/live/bus.ts) in
    // their own subscribe functions, so this one carries nothing.
    pubSub: createPubSub(),
    // Declared so that the @cacheControl hints on types and fields are valid SDL.
    directives: [...specifiedDirectives, cacheControlDirective],
    // class-validator runs on inputs that carry its decorators (the
    // mutation inputs), and only on those (src/graphql/validation.ts).
    validateFn: validateArguments,
  };
  built = toSubgraphSchema(buildSchemaSync(options));
  // Resolvers that need none of type-graphql's per-call machinery are called directly (src/graphql/leanResolvers.ts);
  // global middlewares, were there any, would keep every resolver on type-graphql's path.
  useLeanResolvers(built, options.globalMiddlewares ?? []);
  return built;
}

/** The SDL committed as schema/schema.graphql. */
export function printSdl(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}

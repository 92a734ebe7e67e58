import type { ApolloServerOptions, ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../../config";
import type { Context } from "../context";
import { queryLimitsPlugin } from "./queryLimits";

type SecurityOptions = Pick<ApolloServerOptions<Context>, "introspection" | "allowBatchedHttpRequests" | "parseOptions"> & {
  plugins: ApolloServerPlugin<Context>[];
};

/**
 * The Apollo options that protect the gateway: the token limit is
 * graphql-js's own (the parser stops counting at the limit, before it has
 * built a large document); depth, alias, directive and cost limits run
 * before execution (queryLimits.ts); field suggestions ("Did you mean …")
 * are masked when configured off so the schema cannot be mapped by
 * guessing with introspection turned off.
 */
export function securityOptions(config: Config, schema: GraphQLSchema): SecurityOptions {
  const s = config.security;
  const off = { enabled: false };
  const suggestions = s.fieldSuggestions
    ? []
    : new ApolloArmor({
        costLimit: off,
        maxAliases: off,
        maxDepth: off,
        maxDirectives: off,
        maxTokens: off,
        blockFieldSuggestion: { enabled: true },
      }).protect().plugins;
  return {
    introspection: s.introspection,
    // A batch of operations in one HTTP request would multiply every
    // per-request limit (cost, rate, time) by the batch size.
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: s.maxTokens },
    plugins: [queryLimitsPlugin(schema, s, config.defaultPageSize), ...(suggestions as ApolloServerPlugin<Context>[])],
  };
}

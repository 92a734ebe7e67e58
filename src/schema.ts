import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchemaSync } from "type-graphql";
import { resolvers } from "../resolvers";

let built: GraphQLSchema | undefined;

/** The executable schema, built once per process from the type-graphql classes. */
export function getSchema(): GraphQLSchema {
  built ??= buildSchemaSync({ resolvers, validate: false });
  return built;
}

/** The SDL committed as schema/schema.graphql. */
export function printSdl(): string {
  return `${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}

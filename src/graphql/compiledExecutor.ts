import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  getVariableValues,
  GraphQLError,
  type GraphQLSchema,
  printSchema,
} from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import { inspect } from "graphql/jsutils/inspect";
import { DocumentMemo } from "./documents";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];

/** Compiled operations kept per parsed document; a client could send any number of operation names. */
const MAX_OPERATIONS_PER_DOCUMENT = 16;

/**
 * graphql-jit's errors are its own GraphQLError look-alikes: without
 * extensions when the thrown error had none (Apollo's error formatting
 * then fails before formatError can mask and log it), and with a thrown
 * non-Error (mysql2 rejects a failed pool connect with a plain object) as
 * the message. Each becomes the error graphql-js would have made, keeping
 * a thrown value where the outage check (src/db/availability.ts) looks.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const nonError = typeof error.message !== "string";
  const message = nonError ? `Unexpected error value: ${inspect(error.originalError ?? error.message)}` : error.message;
  const originalError = nonError
    ? Object.assign(new Error(message), { thrownValue: error.originalError ?? error.message })
    : error.originalError;
  const copy = new GraphQLError(message, { path: error.path, originalError, extensions: error.extensions });
  if (error.locations) Object.assign(copy, { locations: error.locations });
  return copy;
}

/**
 * Runs operations with graphql-jit instead of graphql-js's interpreter,
 * through the one hook Apollo Server has for another executor: its gateway
 * interface, here serving the gateway's own schema. Apollo still parses,
 * validates, runs every plugin hook around execution and formats the
 * errors; only the walk over the selection set changes. graphql-jit turns
 * an operation into a function (per parsed document: Apollo's document
 * store keeps one DocumentNode per query text), which resolves the same
 * resolvers with far less work per field than graphql-js.
 *
 * Compiling costs a few milliseconds (2-5 ms for the contract operations),
 * more than running an operation once, so a document is compiled the
 * second time it comes: front ends repeat theirs, while one-off documents
 * (someone exploring in GraphiQL, or a client making up a new text per
 * request) run on graphql-js and cost no more than before.
 *
 * Apollo calls no per-field plugin hook on either path, which is why the
 * cache policy comes from the document (src/cache/cachePolicy.ts).
 */
export function compiledExecutor(schema: GraphQLSchema): Gateway {
  // Per document and operation name: "seen" once it has run on graphql-js, then its compiled form.
  const plans = new DocumentMemo<CompiledQuery | "seen">(MAX_OPERATIONS_PER_DOCUMENT);

  function compiledFor(document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult | null {
    const key = operationName ?? "";
    const found = plans.get(document, key);
    if (found === undefined) {
      plans.set(document, key, "seen");
      return null;
    }
    if (found !== "seen") return found;
    const query = compileQuery(schema, document, operationName ?? undefined);
    // Errors (an unknown operation name) are answered, not kept.
    if (isCompiledQuery(query)) plans.set(document, key, query);
    return query;
  }

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        async executor({ document, operation, request, context }) {
          const query = compiledFor(document, request.operationName ?? null);
          if (query === null) {
            return execute({
              schema,
              document,
              contextValue: context,
              variableValues: request.variables,
              operationName: request.operationName,
            });
          }
          if (!isCompiledQuery(query)) return query;
          // graphql-js's own errors for bad variables: they name the
          // variable's definition, which Apollo needs to answer BAD_USER_INPUT.
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 50 });
          if (variables.errors) return { errors: variables.errors };
          const result = await query.query(undefined, context, request.variables ?? {});
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
        },
      };
    },
    async stop() {},
  };
}

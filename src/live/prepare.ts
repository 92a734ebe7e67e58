import { type DocumentNode, getOperationAST, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from "graphql";
import type { Config } from "../config";
import { queryLimits } from "../graphql/limits/queryLimits";
import type { TrustedDocuments } from "../server/guard/trustedDocuments";
import type { Viewer } from "../read/viewer";

/** A subscription's parameters, as graphql-ws and graphql-sse hand them over. */
export interface LiveParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

export interface PreparedSubscription {
  document: DocumentNode;
  operationName: string | undefined;
  variableValues: Record<string, unknown>;
}

function refused(message: string, code: string, extensions: Record<string, unknown> = {}): { errors: GraphQLError[] } {
  return { errors: [new GraphQLError(message, { extensions: { code, ...extensions } })] };
}

/**
 * The checks a subscription passes before it is run, the same as a query's
 * over HTTP and in the same order: trusted documents (for callers without
 * a key), the token limit while parsing, validation, then depth, aliases,
 * directives and cost (src/graphql/limits/queryLimits.ts). Only subscriptions
 * are served this way; queries and mutations go to /graphql over HTTP,
 * where the response cache, rate limits and time limits apply.
 */
export function subscriptionPreparer(config: Config, schema: GraphQLSchema, trusted: TrustedDocuments | null) {
  const limits = queryLimits(schema, config.security, config.defaultPageSize);
  return (params: LiveParams, viewer: Viewer): PreparedSubscription | { errors: GraphQLError[] } => {
    let query = params.query;
    if (trusted && viewer.role === "reader") {
      const resolved = trusted.resolve(params);
      if ("refusal" in resolved) return { errors: [resolved.refusal] };
      query = resolved.document;
    }
    if (typeof query !== "string" || query === "") return refused("The subscription has no query.", "BAD_REQUEST");
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: config.security.maxTokens });
    } catch (e) {
      return refused((e as Error).message, "GRAPHQL_PARSE_FAILED");
    }
    const invalid = validate(schema, document, specifiedRules);
    if (invalid.length > 0) {
      return {
        errors: invalid.map((e) => {
          // Without field suggestions the schema cannot be mapped by guessing (as over HTTP).
          const message = config.security.fieldSuggestions ? e.message : e.message.replace(/ Did you mean .+\?$/, "");
          return new GraphQLError(message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
        }),
      };
    }
    const operationName = typeof params.operationName === "string" ? params.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return refused("The document does not name one operation to run; pass operationName.", "BAD_REQUEST");
    if (operation.operation !== "subscription") {
      return refused(`Only subscriptions are served here; send the ${operation.operation} to /graphql as an HTTP request.`, "BAD_REQUEST");
    }
    const variableValues = typeof params.variables === "object" && params.variables !== null ? (params.variables as Record<string, unknown>) : {};
    try {
      limits.check(document, operation, variableValues);
    } catch (e) {
      if (e instanceof GraphQLError) {
        const { http: _http, ...extensions } = e.extensions;
        return { errors: [new GraphQLError(e.message, { extensions })] };
      }
      throw e;
    }
    return { document, operationName, variableValues };
  };
}

export type SubscriptionPreparer = ReturnType<typeof subscriptionPreparer>;

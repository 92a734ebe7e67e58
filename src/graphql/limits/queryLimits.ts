import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { type DocumentNode, GraphQLError, type GraphQLSchema, type OperationDefinitionNode, type ValidationRule, validate } from "graphql";
import type { SecurityConfig } from "../../config";
import { ErrorCode } from "../errors";
import { DocumentMemo } from "../documents";
import { type CostReport, operationCost, pageSizeVariables } from "./queryCost";

const MAX_COSTS_PER_DOCUMENT = 256;
const MAX_OPERATIONS_PER_DOCUMENT = 16;

export type LimitName = "depth" | "aliases" | "directives" | "cost";

/** What the client is told when an operation is refused before it runs. */
export function queryTooComplex(limit: LimitName, message: string, max: number, actual?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit, max, ...(actual !== undefined ? { actual } : {}), http: { status: 400 } },
  });
}

/** graphql-armor's rule for one limit, with every other protection off. */
function armorRules(config: ConstructorParameters<typeof ApolloArmor>[0]): readonly ValidationRule[] {
  const off = { enabled: false };
  return new ApolloArmor({
    blockFieldSuggestion: off,
    costLimit: off,
    maxAliases: off,
    maxDepth: off,
    maxDirectives: off,
    maxTokens: off,
    ...config,
  }).protect().validationRules;
}

/** Depth, aliases, directives and cost of one operation, worked out once per document (and variables). */
export interface QueryLimits {
  /** The operation's cost; throws QUERY_TOO_COMPLEX when any limit is exceeded. */
  check(document: DocumentNode, operation: OperationDefinitionNode | null | undefined, variables: Record<string, unknown>): number | undefined;
}

export function queryLimits(schema: GraphQLSchema, limits: SecurityConfig, defaultPageSize: number): QueryLimits {
  const checks: [LimitName, number, readonly ValidationRule[]][] = [
    ["depth", limits.maxDepth, armorRules({ maxDepth: { enabled: true, n: limits.maxDepth } })],
    ["aliases", limits.maxAliases, armorRules({ maxAliases: { enabled: true, n: limits.maxAliases } })],
    ["directives", limits.maxDirectives, armorRules({ maxDirectives: { enabled: true, n: limits.maxDirectives } })],
  ];
  // On a response-cache hit these checks were most of the request's work:
  // the verdict on depth, aliases and directives is kept per document, the
  // cost per document and variables.
  type Refusal = { limit: LimitName; message: string; max: number } | null;
  const refusals = new DocumentMemo<Refusal>(1);
  const knownCosts = new DocumentMemo<number>(MAX_COSTS_PER_DOCUMENT);
  function refusalOf(document: DocumentNode): Refusal {
    return refusals.getOrMake(document, "", () => {
      for (const [limit, max, rules] of checks) {
        const [error] = validate(schema, document, rules);
        if (error) return { limit, message: error.message.replace(/^Syntax Error: /, ""), max };
      }
      return null;
    });
  }
  const costOptions = { defaultListSize: defaultPageSize, listSizes: { "ArchiveYear.months": 12, "ArchiveMonth.days": 31 } };
  const sizeVariables = new DocumentMemo<readonly string[]>(MAX_OPERATIONS_PER_DOCUMENT);
  function costOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
    // The cost depends on the variables only through the arguments of
    // paged fields: the key holds those alone (absent told apart from
    // null), so an article page is one entry whatever its slug.
    const name = operation.name?.value ?? "";
    const sizes = sizeVariables.getOrMake(document, name, () => pageSizeVariables(schema, document, operation, costOptions));
    const key = `${name}\u0000${JSON.stringify(sizes.map((v) => (v in variables ? variables[v] : "\u0000absent")))}`;
    const known = knownCosts.get(document, key);
    if (known !== undefined) return known;
    const report: CostReport = {};
    const cost = operationCost(schema, document, operation, variables, costOptions, report);
    // Variables that do not coerce fail the operation; priced from raw values, their cost is not kept for the valid ones.
    return report.variablesValid ? knownCosts.set(document, key, cost) : cost;
  }
  return {
    check(document, operation, variables) {
      const refusal = refusalOf(document);
      if (refusal) throw queryTooComplex(refusal.limit, refusal.message, refusal.max);
      if (!operation) return undefined;
      const cost = costOf(document, operation, variables);
      if (cost > limits.maxCost) {
        throw queryTooComplex(
          "cost",
          `Query cost ${cost} is over the limit of ${limits.maxCost}; ask for smaller pages or fewer fields.`,
          limits.maxCost,
          cost,
        );
      }
      return cost;
    },
  };
}

/**
 * Refuses operations that are too deep, too wide or too expensive before
 * any resolver (and so any SQL) runs, and reports the cost of the ones it
 * lets through in `extensions.cost`.
 *
 * The checks run in didResolveOperation rather than as Apollo
 * validationRules because Apollo rewrites every validation error's code to
 * GRAPHQL_VALIDATION_FAILED; an error thrown here keeps QUERY_TOO_COMPLEX,
 * which clients can tell apart from a typo. The depth, alias and directive
 * counting is graphql-armor's; the cost rule is ours because armor's cost
 * limit does not know page sizes.
 */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: SecurityConfig, defaultPageSize: number): ApolloServerPlugin {
  const checker = queryLimits(schema, limits, defaultPageSize);
  const costs = new WeakMap<object, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const cost = checker.check(rc.document, rc.operation, rc.request.variables ?? {});
          if (cost !== undefined) costs.set(rc.request, cost);
        },
        async willSendResponse(rc) {
          const cost = costs.get(rc.request);
          if (cost === undefined || rc.response.body.kind !== "single") return;
          const result = rc.response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { requested: cost, limit: limits.maxCost } };
        },
      };
    },
  };
}

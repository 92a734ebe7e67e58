import {
  type DocumentNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from "graphql";
import { fragmentsOf } from "../documents";

/** What working out a cost found besides the cost (operationCost's last argument). */
export interface CostReport {
  /** Filled with the names of the variables the cost read. */
  readVariables?: Set<string>;
  /** Set to false when the variables do not coerce to their types: the operation will fail, and the cost was priced from the raw values. */
  variablesValid?: boolean;
}

export interface CostOptions {
  /** Page size of a list whose size no `first`/`last` argument gives. */
  defaultListSize: number;
  /**
   * Known upper bounds of lists that take no page arguments, by
   * "Type.field": a year has 12 months, a month at most 31 days. Without
   * them the archive tree would be priced as 20 x 20 x 20 entries.
   */
  listSizes?: Readonly<Record<string, number>>;
}

/**
 * The cost of an operation before it runs: every field costs 1, and the
 * fields under a list cost as many times as the list can have entries —
 * its `first`/`last` argument (on the list itself, or on the connection
 * that holds it), a known bound, or the default page size. So
 * `articles(first: 50) { edges { node { tags { name } } } }` costs
 * 1 + 1 + 50 × (1 + 1 + 20 × 1): what the response can hold, not what the
 * database happens to return.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  options: CostOptions,
  report?: CostReport,
): number {
  const fragments = fragmentsOf(document);
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // Sizes come from the variables as execution will see them, defaults of
  // the operation's own variable definitions included.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  const variableValues = coerced.coerced ?? variables;
  if (report) report.variablesValid = !coerced.errors;
  const readVariables = report?.readVariables;

  function pageSize(field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]): number | undefined {
    if (!field.args.some((a) => a.name === "first" || a.name === "last")) return undefined;
    let args: Record<string, unknown> = {};
    if (readVariables) visit(node, { Variable: (v) => void readVariables.add(v.name.value) });
    try {
      args = getArgumentValues(field, node, variableValues);
    } catch {
      // Bad arguments fail at execution with their own error; price the default page.
    }
    const size = [args.first, args.last].find((v) => typeof v === "number");
    return typeof size === "number" ? Math.max(0, size) : options.defaultListSize;
  }

  function costOf(
    set: SelectionSetNode,
    type: GraphQLNamedType,
    multiplier: number,
    pending: number | undefined,
    seen: Set<string>,
  ): number {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        cost += costOf(selection.selectionSet, on, multiplier, pending, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value) ?? type;
        cost += costOf(fragment.selectionSet, on, multiplier, pending, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.name.value.startsWith("__")) continue;
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      cost += multiplier;
      if (!selection.selectionSet) continue;
      const size = pageSize(field, selection);
      const isList = isListType(getNullableType(field.type));
      const childMultiplier = isList
        ? multiplier * (size ?? pending ?? options.listSizes?.[`${type.name}.${field.name}`] ?? options.defaultListSize)
        : multiplier;
      cost += costOf(selection.selectionSet, getNamedType(field.type), childMultiplier, isList ? undefined : size, seen);
    }
    return cost;
  }

  return costOf(operation.selectionSet, root, 1, undefined, new Set());
}

/**
 * The variables an operation's cost can depend on: those in the arguments
 * of the fields whose page size it reads (the argument list is read as a
 * whole, so a missing required argument there prices the default page).
 * Which fields those are follows from the document and the schema alone.
 */
export function pageSizeVariables(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, options: CostOptions): string[] {
  const readVariables = new Set<string>();
  operationCost(schema, document, operation, {}, options, { readVariables });
  return [...readVariables];
}

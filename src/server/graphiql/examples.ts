import fs from "node:fs";
import path from "node:path";
import { Kind, type OperationDefinitionNode, parse, type TypeNode } from "graphql";

export interface ExampleTab {
  query: string;
  variables: string;
}

// The front end's own operations are the best examples of the API; the
// front page goes first because it needs no variables.
const FIRST = "front-page.graphql";

function operationsDir(): string {
  // src/server/graphiql when run from source, dist/src/server/graphiql when built.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "schema", "operations");
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`schema/operations was not found above ${__dirname}.`);
}

function placeholder(type: TypeNode): unknown {
  const named = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (named.kind !== Kind.NAMED_TYPE) return [];
  return { Int: 1, Float: 1, Boolean: false }[named.name.value] ?? "";
}

/** Required variables without a default get a placeholder, so that a tab is ready to edit and run. */
function variablesOf(operation: OperationDefinitionNode): string {
  const required = (operation.variableDefinitions ?? []).filter((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue);
  if (required.length === 0) return "";
  return JSON.stringify(Object.fromEntries(required.map((v) => [v.variable.name.value, placeholder(v.type)])), null, 2);
}

let cached: ExampleTab[] | undefined;

/** One GraphiQL tab per contract operation in schema/operations. */
export function exampleTabs(): ExampleTab[] {
  if (cached) return cached;
  const dir = operationsDir();
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".graphql"))
    .sort((a, b) => (a === FIRST ? -1 : b === FIRST ? 1 : a.localeCompare(b)));
  cached = files.map((file) => {
    const query = fs.readFileSync(path.join(dir, file), "utf8");
    const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    return { query, variables: operation ? variablesOf(operation) : "" };
  });
  return cached;
}

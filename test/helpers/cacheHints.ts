import { Kind, type ObjectTypeDefinitionNode, isObjectType, type GraphQLSchema } from "graphql";

/**
 * Gives every object type that carries no @cacheControl hint of its own a
 * maxAge, the way the schema's hints do, so that response-cache tests do not
 * depend on which types the schema marks cacheable; types with their own
 * hints keep them.
 */
export function defaultCacheHints(schema: GraphQLSchema, maxAge = 60): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const own = type.astNode?.directives?.some((d) => d.name.value === "cacheControl");
    if (own) continue;
    const node: ObjectTypeDefinitionNode = {
      kind: Kind.OBJECT_TYPE_DEFINITION,
      name: { kind: Kind.NAME, value: type.name },
      directives: [
        {
          kind: Kind.DIRECTIVE,
          name: { kind: Kind.NAME, value: "cacheControl" },
          arguments: [
            { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "maxAge" }, value: { kind: Kind.INT, value: String(maxAge) } },
          ],
        },
      ],
    };
    (type as { astNode: ObjectTypeDefinitionNode | null | undefined }).astNode = node;
  }
}

import { type DocumentNode, type FragmentDefinitionNode, Kind } from "graphql";

/** A document's fragment definitions by name, for walks that follow fragment spreads. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/**
 * Whether the field being resolved asks, through its selections, for the
 * field at `path` (field names, outermost first), looking through fragment
 * spreads and inline fragments. A field under @skip or @include counts as
 * asked for: reading what a directive then drops costs time, never
 * correctness.
 */
export function selectsPath(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, path: readonly string[]): boolean {
  const within = (set: SelectionSetNode | undefined, rest: readonly string[], seen: ReadonlySet<string>): boolean => {
    if (!set) return false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== rest[0]) continue;
        if (rest.length === 1 || within(selection.selectionSet, rest.slice(1), seen)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (within(selection.selectionSet, rest, seen)) return true;
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (fragment && !seen.has(name) && within(fragment.selectionSet, rest, new Set([...seen, name]))) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => within(node.selectionSet, path, new Set()));
}

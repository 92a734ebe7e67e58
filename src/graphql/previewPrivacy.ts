import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { type DocumentNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { fragmentsOf } from "./documents";
import { badUserInput } from "./errors";

/** The root `preview` fields of an operation whose token is written into the document instead of passed as a variable. */
function literalPreviewToken(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = fragmentsOf(document);
  const walk = (set: SelectionSetNode, seen: Set<string>): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD)
        return s.name.value === "preview" && (s.arguments ?? []).some((a) => a.name.value === "token" && a.value.kind !== Kind.VARIABLE);
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet, seen);
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(fragment.name.value)) return false;
      return walk(fragment.selectionSet, new Set([...seen, fragment.name.value]));
    });
  return operation.operation === "query" && walk(operation.selectionSet, new Set());
}

/**
 * A preview answer shows what readers must not see yet, to whoever holds
 * the token: it goes out as `Cache-Control: private, no-store`
 * (markAnswerPrivate, src/cache/cachePolicy.ts), and a token written into
 * the query text is refused before Apollo could keep that text as a
 * persisted query: it must come as a variable, which is stored and logged
 * nowhere.
 */
export function previewPrivacyPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation }) {
          if (operation && literalPreviewToken(document, operation)) {
            throw badUserInput(
              "Pass the preview token as a variable ($token), not written into the query text, which may be stored and logged.",
              "token",
            );
          }
        },
      };
    },
  };
}

import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { type DocumentNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { fragmentsOf } from "../documents";
import { badUserInput } from "../errors";

/** What the cache policy needs of the publication scheduler. */
export interface NextPublication {
  secondsUntilNext(now?: number): number | undefined;
}

/**
 * Cuts a query's maxAge to the seconds left until the next scheduled
 * publication. Both response caches and the Cache-Control header read the
 * same policy, so no cached answer and no CDN copy outlives the moment an
 * article goes live; from then on the content version has moved. The due
 * time is kept in memory by the scheduler: no statement per request.
 */
export function scheduledPublicationPlugin<TContext extends BaseContext>(next: NextPublication): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, overallCachePolicy }) {
          if (operation?.operation !== "query") return;
          const seconds = next.secondsUntilNext();
          if (seconds !== undefined) overallCachePolicy.restrict({ maxAge: seconds });
        },
      };
    },
  };
}

/** Requests whose answer carries a preview (a token's article): never stored anywhere. */
const privateAnswers = new WeakSet<object>();

export function markAnswerPrivate(context: object): void {
  privateAnswers.add(context);
}

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
 * the token: it goes out as `Cache-Control: private, no-store` (the
 * preview field's hint already keeps both response caches off it), and a
 * token written into the query text is refused before Apollo could keep
 * that text as a persisted query: it must come as a variable, which is
 * stored and logged nowhere.
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
        async willSendResponse({ contextValue, response }) {
          if (privateAnswers.has(contextValue)) response.http.headers.set("cache-control", "private, no-store");
        },
      };
    },
  };
}

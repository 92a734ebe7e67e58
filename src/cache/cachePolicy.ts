import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import {
  type ConstDirectiveNode,
  type DocumentNode,
  getNamedType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { DocumentMemo, fragmentsOf } from "../graphql/documents";

/** A policy as Apollo's CachePolicy holds it (@apollo/cache-control-types' CacheHint). */
interface Policy {
  maxAge?: number;
  scope?: "PUBLIC" | "PRIVATE";
}

interface Annotation {
  maxAge?: number;
  scope?: Policy["scope"];
  inheritMaxAge?: boolean;
}

/** A @cacheControl directive's arguments, read the way Apollo's cache control plugin reads them. */
function annotationOf(directives: readonly ConstDirectiveNode[] | undefined): Annotation | undefined {
  const directive = directives?.find((d) => d.name.value === "cacheControl");
  if (!directive?.arguments) return undefined;
  const arg = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const scopeValue = arg("scope");
  const scope =
    scopeValue?.kind === Kind.ENUM && (scopeValue.value === "PUBLIC" || scopeValue.value === "PRIVATE") ? scopeValue.value : undefined;
  const inherit = arg("inheritMaxAge");
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, scope };
  const maxAge = arg("maxAge");
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined, scope };
}

function typeAnnotation(type: GraphQLNamedType): Annotation {
  for (const node of [type.astNode, ...(type.extensionASTNodes ?? [])]) {
    const found = annotationOf(node?.directives);
    if (found) return found;
  }
  return {};
}

/** Apollo's CachePolicy.restrict: the smaller maxAge, and PRIVATE over PUBLIC. */
function restrict(policy: Policy, hint: Policy): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== "PRIVATE") policy.scope = hint.scope;
}

/**
 * The hint one resolved field adds to the response's policy, by the rules
 * of Apollo's cache control plugin: the returned type's hint, replaced by
 * the field's own; composite fields without one (unless they inherit) and
 * root fields without one make the response uncacheable.
 */
function fieldHint(field: GraphQLField<unknown, unknown>, isRoot: boolean): Policy {
  const hint: Policy = {};
  const target = getNamedType(field.type);
  let inherits = false;
  if (isCompositeType(target)) {
    const t = typeAnnotation(target);
    Object.assign(hint, definedOf(t));
    inherits = Boolean(t.inheritMaxAge);
  }
  const own = annotationOf(field.astNode?.directives) ?? {};
  if (own.inheritMaxAge && hint.maxAge === undefined) {
    inherits = true;
    if (own.scope) hint.scope = own.scope;
  } else {
    Object.assign(hint, definedOf(own));
  }
  if (hint.maxAge === undefined && ((isCompositeType(target) && !inherits) || isRoot)) hint.maxAge = 0;
  return hint;
}

function definedOf(a: Annotation): Policy {
  const hint: Policy = {};
  if (a.maxAge !== undefined) hint.maxAge = a.maxAge;
  if (a.scope !== undefined) hint.scope = a.scope;
  return hint;
}

/**
 * The policy of every field the operation selects, worked out from the
 * document and the schema's hints without running it. It can only be
 * stricter than what Apollo's per-field hooks would find (they see only
 * the fields that were resolved: not those under a null or an empty list,
 * nor fragments on other types), never looser.
 */
export function operationCachePolicy(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Policy {
  const fragments = fragmentsOf(document);
  const root = schema.getRootType(operation.operation);
  const policy: Policy = {};
  if (!root) return policy;

  function walk(set: SelectionSetNode, type: GraphQLCompositeType, isRoot: boolean, seen: ReadonlySet<string>): void {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (isCompositeType(on)) walk(selection.selectionSet, on, isRoot, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (isCompositeType(on)) walk(fragment.selectionSet, on, isRoot, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.name.value.startsWith("__")) continue;
      // A field selected on an interface or union is resolved on the object type the value turns out to be.
      const objects = isAbstractType(type) ? schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
      for (const object of objects) {
        const field = object.getFields()[selection.name.value];
        if (!field) continue;
        restrict(policy, fieldHint(field, isRoot));
        const target = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(target)) walk(selection.selectionSet, target, false, seen);
      }
    }
  }

  walk(operation.selectionSet, root, true, new Set());
  return policy;
}

/** What the cache policy needs of the publication scheduler. */
export interface NextPublication {
  secondsUntilNext(now?: number): number | undefined;
}

/** Requests whose answer carries a preview (a token's article): never stored anywhere. */
const privateAnswers = new WeakSet<object>();

/** Called by a resolver that puts what readers must not see yet into the answer (a preview). */
export function markAnswerPrivate(context: object): void {
  privateAnswers.add(context);
}

/** Apollo's Cache-Control values: `max-age=N, public|private`, or `no-store`. */
function headerOf(policy: Required<Policy> | null): string {
  return policy ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}` : "no-store";
}

/**
 * The one place a response's cache policy is decided, through Apollo's
 * public plugin API.
 *
 * Apollo's own cache control plugin is switched off (its public
 * ApolloServerPluginCacheControlDisabled): it works the policy out with a
 * per-field hook, which makes Apollo wrap every resolver and run plugin
 * code for each field of every response (about 650 on the front page, a
 * tenth of the gateway's CPU), and which graphql-jit (src/graphql/compiledExecutor.ts)
 * would bypass anyway. The schema's hints are static, so the policy of an
 * operation is worked out once per parsed document (Apollo's document store
 * keeps one DocumentNode per query text) by the same rules
 * (operationCachePolicy, checked against Apollo's plugin in
 * test/unit/cachePolicy.test.ts), then:
 * - a mutation's answer is never stored (it would otherwise take the
 *   returned type's maxAge);
 * - a query's maxAge is cut to the seconds left until the next scheduled
 *   publication (`schedule`, kept in memory by the publication scheduler: no
 *   statement per request), so that no cached answer and no CDN copy
 *   outlives the moment an article goes live;
 * - an answer that carries a preview goes out as `private, no-store`.
 * The Cache-Control header is written as Apollo's plugin writes it; the
 * HTTP response cache (src/cache/httpResponseCache.ts) keeps exactly the
 * answers whose header says any cache may.
 */
export function cachePolicyPlugins<TContext extends BaseContext>(schema: GraphQLSchema, schedule?: NextPublication): ApolloServerPlugin<TContext>[] {
  // Per document and operation name; a client could send any number of names.
  const policies = new DocumentMemo<Policy>(16);
  const policyFor = (document: DocumentNode, operation: OperationDefinitionNode) =>
    policies.getOrMake(document, operation.name?.value ?? "", () => operationCachePolicy(schema, document, operation));

  const policy: ApolloServerPlugin<TContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, overallCachePolicy }) {
          if (!operation) return;
          if (operation.operation !== "query") {
            overallCachePolicy.restrict({ maxAge: 0 });
            return;
          }
          overallCachePolicy.restrict(policyFor(document, operation));
          const seconds = schedule?.secondsUntilNext();
          if (seconds !== undefined) overallCachePolicy.restrict({ maxAge: seconds });
        },
        async willSendResponse({ contextValue, response, overallCachePolicy }) {
          if (privateAnswers.has(contextValue)) {
            response.http.headers.set("cache-control", "private, no-store");
            return;
          }
          const cacheable = response.body.kind === "single" && !response.body.singleResult.errors;
          response.http.headers.set("cache-control", headerOf(cacheable ? overallCachePolicy.policyIfCacheable() : null));
        },
      };
    },
  };
  return [ApolloServerPluginCacheControlDisabled(), policy];
}

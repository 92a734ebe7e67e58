import { type GraphQLFieldResolver, GraphQLScalarType, type GraphQLSchema, isObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { hasRules } from "./validation";

/**
 * type-graphql calls every resolver method through one general wrapper:
 * for each call it sorts the method's parameter list, builds each argument
 * through an async validation step (a promise per argument, then
 * Promise.all over them), and runs the middleware chain. That is the right
 * price for a mutation whose input carries class-validator rules; for
 * `Tag.articleCount(language)` answered fifty times on a front page whose
 * site has fifty rubrics, it cost more than the field's own work (the
 * promises and the garbage they leave were a fifth of the front page's
 * CPU). type-graphql keeps this path for every field resolver by design
 * (MichalLytek/type-graphql#487), so the schema's own resolve functions
 * are replaced, once, where nothing of that machinery can apply:
 *
 * - no middleware and no @Authorized roles on the method (nor globally);
 * - every parameter is the root, the context (or one of its properties),
 *   the info, or an argument of a scalar or enum type, or an @Args class
 *   made only of such fields and without class-validator rules.
 *
 * Such a method gets its parameters built directly, in its declared order,
 * exactly as type-graphql would build them (the root made an instance of
 * its class when it is a plain object; an @Args class instantiated with
 * its defaults and the given fields); the method runs on the resolver
 * class's one instance, as with type-graphql's default container. Any
 * other method (mutations' inputs, list arguments of input types, guarded
 * fields) keeps type-graphql's resolver.
 */

type Metadata = ReturnType<typeof getMetadataStorage>;
type ResolverMeta = Metadata["queries"][number] & { kind?: string; getObjectType?: () => Function };
type ParamMeta = NonNullable<ResolverMeta["params"]>[number] & {
  name?: string;
  propertyName?: string;
  getType?: () => unknown;
  validateSettings?: unknown;
  validateFn?: unknown;
  typeOptions?: { array?: boolean };
};
/** The resolve functions made here (for tests that check which fields are served directly). */
const LEAN = new WeakSet<object>();

/** Whether a field's resolve function is one made here, not type-graphql's. */
export function isLeanResolver(resolve: unknown): boolean {
  return typeof resolve === "function" && LEAN.has(resolve);
}

type Build = (root: unknown, args: Record<string, unknown>, context: Record<string, unknown>, info: unknown) => unknown;

const SIMPLE = new Set<unknown>([String, Number, Boolean, Date, Symbol]);

/** Whether a value of this declared type is passed through unchanged by type-graphql: scalars, primitives and enums. */
function isPlainType(type: unknown): boolean {
  if (type instanceof GraphQLScalarType || SIMPLE.has(type)) return true;
  // An enum is a plain object of its values; a class (an input or object type) is a function.
  return typeof type === "object" && type !== null;
}

/** type-graphql's conversion of a root or an @Args object to its class (helpers/types.js convertToType). */
function asInstance(Target: new () => object, data: unknown): unknown {
  if (data === null || data === undefined || typeof data !== "object") return data;
  if (SIMPLE.has((data as object).constructor) || data instanceof Target) return data;
  if (Array.isArray(data)) return data.map((item) => asInstance(Target, item));
  const instance = new Target() as Record<string, unknown>;
  for (const key of Object.keys(instance)) if (instance[key] === undefined && !(key in data)) delete instance[key];
  return Object.assign(instance, data);
}

/** The fields of an @Args class, its superclasses' included (as type-graphql collects them). */
function argsFields(metadata: Metadata, ArgsClass: Function): { name: string; getType: () => unknown }[] | null {
  const fields: { name: string; getType: () => unknown }[] = [];
  for (let cls: Function | null = ArgsClass; cls && cls.prototype !== undefined; cls = Object.getPrototypeOf(cls) as Function | null) {
    const type = metadata.argumentTypes.find((t) => t.target === cls);
    if (type) fields.push(...(type.fields as unknown as { name: string; getType: () => unknown }[]));
    else if (cls === ArgsClass) return null;
  }
  return fields;
}

/** How to build one parameter, or null when only type-graphql's own path can build it. */
function paramBuilder(metadata: Metadata, p: ParamMeta): Build | null {
  if (p.validateFn !== undefined || (p.validateSettings !== undefined && p.validateSettings !== false)) return null;
  switch (p.kind) {
    case "context": {
      const property = p.propertyName;
      return property ? (_r, _a, context) => context[property] : (_r, _a, context) => context;
    }
    case "info":
      return (_r, _a, _c, info) => info;
    case "root": {
      const property = p.propertyName;
      const Type = p.getType?.() as (new () => object) | undefined;
      const value = property ? (root: unknown) => (root as Record<string, unknown> | null | undefined)?.[property] : (root: unknown) => root;
      if (!Type) return value;
      return (root) => asInstance(Type, value(root));
    }
    case "arg": {
      const name = p.name as string;
      return isPlainType(p.getType?.()) ? (_r, args) => args[name] : null;
    }
    case "args": {
      const ArgsClass = p.getType?.() as new () => object;
      const fields = argsFields(metadata, ArgsClass);
      if (!fields || hasRules(ArgsClass) || !fields.every((f) => isPlainType(f.getType()))) return null;
      return (_r, args) => {
        const given: Record<string, unknown> = {};
        for (const f of fields) if (args[f.name] !== undefined) given[f.name] = args[f.name];
        return asInstance(ArgsClass, given);
      };
    }
    default:
      return null;
  }
}

/** The lean resolve function for one resolver method, or null when it must keep type-graphql's. */
function leanResolver(metadata: Metadata, r: ResolverMeta, instances: Map<Function, object>): GraphQLFieldResolver<unknown, Record<string, unknown>> | null {
  if ((r.roles !== undefined && r.roles !== null) || (r.middlewares?.length ?? 0) > 0) return null;
  const params = [...((r.params ?? []) as ParamMeta[])].sort((a, b) => a.index - b.index);
  const builders: Build[] = [];
  for (const [i, p] of params.entries()) {
    const build = p.index === i ? paramBuilder(metadata, p) : null;
    if (!build) return null;
    builders.push(build);
  }
  const Target = r.target as new () => Record<string, (...a: unknown[]) => unknown>;
  let instance = instances.get(Target) as Record<string, (...a: unknown[]) => unknown> | undefined;
  if (!instance) instances.set(Target, (instance = new Target()));
  const method = instance[r.methodName];
  if (typeof method !== "function") return null;
  const target = instance;
  switch (builders.length) {
    case 0:
      return () => method.call(target);
    case 1: {
      const [a] = builders;
      return (root, args, context, info) => method.call(target, a(root, args, context as Record<string, unknown>, info));
    }
    case 2: {
      const [a, b] = builders;
      return (root, args, context, info) => method.call(target, a(root, args, context as Record<string, unknown>, info), b(root, args, context as Record<string, unknown>, info));
    }
    default:
      return (root, args, context, info) => method.apply(target, builders.map((build) => build(root, args, context as Record<string, unknown>, info)));
  }
}

/**
 * Replaces type-graphql's resolve functions of the schema's queries and
 * field resolvers with lean ones where that is exactly equivalent (see
 * above). Mutations and subscriptions keep theirs. Called once on the
 * built schema, before anything executes on it, with the build's global
 * middlewares (any at all keep every resolver on type-graphql's path).
 * Returns the fields replaced, as "Type.field".
 */
export function useLeanResolvers(schema: GraphQLSchema, globalMiddlewares: readonly unknown[]): string[] {
  if (globalMiddlewares.length > 0) return [];
  const metadata = getMetadataStorage();
  const instances = new Map<Function, object>();
  const replaced: string[] = [];
  const owners = new Map<string, number>();
  const fieldsOf = (typeName: string, rs: readonly ResolverMeta[]) => rs.forEach((r) => owners.set(`${typeName}.${r.schemaName}`, (owners.get(`${typeName}.${r.schemaName}`) ?? 0) + 1));
  const replace = (typeName: string, r: ResolverMeta) => {
    // Two methods for one field: type-graphql decides which one serves it, so it keeps serving it.
    if ((owners.get(`${typeName}.${r.schemaName}`) ?? 0) > 1) return;
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[r.schemaName] : undefined;
    if (!field?.resolve) return;
    if (isLeanResolver(field.resolve)) return;
    const lean = leanResolver(metadata, r, instances);
    if (!lean) return;
    LEAN.add(lean);
    field.resolve = lean;
    replaced.push(`${typeName}.${r.schemaName}`);
  };
  const queryType = schema.getQueryType();
  const fieldResolvers: [string, ResolverMeta][] = [];
  for (const fr of metadata.fieldResolvers as ResolverMeta[]) {
    if (fr.kind !== "external" || !fr.getObjectType) continue;
    const owner = fr.getObjectType();
    // A field resolver also serves the classes that extend its type; those keep type-graphql's.
    if (metadata.objectTypes.some((o) => o.target !== owner && o.target.prototype instanceof owner)) continue;
    const objectType = metadata.objectTypes.find((o) => o.target === owner);
    if (objectType) fieldResolvers.push([objectType.name, fr]);
  }
  if (queryType) fieldsOf(queryType.name, metadata.queries);
  for (const [typeName, fr] of fieldResolvers) fieldsOf(typeName, [fr]);
  if (queryType) for (const q of metadata.queries) replace(queryType.name, q);
  for (const [typeName, fr] of fieldResolvers) replace(typeName, fr);
  return replaced.sort();
}

import { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt } from "graphql";

/**
 * Apollo Server's @cacheControl, declared so that type-graphql's
 * @Directive can put it on types and fields. src/cache/cachePolicy.ts reads
 * it from there, by the rules of Apollo's cache control plugin: an answer
 * may be kept for the smallest maxAge of everything it selects (0,
 * "no-store", for anything without a hint).
 */
export const cacheControlDirective = new GraphQLDirective({
  name: "cacheControl",
  description: "How long a response that includes this type or field may be cached (Apollo Server cache control).",
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: new GraphQLEnumType({ name: "CacheControlScope", values: { PUBLIC: {}, PRIVATE: {} } }) },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});

/**
 * The hints the schema uses, in one place so that the policy is read and
 * tuned here. Content changes when editors write (and the response cache is
 * retired then), so it may be kept for minutes; view counts and popular
 * lists move with every page view.
 */
export const CacheHint = {
  /** Articles, authors, tags, site lists, the archive. */
  content: "@cacheControl(maxAge: 300)",
  /** View counts and popular lists. */
  live: "@cacheControl(maxAge: 60)",
  /** Live blog entries: a CDN must not hold back a new entry for long (the response cache is retired at once). */
  liveBlog: "@cacheControl(maxAge: 10)",
  /** Search results: a new article should be findable soon. */
  search: "@cacheControl(maxAge: 120)",
  /** Wrappers (pages, edges, archive levels): as long as the field that returned them. */
  inherit: "@cacheControl(inheritMaxAge: true)",
} as const;

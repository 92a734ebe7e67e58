import { Arg, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Article, Collection } from "../entities";
import type { Context } from "../src/graphql/context";
import { toGlobalId } from "../src/graphql/globalId";
import { CacheHint } from "../src/cache/hints";

@Resolver(() => Collection)
export class CollectionResolver {
  @Directive(CacheHint.content)
  @Query(() => Collection, { nullable: true, description: 'A named list, such as "popular" as the site itself ranked it.' })
  collection(@Arg("slug") slug: string, @Ctx() ctx: Context): Promise<Collection | null> {
    return ctx.loaders.collectionBySlug.load(slug);
  }

  @FieldResolver(() => ID)
  id(@Root() collection: Collection): string {
    return toGlobalId("Collection", collection.id);
  }

  @FieldResolver(() => [Article], { description: "The list's articles, in its order." })
  articles(@Root() collection: Collection, @Ctx() ctx: Context): Promise<Article[]> {
    return ctx.loaders.articlesOfCollection.load(collection.id);
  }
}

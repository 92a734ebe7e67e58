import { Arg, Ctx, Directive, ID, Query, Resolver } from "type-graphql";
import { Node } from "../entities";
import type { Context } from "../src/graphql/context";
import { fromGlobalId } from "../src/graphql/globalId";
import { CacheHint } from "../src/cache/hints";

@Resolver()
export class NodeResolver {
  @Directive(CacheHint.content)
  @Query(() => Node, { nullable: true, description: "Any object by its global ID; null when there is none." })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const ref = fromGlobalId(id);
    const found =
      ref.type === "Article"
        ? await ctx.loaders.articleById.load(ref.id)
        : ref.type === "Author"
          ? await ctx.loaders.authorById.load(ref.id)
          : ref.type === "Tag"
            ? await ctx.loaders.tagById.load(ref.id)
            : ref.type === "Image"
              ? await ctx.loaders.imageById.load(ref.id)
              : ref.type === "Collection"
                ? await ctx.loaders.collectionById.load(ref.id)
                : null; // Live blog entries are read through their article.
    return found as unknown as Node | null;
  }
}

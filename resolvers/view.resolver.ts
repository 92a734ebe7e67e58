import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../src/graphql/context";
import { idOf } from "../src/graphql/globalId";

@Resolver()
export class ViewResolver {
  @Mutation(() => Boolean, { description: "Counts one page view of a published article. False when there is no such article." })
  async recordView(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<boolean> {
    const article = await ctx.loaders.articleById.load(idOf("Article", articleId, "articleId"));
    if (!article || article.status !== "PUBLISHED") return false;
    // Buffered: the page view does not wait for the write (see ViewCounter).
    ctx.app.views.record(article.id);
    return true;
  }
}

import { Arg, Ctx, Directive, Int, Query, Resolver } from "type-graphql";
import { Article } from "../entities";
import type { Context } from "../src/graphql/context";
import { pageRequest } from "../src/read/paging/pages";
import { PopularWindow, popularArticles } from "../src/read/lists/popular";
import { CacheHint } from "../src/cache/hints";

@Resolver()
export class PopularResolver {
  @Directive(CacheHint.live)
  @Query(() => [Article], { description: "The most-read published articles in a window of time." })
  async popular(
    @Arg("first", () => Int, { defaultValue: 10, description: "How many (0 to 100)." }) first: number,
    @Arg("window", () => PopularWindow, { defaultValue: PopularWindow.WEEK }) window: PopularWindow,
    @Arg("rubric", () => String, { nullable: true, description: "Only articles of this rubric (slug)." }) rubric: string | null,
    @Ctx() ctx: Context,
  ): Promise<Article[]> {
    pageRequest({ first }, "popular", ctx.app.config);
    if (first === 0) return [];
    const articles = await popularArticles(ctx.reader, { first, window, rubric });
    for (const a of articles) ctx.loaders.articleById.prime(a.id, a);
    return articles;
  }
}

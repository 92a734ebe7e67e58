import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Author } from "../entities";
import type { Context } from "../src/graphql/context";
import { badUserInput } from "../src/graphql/errors";
import { idOf, toGlobalId } from "../src/graphql/globalId";
import { pageRequest } from "../src/read/paging/pages";
import { toPage } from "../src/read/paging/keyset";
import { ChildArticlesArgs } from "./types/articles-args";
import { ArticleConnection } from "./types/connection";
import { CacheHint } from "../src/cache/hints";

@Resolver(() => Author)
export class AuthorResolver {
  @Directive(CacheHint.content)
  @Query(() => Author, { nullable: true, description: "One author by id or slug; null when there is none." })
  author(
    @Arg("slug", () => String, { nullable: true }) slug: string | null,
    @Arg("id", () => ID, { nullable: true }) id: string | null,
    @Ctx() ctx: Context,
  ): Promise<Author | null> {
    if (Boolean(slug) === Boolean(id)) throw badUserInput("Pass exactly one of id or slug.", "slug");
    return id ? ctx.loaders.authorById.load(idOf("Author", id)) : ctx.loaders.authorBySlug.load(slug as string);
  }

  @FieldResolver(() => ID)
  id(@Root() author: Author): string {
    return toGlobalId("Author", author.id);
  }

  @FieldResolver(() => Int, { description: "Number of published articles." })
  articleCount(@Root() author: Author, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.articleCountOfAuthor.load(author.id);
  }

  @FieldResolver(() => ArticleConnection, { description: "The author's published articles, newest first." })
  async articles(@Root() author: Author, @Args() args: ChildArticlesArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    const page = pageRequest(args, args.orderBy, ctx.app.config);
    const rows = page.limit === 0 ? [] : await ctx.loaders.articlesOfAuthor.load({ parentId: author.id, page, order: args.orderBy });
    return { ...toPage(rows, args.orderBy, page), countAll: () => ctx.loaders.articleCountOfAuthor.load(author.id) };
  }
}

import { Arg, Args, Ctx, Directive, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Article, Author, Tag, TagKind } from "../entities";
import type { Context } from "../src/graphql/context";
import { badUserInput } from "../src/graphql/errors";
import { idOf, toGlobalId } from "../src/graphql/globalId";
import { pageRequest } from "../src/read/paging/pages";
import { listArticles } from "../src/read/lists/articleList";
import { toPage } from "../src/read/paging/keyset";
import { ArticleLookupArgs } from "./types/article-lookup-args";
import { ArticlesArgs } from "./types/articles-args";
import { ArticleConnection } from "./types/connection";
import { CacheHint } from "../src/cache/hints";
import { authorOfArticle } from "../src/read/loaders/authors";

@Resolver(() => Article)
export class ArticleResolver {
  @Directive(CacheHint.content)
  @Query(() => Article, { nullable: true, description: "One article by exactly one of id, slug or path; null when there is none." })
  async article(@Args() { id, slug, path }: ArticleLookupArgs, @Ctx() ctx: Context): Promise<Article | null> {
    const given = [id, slug, path].filter((v) => v !== undefined && v !== null).length;
    if (given !== 1) throw badUserInput("Pass exactly one of id, slug or path.", "slug");
    if (id) return ctx.loaders.articleById.load(idOf("Article", id));
    if (slug) return ctx.loaders.articleBySlug.load(slug);
    return ctx.loaders.articleByPath.load(path as string);
  }

  @Directive(CacheHint.content)
  @Query(() => ArticleConnection, { description: "Published articles, newest first unless orderBy says otherwise." })
  async articles(@Args() args: ArticlesArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    const page = pageRequest(args, args.orderBy, ctx.app.config);
    const filter = args.filter ?? null;
    const rows = await listArticles(ctx.reader, filter, args.orderBy, page);
    for (const a of rows) ctx.loaders.articleById.prime(a.id, a);
    return { ...toPage(rows, args.orderBy, page), countAll: () => ctx.loaders.articleCount.load(filter ?? {}) };
  }

  @FieldResolver(() => ID)
  id(@Root() article: Article): string {
    return toGlobalId("Article", article.id);
  }

  @FieldResolver(() => [String], { description: "Body paragraphs, in order." })
  async paragraphs(@Root() article: Article, @Ctx() ctx: Context): Promise<string[]> {
    // Lists read articles without their bodies (ARTICLE_TEASER_COLUMNS); the body comes when a page asks for it.
    if (article.body === undefined) article.body = await ctx.loaders.articleBodies.load(article.id);
    return article.paragraphs;
  }

  @FieldResolver(() => Author, { nullable: true })
  author(@Root() article: Article, @Ctx() ctx: Context): Promise<Author | null> | Author | null {
    return authorOfArticle(article, ctx.loaders.authorById);
  }

  @FieldResolver(() => [Tag], { description: "Rubrics and hashtags together, in page order." })
  tags(@Root() article: Article, @Ctx() ctx: Context): Promise<Tag[]> {
    return ctx.loaders.tagsByArticleId.load(article.id);
  }

  @FieldResolver(() => [Tag], { description: "The site sections the article belongs to, in page order." })
  async rubrics(@Root() article: Article, @Ctx() ctx: Context): Promise<Tag[]> {
    return (await ctx.loaders.tagsByArticleId.load(article.id)).filter((t) => t.kind === TagKind.RUBRIC);
  }

  @FieldResolver(() => [Tag], { description: "The article's hashtags, in page order." })
  async hashtags(@Root() article: Article, @Ctx() ctx: Context): Promise<Tag[]> {
    return (await ctx.loaders.tagsByArticleId.load(article.id)).filter((t) => t.kind === TagKind.HASHTAG);
  }

  @FieldResolver(() => [Article], {
    description: '"Read also": the editors\' related articles in their order, then published articles sharing the most (and the rarest) rubrics and hashtags, fresher first.',
  })
  async related(
    @Root() article: Article,
    @Arg("first", () => Int, { defaultValue: 4, description: "How many (0 to 100)." }) first: number,
    @Ctx() ctx: Context,
  ): Promise<Article[]> {
    pageRequest({ first }, "related", ctx.app.config);
    if (first === 0) return [];
    return ctx.loaders.relatedArticles.load({ articleId: article.id, first });
  }
}

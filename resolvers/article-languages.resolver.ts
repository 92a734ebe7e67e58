import { GraphQLJSON } from "graphql-scalars";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { Article, ArticleStatus, TagKind } from "../entities";
import type { Context } from "../src/graphql/context";
import { clearArticleLoaders } from "../src/write/clearLoaders";
import { linkTranslations, unlinkTranslation } from "../src/write/translationWrites";
import { idOf } from "../src/graphql/globalId";
import { newsArticleJsonLd } from "../src/read/structured/newsArticle";

const EDITORS = ["editor", "admin"];

/** Language versions of an article and its structured data. */
@Resolver(() => Article)
export class ArticleLanguagesResolver {
  @FieldResolver(() => [Article], {
    description: "The other language versions of this story (its translation group), by language. Readers see published versions only.",
  })
  translations(@Root() article: Article, @Ctx() ctx: Context): Promise<Article[]> {
    return ctx.loaders.translationsByArticleId.load(article.id);
  }

  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description: "The article as a schema.org NewsArticle, for a JSON-LD script on its page; null for a stub.",
  })
  async jsonLd(@Root() article: Article, @Ctx() ctx: Context): Promise<Record<string, unknown> | null> {
    if (article.status === ArticleStatus.STUB) return null;
    const [author, tags, translations] = await Promise.all([
      article.authorId === null ? null : ctx.loaders.authorById.load(article.authorId),
      ctx.loaders.tagsByArticleId.load(article.id),
      ctx.loaders.translationsByArticleId.load(article.id),
    ]);
    return newsArticleJsonLd(ctx.app.config.site, {
      article,
      author,
      rubrics: tags.filter((t) => t.kind === TagKind.RUBRIC),
      hashtags: tags.filter((t) => t.kind === TagKind.HASHTAG),
      translations,
    });
  }
}

/** Editors' writes to translation groups; each is one transaction. */
@Resolver()
export class TranslationMutationResolver {
  @Authorized(EDITORS)
  @Mutation(() => [Article], {
    description: "Makes these articles (and the groups they are already in) versions of one story; at most one article per language. Returns the group.",
  })
  async linkTranslations(@Arg("articleIds", () => [ID]) articleIds: string[], @Ctx() ctx: Context): Promise<Article[]> {
    const ids = await linkTranslations(ctx.app.db.dataSource, articleIds.map((id) => idOf("Article", id, "articleIds")));
    clearArticleLoaders(ctx.loaders);
    const articles = await ctx.loaders.articleById.loadMany(ids);
    return articles.filter((a): a is Article => a instanceof Article);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Takes the article out of its translation group; a group left with one article is dissolved." })
  async unlinkTranslation(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await unlinkTranslation(ctx.app.db.dataSource, id);
    clearArticleLoaders(ctx.loaders);
    return (await ctx.loaders.articleById.load(id)) as Article;
  }
}

import { Arg, Args, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Article } from "../entities";
import type { Context } from "../src/graphql/context";
import * as writes from "../src/write/articleWrites";
import { clearArticleLoaders, writtenArticle } from "../src/write/clearLoaders";
import { idOf } from "../src/graphql/globalId";
import { CreateArticleInput, UpdateArticleInput } from "./types/article-input";
import { SetHashtagsArgs, SetRelatedArgs, SetRubricsArgs } from "./types/article-lists-input";

const EDITORS = ["editor", "admin"];

/** The key's name goes into the revisions a write keeps. */
function keyNameOf(ctx: Context): string | null {
  return ctx.viewer.keyName ?? null;
}

function authorIdOf(value: string | null | undefined): number | null | undefined {
  return value === undefined || value === null ? value : idOf("Author", value, "authorId");
}

/** Editors' writes to articles. Each is one transaction; the article is read back through fresh loaders. */
@Resolver(() => Article)
export class ArticleMutationResolver {
  private written(ctx: Context, id: number): Promise<Article> {
    return writtenArticle(ctx.loaders, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Creates a draft." })
  async createArticle(@Arg("input", () => CreateArticleInput) input: CreateArticleInput, @Ctx() ctx: Context): Promise<Article> {
    const id = await writes.createArticle(ctx.app.db.dataSource, { ...input, authorId: authorIdOf(input.authorId) }, keyNameOf(ctx));
    return this.written(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article)
  async updateArticle(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateArticleInput) input: UpdateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const articleId = idOf("Article", id);
    await writes.updateArticle(ctx.app.db.dataSource, articleId, { ...input, title: input.title ?? undefined, authorId: authorIdOf(input.authorId) }, keyNameOf(ctx));
    return this.written(ctx, articleId);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, {
    description: "Makes the article public, dated publishedAt, its own date, or now. A date still ahead schedules it (SCHEDULED): readers see nothing of it until that time, when it is published by itself.",
  })
  async publishArticle(
    @Arg("id", () => ID) id: string,
    @Arg("publishedAt", () => Date, { nullable: true }) publishedAt: Date | null,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const articleId = idOf("Article", id);
    await writes.publishArticle(ctx.app.db.dataSource, articleId, publishedAt, keyNameOf(ctx));
    return this.written(ctx, articleId);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Turns the article back into a draft that readers do not see." })
  async unpublishArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    const articleId = idOf("Article", id);
    await writes.unpublishArticle(ctx.app.db.dataSource, articleId, keyNameOf(ctx));
    return this.written(ctx, articleId);
  }

  @Authorized(EDITORS)
  @Mutation(() => ID, { description: "Deletes the article for everyone; returns its ID." })
  async deleteArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    await writes.deleteArticle(ctx.app.db.dataSource, idOf("Article", id));
    clearArticleLoaders(ctx.loaders);
    return id;
  }

  @Authorized(EDITORS)
  @Mutation(() => Article)
  async setArticleRubrics(@Args() { articleId, rubricIds }: SetRubricsArgs, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.setArticleRubrics(ctx.app.db.dataSource, id, rubricIds.map((r) => idOf("Tag", r, "rubricIds")), keyNameOf(ctx));
    return this.written(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article)
  async setArticleHashtags(@Args() { articleId, hashtags }: SetHashtagsArgs, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.setArticleHashtags(ctx.app.db.dataSource, id, hashtags, keyNameOf(ctx));
    return this.written(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article)
  async setRelatedArticles(@Args() { articleId, relatedIds }: SetRelatedArgs, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.setRelatedArticles(ctx.app.db.dataSource, id, relatedIds.map((r) => idOf("Article", r, "relatedIds")));
    return this.written(ctx, id);
  }
}

import { Arg, Args, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Article, LiveEntry } from "../entities";
import type { Context } from "../src/graphql/context";
import { clearArticleLoaders } from "../src/write/clearLoaders";
import { idOf } from "../src/graphql/globalId";
import * as writes from "../src/live/liveBlogWrites";
import { AddLiveEntryArgs, UpdateLiveEntryArgs } from "./types/live-blog";

const EDITORS = ["editor", "admin"];

/** Editors run live blogs. Each write is one transaction; what it wrote is read back through fresh loaders. */
@Resolver()
export class LiveBlogMutationResolver {
  private async article(ctx: Context, id: number): Promise<Article> {
    clearArticleLoaders(ctx.loaders);
    return (await ctx.loaders.articleById.load(id)) as Article;
  }

  private async entry(ctx: Context, id: number): Promise<LiveEntry> {
    clearArticleLoaders(ctx.loaders);
    return (await ctx.loaders.liveEntryById.load(id)) as LiveEntry;
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Starts (or restarts) the article's live blog: Article.live becomes true." })
  async startLiveBlog(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.startLiveBlog(ctx.app.db.dataSource, id);
    return this.article(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Ends the article's live blog; its entries stay." })
  async endLiveBlog(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.endLiveBlog(ctx.app.db.dataSource, id);
    return this.article(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => LiveEntry, { description: "Posts an entry to a running live blog; subscribers of liveEntryAdded hear of it." })
  async addLiveEntry(@Args() args: AddLiveEntryArgs, @Ctx() ctx: Context): Promise<LiveEntry> {
    const id = await writes.addLiveEntry(ctx.app.db.dataSource, {
      articleId: idOf("Article", args.articleId, "articleId"),
      text: args.text,
      pinned: args.pinned,
      authorId: args.authorId ? idOf("Author", args.authorId, "authorId") : null,
    });
    return this.entry(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => LiveEntry, { description: "Changes an entry's text or pin." })
  async updateLiveEntry(@Args() args: UpdateLiveEntryArgs, @Ctx() ctx: Context): Promise<LiveEntry> {
    const id = idOf("LiveEntry", args.id);
    await writes.updateLiveEntry(ctx.app.db.dataSource, id, { text: args.text, pinned: args.pinned });
    return this.entry(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => ID, { description: "Deletes an entry; returns its ID." })
  async deleteLiveEntry(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    await writes.deleteLiveEntry(ctx.app.db.dataSource, idOf("LiveEntry", id));
    clearArticleLoaders(ctx.loaders);
    return id;
  }
}
